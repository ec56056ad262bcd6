/** What the journal-lock tests share: a pid no process has, and what taking a lock ends with. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { StorageError } from '../../src/core/errors.js';
import { acquireLock, releaseLock } from '../../src/store/journal-lock.js';

/** The pid of a process that has exited. */
export function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

/** What acquireLock ends with within `timeoutMs`: 'taken', or the StorageError's message. */
export async function outcome(path: string, timeoutMs = 150): Promise<string> {
  try {
    releaseLock(await acquireLock(path, { timeoutMs }));
    return 'taken';
  } catch (error) {
    assert.ok(error instanceof StorageError, String(error));
    return error.message;
  }
}

/** The message of a lock given up on after a wait (the tests' timeouts are under a second). */
export const waited = (path: string): string => `${path}: the journal's lock was held by another process for over 0 s`;

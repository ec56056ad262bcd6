/** The journal's lock file in process: who it names, when it is broken, and what a release leaves. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageError } from '../../src/core/errors.js';
import { acquireLock, releaseLock } from '../../src/store/journal-lock.js';
import { tempDir } from '../helpers.js';
import { deadPid } from './lock-helpers.js';

const dir = tempDir('hpsearch-journal-lock-');
let counter = 0;
const freshLock = (): string => join(dir, `study-${counter++}.log.lock`);


function age(path: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  utimesSync(path, then, then);
}

/** The error acquireLock ends with inside `timeoutMs`, or null when it took the lock. */
async function refused(path: string, timeoutMs: number, staleMs = 30_000): Promise<StorageError | null> {
  try {
    releaseLock(await acquireLock(path, { timeoutMs, staleMs }));
    return null;
  } catch (error) {
    assert.ok(error instanceof StorageError, String(error));
    return error;
  }
}

describe('journal lock', () => {
  it('names its holder, carries the file time it was taken at, and is gone once released', async () => {
    const path = freshLock();
    const held = await acquireLock(path);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { host: hostname(), pid: process.pid, token: held.token });
    assert.match(held.token, /^[0-9a-f]{16}$/);
    assert.equal(held.path, path);
    assert.equal(held.takenAtMs, statSync(path).mtimeMs);
    releaseLock(held);
    assert.equal(existsSync(path), false);
    assert.doesNotThrow(() => releaseLock(held), 'a lock already gone releases quietly');
  });

  it('a release leaves the lock another process took after this one was broken', async () => {
    const path = freshLock();
    const held = await acquireLock(path);
    const other = JSON.stringify({ host: hostname(), pid: process.pid, token: 'someone-else' });
    writeFileSync(path, other);
    releaseLock(held);
    assert.equal(readFileSync(path, 'utf8'), other);
  });

  it('waits for a fresh lock of a live process, of another host, or that it cannot read, and says for how long it waited', async () => {
    const cases = [
      JSON.stringify({ host: hostname(), pid: process.pid, token: 'me-elsewhere' }),
      JSON.stringify({ host: 'another-host', pid: deadPid(), token: 'there' }),
      'not json',
      JSON.stringify({ host: hostname(), pid: '1', token: 'bad pid' }),
    ];
    for (const text of cases) {
      const path = freshLock();
      writeFileSync(path, text);
      const error = await refused(path, 120);
      assert.ok(error !== null, `${text}: waited for`);
      assert.equal(error.message, `${path}: the journal's lock was held by another process for over 0 s`);
      assert.equal(readFileSync(path, 'utf8'), text, 'left as it was');
    }
    const path = freshLock();
    writeFileSync(path, 'not json');
    assert.match((await refused(path, 1_600))?.message ?? '', /for over 2 s$/);
  });

  it("breaks at once a lock whose holder is a dead process on this host, and any lock past its age", async () => {
    const dead = freshLock();
    writeFileSync(dead, JSON.stringify({ host: hostname(), pid: deadPid(), token: 'dead' }));
    const started = Date.now();
    assert.equal(await refused(dead, 5_000), null);
    assert.ok(Date.now() - started < 1_000);
    assert.equal(existsSync(dead), false);

    for (const text of ['not json', JSON.stringify({ host: 'another-host', pid: 1, token: 'old' })]) {
      const old = freshLock();
      writeFileSync(old, text);
      age(old, 10_000);
      assert.equal(await refused(old, 5_000, 5_000), null, `${text}: broken by its age`);
      // Just under the age: still held.
      const young = freshLock();
      writeFileSync(young, text);
      age(young, 3_000);
      assert.ok((await refused(young, 100, 5_000)) !== null, `${text}: not yet stale`);
    }
  });

  it('a lock that cannot be created is a storage error naming it', async () => {
    const parent = join(dir, `file-${counter++}`);
    writeFileSync(parent, '');
    const path = join(parent, 'study.log.lock');
    await assert.rejects(acquireLock(path), (e: unknown) => e instanceof StorageError && e.message.startsWith(`${path}: cannot create the journal's lock file: `));
  });
});

/**
 * The journal lock's waiting, on a clock the test moves: the pauses between tries (growing,
 * jittered, capped), when a lock counts as stale, when the wait gives up, and how soon a
 * stale lock is looked at. Date.now, Math.random and node:timers/promises's setTimeout are
 * replaced (syncBuiltinESMExports carries the last into the module's import); each pause
 * moves the clock by its length and lets the event loop turn once.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import timers from 'node:timers/promises';
import { StorageError } from '../../src/core/errors.js';
import { acquireLock, releaseLock } from '../../src/store/journal-lock.js';
import { tempDir } from '../helpers.js';
import type { LockOptions } from '../../src/store/journal-lock.js';

const dir = tempDir('hpsearch-journal-clock-');
let counter = 0;
const freshLock = (): string => join(dir, `study-${counter++}.log.lock`);
const realSleep = timers.setTimeout;

/** A whole second, so that a file time set from it reads back exactly. */
const T0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;

interface Run {
  /** The pauses asked for, in ms. */
  pauses: number[];
  /** 'taken', or the StorageError's message. */
  outcome: string;
}

/**
 * acquireLock(path) with the clock at T0 (moved by each pause unless `frozen`) and Math.random
 * at 0.25; `onPause(n)` runs at the n-th pause.
 */
async function run(path: string, options: LockOptions, frozen = false, onPause: (n: number) => void = () => {}): Promise<Run> {
  let now = T0;
  const pauses: number[] = [];
  const mocks = [
    mock.method(Date, 'now', () => now),
    mock.method(Math, 'random', () => 0.25),
    mock.method(timers, 'setTimeout', async (ms: number) => {
      pauses.push(ms);
      if (pauses.length > 1_000) throw new Error('still waiting after 1000 pauses');
      if (!frozen) now += ms;
      onPause(pauses.length);
      await realSleep(0);
    }),
  ];
  syncBuiltinESMExports();
  try {
    releaseLock(await acquireLock(path, options));
    return { pauses, outcome: 'taken' };
  } catch (error) {
    assert.ok(error instanceof StorageError, String(error));
    return { pauses, outcome: error.message };
  } finally {
    for (const m of mocks) m.mock.restore();
    syncBuiltinESMExports();
  }
}

/** A lock file held by this (live) process under another token, last changed at `mtimeMs`. */
function heldLock(mtimeMs: number): string {
  const path = freshLock();
  writeFileSync(path, JSON.stringify({ host: hostname(), pid: process.pid, token: 'other' }));
  utimesSync(path, mtimeMs / 1000, mtimeMs / 1000);
  return path;
}

describe('journal lock, waiting', () => {
  it('pauses between tries grow from half of 1 ms to 1.5 times 10 ms at most (jitter 0.5 to 1.5), and the wait ends just past its time', async () => {
    const path = heldLock(T0);
    const { pauses, outcome } = await run(path, { timeoutMs: 100 });
    // Math.random() = 0.25: each pause is 0.75 of 1, 2, 4, 8, then 10, 10, ... ms.
    assert.deepEqual(pauses, [0.75, 1.5, 3, 6, ...Array<number>(12).fill(7.5)], 'the last pause takes the clock past 100 ms (101.25)');
    assert.equal(outcome, `${path}: the journal's lock was held by another process for over 0 s`);
  });

  it('a lock exactly staleMs old is not stale yet, and the wait does not give up at exactly its time', async () => {
    // The clock stands still at T0; the holder lets go at the 20th pause.
    const path = heldLock(T0 - 5_000);
    const held = readFileSync(path, 'utf8');
    const seen: string[] = [];
    const { pauses, outcome } = await run(path, { staleMs: 5_000, timeoutMs: 0 }, true, (n) => {
      seen.push(readFileSync(path, 'utf8'));
      if (n === 20) unlinkSync(path);
    });
    assert.equal(outcome, 'taken');
    assert.equal(pauses.length, 20, 'taken on the try after the holder let go');
    assert.deepEqual(seen, Array<string>(20).fill(held), 'left alone while held');
  });

  it("a dead holder's lock is broken at the first look, and taken on the next try", async () => {
    const path = freshLock();
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeFileSync(path, JSON.stringify({ host: hostname(), pid: dead, token: 'dead' }));
    utimesSync(path, T0 / 1000, T0 / 1000);
    const { pauses, outcome } = await run(path, { timeoutMs: 1_000 });
    assert.equal(outcome, 'taken');
    assert.equal(pauses.length, 1);
  });

  it('a lock that turns stale while waited for is broken at the next look at its age, every eighth try', async () => {
    // Stale once the clock is past T0 + 20 ms: after the 6th pause (26.25 ms), looked at on try 8 (41.25 ms).
    const path = heldLock(T0 - 5_000 + 20);
    const { pauses, outcome } = await run(path, { staleMs: 5_000, timeoutMs: 1_000 });
    assert.equal(outcome, 'taken');
    assert.equal(pauses.length, 9, 'broken on try 8, taken on try 9');
  });
});

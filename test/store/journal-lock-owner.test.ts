/** The journal's lock in process: which owners it trusts, and the file errors it reports instead of waiting. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageError } from '../../src/core/errors.js';
import { acquireLock, releaseLock } from '../../src/store/journal-lock.js';
import { tempDir } from '../helpers.js';
import { deadPid, outcome, waited } from './lock-helpers.js';

const dir = tempDir('hpsearch-journal-owner-');
let counter = 0;
const freshLock = (): string => join(dir, `study-${counter++}.log.lock`);




describe('journal lock owners', () => {
  it('judges a holder by its pid only when the file names it as a number on this host', async () => {
    const pid = deadPid();
    const cases: [string, string][] = [
      [JSON.stringify({ host: hostname(), pid: String(pid), token: 't' }), 'wait'],
      [JSON.stringify({ host: hostname(), pid, token: 7 }), 'wait'],
      [JSON.stringify({ host: 7, pid, token: 't' }), 'wait'],
      [JSON.stringify({ host: hostname(), pid, token: 't' }), 'taken'],
      [JSON.stringify({ host: 'elsewhere', pid, token: 't' }), 'wait'],
      [JSON.stringify({ host: hostname(), pid: process.ppid, token: 'parent' }), 'wait'],
      ['null', 'wait'],
    ];
    for (const [text, want] of cases) {
      const path = freshLock();
      writeFileSync(path, text);
      assert.equal(await outcome(path), want === 'wait' ? waited(path) : 'taken', text);
    }
  });

  it('a release of a lock file it cannot read is a storage error naming it', () => {
    const path = freshLock();
    mkdirSync(path);
    assert.throws(
      () => releaseLock({ path, token: 't', takenAtMs: 0 }),
      (e: unknown) => e instanceof StorageError && e.message.startsWith(`${path}: cannot release the journal's lock: EISDIR`) && e.cause !== undefined,
    );
  });

  it('a lock it cannot read or break is a storage error at once, not a wait', async () => {
    const unreadable = freshLock();
    mkdirSync(unreadable);
    // A stale lock whose name leaves no room for the name it is renamed to while being broken.
    const long = join(dir, `${'l'.repeat(240)}.lock`);
    writeFileSync(long, JSON.stringify({ host: hostname(), pid: deadPid(), token: 'dead' }));
    const started = Date.now();
    await assert.rejects(acquireLock(unreadable, { timeoutMs: 5_000 }), (e: unknown) =>
      e instanceof StorageError && e.message.startsWith(`${unreadable}: cannot read the journal's lock file: EISDIR`) && e.cause !== undefined);
    await assert.rejects(acquireLock(long, { timeoutMs: 5_000 }), (e: unknown) =>
      e instanceof StorageError && e.message.startsWith(`${long}: cannot break a stale lock: ENAMETOOLONG`) && e.cause !== undefined);
    assert.ok(Date.now() - started < 2_000);
    assert.ok(readFileSync(long, 'utf8').includes('"dead"'), 'left in place');
  });

  it('a lock that is gone when looked at is waited for like a held one', async () => {
    // A link to nothing: it cannot be created over, and reads as absent.
    const path = freshLock();
    symlinkSync(join(dir, 'nothing-here'), path);
    assert.equal(await outcome(path), waited(path));
  });

  it('taking and releasing a lock leaves no file open', async () => {
    const before = readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 3; i++) releaseLock(await acquireLock(freshLock()));
    assert.equal(readdirSync('/proc/self/fd').length, before);
  });

  it('breaking a stale lock leaves nothing beside it, and a lock it cannot create keeps the system error as the cause', async () => {
    const sub = join(dir, `break-${counter++}`);
    mkdirSync(sub);
    const path = join(sub, 'study.log.lock');
    writeFileSync(path, JSON.stringify({ host: hostname(), pid: deadPid(), token: 'dead' }));
    releaseLock(await acquireLock(path, { timeoutMs: 5_000 }));
    assert.deepEqual(readdirSync(sub), [], 'neither the lock nor the copy renamed aside while breaking it');

    const file = join(dir, `file-${counter++}`);
    writeFileSync(file, '');
    await assert.rejects(acquireLock(join(file, 'study.log.lock')), (e: unknown) =>
      e instanceof StorageError && (e.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOTDIR');
  });
});

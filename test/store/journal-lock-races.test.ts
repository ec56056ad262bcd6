/**
 * The journal lock's races with other processes, made to happen at a chosen point: node:fs's
 * renameSync and linkSync are wrapped (syncBuiltinESMExports carries them into the module's
 * imports) so that another process's move lands just before this one's. Also which lock files
 * a release removes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import { acquireLock, releaseLock } from '../../src/store/journal-lock.js';
import { tempDir } from '../helpers.js';
import { deadPid, outcome, waited } from './lock-helpers.js';

const dir = tempDir('hpsearch-journal-races-');
let counter = 0;

/** A directory of its own holding one lock file (not yet written). */
function lockInFreshDir(): { sub: string; path: string } {
  const sub = join(dir, `race-${counter++}`);
  fs.mkdirSync(sub);
  return { sub, path: join(sub, 'study.log.lock') };
}


const owner = (token: string, pid = process.pid): string => JSON.stringify({ host: hostname(), pid, token });

type Two = (from: string, to: string) => void;

/** Runs `fn` with node:fs's `name` calling `before(from, to)` (the first time only) ahead of the real call. */
async function withBefore<T>(name: 'renameSync' | 'linkSync', before: Two, fn: () => Promise<T>): Promise<T> {
  const real = fs[name] as Two;
  let done = false;
  const patched = mock.method(fs, name, (from: string, to: string) => {
    if (!done) {
      done = true;
      before(from, to);
    }
    real(from, to);
  });
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    patched.mock.restore();
    syncBuiltinESMExports();
  }
}



describe('journal lock races', () => {
  it('a stale lock another process breaks first is left to it, and the lock is taken once free', async () => {
    const { sub, path } = lockInFreshDir();
    fs.writeFileSync(path, owner('dead', deadPid()));
    const result = await withBefore('renameSync', (from) => fs.unlinkSync(from), () => outcome(path, 5_000));
    assert.equal(result, 'taken');
    assert.deepEqual(fs.readdirSync(sub), []);
  });

  it('a fresh lock taken between the read of a stale one and its removal is put back, and waited for', async () => {
    const { sub, path } = lockInFreshDir();
    fs.writeFileSync(path, owner('dead', deadPid()));
    const fresh = owner('fresh');
    const result = await withBefore('renameSync', (from) => { fs.unlinkSync(from); fs.writeFileSync(from, fresh); }, () => outcome(path, 100));
    assert.equal(result, waited(path));
    assert.equal(fs.readFileSync(path, 'utf8'), fresh, "the other process's lock holds");
    assert.deepEqual(fs.readdirSync(sub), ['study.log.lock'], 'no copy left beside it');
  });

  it('when yet another lock is taken while one is put back, that one holds', async () => {
    const { sub, path } = lockInFreshDir();
    fs.writeFileSync(path, owner('dead', deadPid()));
    const third = owner('third');
    const result = await withBefore('renameSync', (from) => { fs.unlinkSync(from); fs.writeFileSync(from, owner('fresh')); }, () =>
      withBefore('linkSync', (_from, to) => fs.writeFileSync(to, third), () => outcome(path, 100)));
    assert.equal(result, waited(path));
    assert.equal(fs.readFileSync(path, 'utf8'), third);
    assert.deepEqual(fs.readdirSync(sub), ['study.log.lock']);
  });
});

describe('journal lock release', () => {
  it('removes the lock file only when it is an owner record (host, numeric pid, token) with this lock\'s token', async () => {
    for (const record of [
      (token: string) => JSON.stringify({ host: 7, pid: process.pid, token }),
      (token: string) => JSON.stringify({ host: hostname(), pid: String(process.pid), token }),
      (token: string) => JSON.stringify({ host: hostname(), pid: process.pid, token: `${token}x` }),
      (token: string) => `${owner(token)}x`,
    ]) {
      const { path } = lockInFreshDir();
      const held = await acquireLock(path);
      const text = record(held.token);
      fs.writeFileSync(path, text);
      releaseLock(held);
      assert.equal(fs.readFileSync(path, 'utf8'), text, `${text}: left in place`);
    }
    const { path } = lockInFreshDir();
    const held = await acquireLock(path);
    fs.writeFileSync(path, JSON.stringify({ token: held.token, pid: 1, host: 'rewritten' }));
    releaseLock(held);
    assert.equal(fs.existsSync(path), false, 'any well-formed record with its token is its own');
  });
});

/** The journal file beyond the conformance suite: torn lines, stale locks, read-only opens, files it did not create. */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NotFoundError, StorageError } from '../../src/core/errors.js';
import { acquireLock, releaseLock } from '../../src/store/journal-lock.js';
import { openStorage } from '../../src/store/open.js';
import type { Storage } from '../../src/store/storage.js';
import { tempDir } from '../helpers.js';
import { deadPid } from './lock-helpers.js';
import { newStudy, newTrial } from './fixtures.js';

const dir = tempDir('hpsearch-journal-file-');
let counter = 0;
function freshPath(): string {
  return join(dir, `j-${counter++}`, 'study.log');
}

async function withJournal<T>(location: string, fn: (s: Storage) => Promise<T>, readOnly = false): Promise<T> {
  const s = await openStorage(location, { readOnly });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** A journal with study "a" and trials 0 and 1. */
async function twoTrials(path: string): Promise<void> {
  await withJournal(`journal:${path}`, async (s) => {
    const st = await s.createStudy(newStudy('a'));
    await s.createTrial(st.id, { cap: null, worker: 'w', build: newTrial });
    await s.createTrial(st.id, { cap: null, worker: 'w', build: newTrial });
  });
}

describe('journal file', () => {
  it('ignores a torn last line on read and cuts it off on the next write', async () => {
    const path = freshPath();
    await twoTrials(path);
    const whole = readFileSync(path, 'utf8');
    // A writer killed mid-write, longer than the line written next (which must not leave its tail).
    appendFileSync(path, `{"op":"setStudyAttr","studyId":1,"key":"torn-${'x'.repeat(2000)}`);
    await withJournal(`journal:${path}`, async (s) => {
      const st = (await s.getStudy('a'))!;
      assert.equal((await s.listTrials(st.id)).length, 2);
      assert.equal(await s.integrityCheck(), 'ok');
    }, true);
    assert.ok(readFileSync(path, 'utf8').endsWith('xxx'), 'a read changes nothing');
    await withJournal(`journal:${path}`, async (s) => {
      const st = (await s.getStudy('a'))!;
      assert.equal((await s.createTrial(st.id, { cap: null, worker: 'w', build: newTrial }))?.number, 2);
    });
    const after = readFileSync(path, 'utf8');
    assert.ok(after.startsWith(whole) && !after.includes('torn-'), 'the torn line is gone');
    for (const line of after.trimEnd().split('\n')) JSON.parse(line);
    await withJournal(`journal:${path}`, async (s) => assert.equal((await s.listTrials((await s.getStudy('a'))!.id)).length, 3), true);
  });

  it('breaks a lock left by a killed process at once, and an old one by its age', async () => {
    const path = freshPath();
    await twoTrials(path);
    writeFileSync(`${path}.lock`, JSON.stringify({ host: hostname(), pid: deadPid(), token: 'dead' }));
    const started = Date.now();
    await withJournal(`journal:${path}`, (s) => s.setStudyAttr(1, 'k', 1));
    assert.ok(Date.now() - started < 5_000, 'not waited for the stale age');
    assert.equal(existsSync(`${path}.lock`), false);

    writeFileSync(`${path}.lock`, JSON.stringify({ host: 'another-host', pid: process.pid, token: 'old' }));
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(`${path}.lock`, hourAgo, hourAgo);
    await withJournal(`journal:${path}`, (s) => s.setStudyAttr(1, 'k', 2));
    assert.equal(existsSync(`${path}.lock`), false);
  });

  it('waits for a live holder, and gives up with a storage error naming the lock', async () => {
    const path = freshPath();
    await twoTrials(path);
    const held = await acquireLock(`${path}.lock`);
    try {
      const s = await openStorage(`journal:${path}`);
      const js = s as unknown as { options: { timeoutMs: number } };
      js.options.timeoutMs = 300;
      const err = await s.setStudyAttr(1, 'k', 1).then(() => null, (e: unknown) => e);
      assert.ok(err instanceof StorageError, String(err));
      assert.match(err.message, /study\.log\.lock: the journal's lock was held by another process/);
      await s.close();
    } finally {
      releaseLock(held);
    }
  });

  it('a read-only open writes nothing, not even the lock, and refuses writes', async () => {
    const path = freshPath();
    await twoTrials(path);
    const before = { text: readFileSync(path, 'utf8'), mtime: statSync(path).mtimeMs };
    await withJournal(`journal:${path}`, async (s) => {
      const st = (await s.getStudy('a'))!;
      assert.equal((await s.listStudies()).length, 1);
      assert.equal((await s.topTrials(st.id, { direction: 'minimize', limit: 3 })).length, 0);
      await assert.rejects(s.setStudyAttr(st.id, 'k', 1), (e: unknown) => e instanceof StorageError && /read-only/.test(e.message));
    }, true);
    assert.equal(existsSync(`${path}.lock`), false);
    assert.deepEqual({ text: readFileSync(path, 'utf8'), mtime: statSync(path).mtimeMs }, before);
    await assert.rejects(openStorage(`journal:${freshPath()}`, { readOnly: true }), NotFoundError);
  });

  it('refuses a file it did not create, and leaves it as it was', async () => {
    for (const text of ['just some notes\nsecond line\n', 'no newline at all', '{"format":"other"}\n']) {
      const path = join(dir, `foreign-${counter++}.log`);
      writeFileSync(path, text);
      for (const readOnly of [false, true]) {
        const err = await openStorage(`journal:${path}`, { readOnly }).then(() => null, (e: unknown) => e);
        assert.ok(err instanceof StorageError, String(err));
        assert.match(err.message, /not an hpsearch journal/);
      }
      assert.equal(readFileSync(path, 'utf8'), text);
      assert.equal(existsSync(`${path}.lock`), false);
    }
  });
});

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { NotFoundError, StorageError } from '../../src/core/errors.js';
import { openStorage } from '../../src/store/open.js';
import { tempDir } from '../helpers.js';
import { newStudy } from './fixtures.js';

const dir = tempDir('hpsearch-guard-');
let n = 0;
const fresh = (name: string): string => join(dir, `${n++}-${name}`);
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A database of another program: a `users` table (or whatever `sql` makes), in `mode`. */
function foreignDb(sql: string, mode: 'delete' | 'wal', appId = 0): string {
  const path = fresh('other.db');
  const db = new Database(path);
  db.pragma(`journal_mode = ${mode}`);
  db.exec(sql);
  if (appId !== 0) db.pragma(`application_id = ${appId}`);
  db.close();
  return path;
}

async function refused(path: string, readOnly: boolean): Promise<StorageError> {
  const error = await openStorage(path, { readOnly }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof StorageError, String(error));
  assert.equal(error.exitCode, 4);
  assert.ok(error.message.includes(path), error.message);
  assert.match(error.message, /not an hpsearch database|cannot be read|not an SQLite/);
  return error;
}

describe('SQLite: only files hpsearch created are written', () => {
  const foreign: [string, string, 'delete' | 'wal', number][] = [
    ['a users table', "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'ada')", 'delete', 0],
    ['a foreign trials table', 'CREATE TABLE trials (x); INSERT INTO trials VALUES (1)', 'delete', 0],
    ['a WAL database of another program', 'CREATE TABLE users (id); INSERT INTO users VALUES (1)', 'wal', 0],
    ['another application id, no tables', 'SELECT 1', 'delete', 1234],
  ];
  for (const [what, sql, mode, appId] of foreign) {
    it(`refuses ${what} before any write or pragma, for run and queries alike`, async () => {
      const path = foreignDb(sql, mode, appId);
      const before = sha(path);
      await refused(path, false);
      await refused(path, true);
      assert.equal(sha(path), before, 'byte-identical');
      assert.equal(existsSync(`${path}-wal`), false, 'no WAL left beside it');
      const check = new Database(path, { readonly: true });
      assert.equal(check.pragma('journal_mode', { simple: true }), mode, 'journal mode unchanged');
      assert.equal(check.pragma('application_id', { simple: true }), appId);
      check.close();
    });
  }

  it('refuses a text file, unchanged', async () => {
    const path = fresh('notes.txt');
    writeFileSync(path, 'not a database at all, just text long enough for a header\n'.repeat(10));
    const before = sha(path);
    await refused(path, false);
    await refused(path, true);
    assert.equal(sha(path), before);
  });

  it('takes an empty file, or an SQLite file without tables, for a new study', async () => {
    const empty = fresh('empty.db');
    writeFileSync(empty, '');
    const blank = fresh('blank.db');
    new Database(blank).exec('CREATE TABLE t (x); DROP TABLE t');
    for (const path of [empty, blank]) {
      const s = await openStorage(path);
      await s.createStudy(newStudy('a'));
      await s.close();
    }
  });

  it('queries read an hpsearch database without changing a byte, and cannot write', async () => {
    const path = fresh('study.db');
    const s = await openStorage(path);
    await s.createStudy(newStudy('a'));
    await s.close();
    const before = sha(path);
    const mtime = statSync(path).mtimeMs;
    const ro = await openStorage(path, { readOnly: true });
    assert.deepEqual((await ro.listStudies()).map((x) => x.name), ['a']);
    await assert.rejects(ro.createStudy(newStudy('b')), StorageError);
    await ro.close();
    assert.equal(sha(path), before);
    assert.equal(statSync(path).mtimeMs, mtime);
  });

  it('takes an hpsearch database whose application id is still only in its WAL (a killed run)', async () => {
    const path = fresh('live.db');
    const live = await openStorage(path);
    await live.createStudy(newStudy('a'));
    const crashed = fresh('crashed.db');
    copyFileSync(path, crashed);
    copyFileSync(`${path}-wal`, `${crashed}-wal`);
    await live.close();
    assert.equal(readFileSync(crashed).readUInt32BE(68), 0, 'the id is not in the main file yet');
    for (const readOnly of [true, false]) {
      const s = await openStorage(crashed, { readOnly });
      assert.deepEqual((await s.listStudies()).map((x) => x.name), ['a']);
      await s.close();
    }
  });

  it('queries never create or migrate: absent and empty files are "not found", left as they were', async () => {
    const absent = fresh('absent.db');
    await assert.rejects(openStorage(absent, { readOnly: true }), NotFoundError);
    assert.equal(existsSync(absent), false);
    const empty = fresh('empty.db');
    writeFileSync(empty, '');
    await assert.rejects(openStorage(empty, { readOnly: true }), NotFoundError);
    assert.equal(statSync(empty).size, 0);

    const old = fresh('old.db');
    const s = await openStorage(old);
    await s.close();
    const raw = new Database(old);
    raw.pragma('user_version = 0');
    raw.close();
    const before = sha(old);
    const e = await openStorage(old, { readOnly: true }).then(() => null, (x: unknown) => x);
    assert.ok(e instanceof StorageError && /older .*never migrate/.test(e.message), String(e));
    assert.equal(sha(old), before);
  });
});

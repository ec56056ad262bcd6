/**
 * The SQLite guard's decisions (store/sqlite-guard.ts) through its own functions: what each
 * kind of file is judged to be, and the exact message of each refusal.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { NotFoundError, StorageError } from '../../src/core/errors.js';
import { assertWritableByHpsearch, notWritable, openReadOnly } from '../../src/store/sqlite-guard.js';
import { APPLICATION_ID, MIGRATIONS } from '../../src/store/sqlite-schema.js';
import { SqliteStorage } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('hpsearch-guard-msg-');
let n = 0;
const fresh = (name: string): string => join(dir, `${n++}-${name}`);
const UNCHANGED = 'nothing was changed';
const VERSION = MIGRATIONS.length;

/** An hpsearch database (closed), with its user_version set to `version` when given. */
function ours(version?: number): string {
  const path = fresh('study.db');
  new SqliteStorage(path).close().catch(() => undefined);
  if (version !== undefined) {
    const raw = new Database(path);
    raw.pragma(`user_version = ${version}`);
    raw.close();
  }
  return path;
}

function refusal(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('SQLite guard', () => {
  it('writes to an absent file, an empty one and one of its own', () => {
    assert.doesNotThrow(() => assertWritableByHpsearch(fresh('absent.db')));
    const empty = fresh('empty.db');
    writeFileSync(empty, '');
    assert.doesNotThrow(() => assertWritableByHpsearch(empty));
    assert.doesNotThrow(() => assertWritableByHpsearch(ours()));
  });

  it('refuses a file shorter than an SQLite header, or one without its magic, with the same message', () => {
    for (const [name, bytes] of [
      ['short.db', Buffer.from('SQLite format 3\0')],
      ['one.db', Buffer.from('x')],
      ['99.db', Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(83)])],
      ['text.db', Buffer.alloc(200, 'a')],
    ] as const) {
      const path = fresh(name);
      writeFileSync(path, bytes);
      const e = refusal(() => assertWritableByHpsearch(path));
      assert.ok(e instanceof StorageError, name);
      assert.equal(e.message, `${path}: not an SQLite database; hpsearch writes only to files it created (${UNCHANGED})`);
    }
  });

  it("names another program's application id, or its tables", () => {
    const other = fresh('other.db');
    const raw = new Database(other);
    raw.pragma('application_id = 1234');
    raw.close();
    assert.equal(
      refusal(() => assertWritableByHpsearch(other)).message,
      `${other}: not an hpsearch database (application_id 1234); hpsearch writes only to files it created (${UNCHANGED})`,
    );
    const tables = fresh('tables.db');
    const t = new Database(tables);
    t.exec('CREATE TABLE users (id)');
    t.close();
    assert.equal(
      refusal(() => assertWritableByHpsearch(tables)).message,
      `${tables}: not an hpsearch database (it holds tables of another program); hpsearch writes only to files it created (${UNCHANGED})`,
    );
    assert.equal(refusal(() => openReadOnly(other, 5000, VERSION)).message, refusal(() => assertWritableByHpsearch(other)).message);
  });

  it('takes an SQLite file without tables: a rollback-journal one whose table was dropped, a WAL one of one page', () => {
    for (const mode of ['delete', 'wal']) {
      const path = fresh(`blank-${mode}.db`);
      const raw = new Database(path);
      raw.pragma(`journal_mode = ${mode}`);
      if (mode === 'delete') raw.exec('CREATE TABLE t (x); DROP TABLE t');
      raw.close();
      assert.doesNotThrow(() => assertWritableByHpsearch(path), mode);
      assert.throws(() => openReadOnly(path, 5000, VERSION), (e: unknown) => e instanceof NotFoundError && e.message === `no study database at ${path}`, mode);
    }
  });

  it("refuses another program's WAL database whose application id is still only in its WAL", () => {
    const live = fresh('live.db');
    const db = new Database(live);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('application_id = 1234');
    const copy = fresh('copy.db');
    copyFileSync(live, copy);
    copyFileSync(`${live}-wal`, `${copy}-wal`);
    db.close();
    assert.equal(readFileSync(copy).readUInt32BE(68), 0, 'the id is not in the main file');
    assert.match(refusal(() => assertWritableByHpsearch(copy)).message, /not an hpsearch database/);
  });

  it("looks into a WAL database only when its WAL has content: an empty one creates nothing beside another program's file", () => {
    const path = fresh('other-wal.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE users (id); INSERT INTO users VALUES (1)');
    db.close();
    writeFileSync(`${path}-wal`, '');
    assert.match(refusal(() => assertWritableByHpsearch(path)).message, /tables of another program/);
    assert.equal(existsSync(`${path}-shm`), false, 'no shared-memory file created');
  });

  it('a read-only open of an absent or empty file is "not found"', () => {
    const absent = fresh('absent.db');
    assert.throws(() => openReadOnly(absent, 5000, VERSION), (e: unknown) => e instanceof NotFoundError && e.message === `no study database at ${absent}`);
    const empty = fresh('empty.db');
    writeFileSync(empty, '');
    assert.throws(() => openReadOnly(empty, 5000, VERSION), NotFoundError);
  });

  it('opens its own database at the version it knows, read-only, and says what to do at another', () => {
    const path = ours();
    const opened = openReadOnly(path, 5000, VERSION);
    try {
      assert.equal(opened.db.readonly, true);
      assert.equal(opened.db.pragma('application_id', { simple: true }), APPLICATION_ID);
      assert.equal(opened.db.pragma('busy_timeout', { simple: true }), 5000);
    } finally {
      opened.db.close();
      opened.cleanup();
    }
    const newer = ours(VERSION + 1);
    assert.equal(
      refusal(() => openReadOnly(newer, 5000, VERSION)).message,
      `${newer}: the database has schema version ${VERSION + 1}, newer than this hpsearch knows (${VERSION}); ` +
        `it was written by a newer hpsearch — upgrade hpsearch to open it (${UNCHANGED})`,
    );
    const older = ours(VERSION - 1);
    assert.equal(
      refusal(() => openReadOnly(older, 5000, VERSION)).message,
      `${older}: the database has schema version ${VERSION - 1}, older than this hpsearch's (${VERSION}); ` +
        `queries never migrate: run \`hpsearch run\` on it once to upgrade (${UNCHANGED})`,
    );
  });

  it('a file it cannot read is a storage error naming it', () => {
    const sub = fresh('a-directory.db');
    mkdirSync(sub);
    const e = refusal(() => assertWritableByHpsearch(sub));
    assert.ok(e instanceof Error && e.message.includes('EISDIR'), e.message);
    const long = join(dir, 'x'.repeat(300));
    const t = refusal(() => assertWritableByHpsearch(long));
    assert.ok(t instanceof StorageError, String(t));
    assert.match(t.message, /: cannot read the file \(.*ENAMETOOLONG/);
    assert.ok(t.message.startsWith(`${long}: cannot read the file (`));
  });

  it('says what `run` needs when it cannot write, keeping the cause', () => {
    const cause = new Error('attempt to write a readonly database');
    const e = notWritable('/x/study.db', cause);
    assert.ok(e instanceof StorageError);
    assert.equal(e.cause, cause);
    assert.equal(
      e.message,
      '/x/study.db: cannot write to the study database (attempt to write a readonly database): `run` needs write access to the file and its ' +
        'directory; the queries (studies, trials, show, best, diagnose, check) open it read-only',
    );
  });
});

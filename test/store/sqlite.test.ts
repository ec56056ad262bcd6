import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { NotFoundError, StorageError } from '../../src/core/errors.js';
import { MemoryStorage } from '../../src/store/memory.js';
import { openStorage } from '../../src/store/open.js';
import { APPLICATION_ID, MIGRATIONS, migrate } from '../../src/store/sqlite-schema.js';
import { SqliteStorage } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers.js';
import { storageConformance } from './conformance.js';
import { newStudy, newTrial } from './fixtures.js';

const dir = tempDir('hpsearch-store-');
let counter = 0;
/** A path in a new, existing directory. */
function freshPath(): string {
  const sub = join(dir, `db-${counter++}`);
  mkdirSync(sub);
  return join(sub, 'study.db');
}

storageConformance('sqlite', () => openStorage(freshPath()));

async function rejection(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(() => null, (err: unknown) => err);
  assert.ok(e instanceof Error, 'expected a rejection');
  return e;
}

describe('SqliteStorage', () => {
  it('opens in WAL with foreign keys, a busy timeout ≥ 5 s and the latest schema', async () => {
    const s = new SqliteStorage(freshPath());
    try {
      const settings = await s.connectionSettings();
      assert.equal(settings.journalMode, 'wal');
      assert.equal(settings.foreignKeys, true);
      assert.ok(settings.busyTimeoutMs >= 5000, String(settings.busyTimeoutMs));
      assert.equal(settings.schemaVersion, MIGRATIONS.length);
      assert.equal(await s.integrityCheck(), 'ok');
    } finally {
      await s.close();
    }
  });

  it('keeps everything across a reopen', async () => {
    const path = freshPath();
    const s1 = await openStorage(path);
    const st = await s1.createStudy(newStudy('persist', 'maximize'));
    await s1.setStudyAttr(st.id, 'stage', 2);
    await s1.createTrial(st.id, { cap: null, worker: 'w', build: newTrial });
    await s1.createTrial(st.id, { cap: null, worker: 'w', build: newTrial });
    await s1.appendEpochs(st.id, 0, [{ epoch: 0, metrics: { val_accuracy: NaN, extra_metric: -Infinity } }]);
    await s1.finishTrial(st.id, 0, { state: 'complete', value: 0.75, error: null, attrs: { verdict: 'ok' } });
    const before = { study: await s1.getStudy('persist'), trials: await s1.listTrials(st.id), curves: await s1.getStudyEpochs(st.id) };
    await s1.close();
    await s1.close(); // idempotent
    await assert.rejects(s1.getStudy('persist'), /closed/);

    const s2 = await openStorage(path);
    try {
      assert.deepEqual(await s2.getStudy('persist'), before.study);
      assert.deepEqual(await s2.listTrials(st.id), before.trials);
      assert.deepEqual(await s2.getStudyEpochs(st.id), before.curves);
      assert.equal((await s2.createTrial(st.id, { cap: null, worker: 'w', build: newTrial }))?.number, 2);
    } finally {
      await s2.close();
    }
  });

  it('upgrades a database at schema version 0 (an SQLite file without tables)', async () => {
    const path = freshPath();
    const raw = new Database(path);
    raw.exec('CREATE TABLE notes (text TEXT); DROP TABLE notes');
    assert.equal(raw.pragma('user_version', { simple: true }), 0);
    raw.close();
    const s = new SqliteStorage(path);
    await s.createStudy(newStudy('x'));
    await s.close();
    const check = new Database(path, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.equal(check.pragma('application_id', { simple: true }), APPLICATION_ID);
    check.close();
  });

  it('applies only the missing migration steps, keeping rows', () => {
    const path = freshPath();
    const v1 = [{ description: 'things', up: 'CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)' }];
    const v2 = [
      ...v1,
      { description: 'things.size', up: 'ALTER TABLE things ADD COLUMN size REAL DEFAULT 1' },
      {
        description: 'double sizes',
        up: (db: Database.Database) => void db.prepare('UPDATE things SET size = size * 2').run(),
      },
    ];
    const db = new Database(path);
    assert.equal(migrate(db, path, v1), 1);
    db.prepare("INSERT INTO things (name) VALUES ('a'), ('b')").run();
    assert.equal(migrate(db, path, v1), 1, 'nothing to do');
    assert.equal(migrate(db, path, v2), 3);
    assert.deepEqual(db.prepare('SELECT name, size FROM things ORDER BY id').all(), [
      { name: 'a', size: 2 },
      { name: 'b', size: 2 },
    ]);
    assert.throws(() => migrate(db, path, v1), /newer/);
    const broken = [...v2, { description: 'bad step', up: 'CREATE TABLE things (x)' }];
    assert.throws(() => migrate(db, path, broken), (e: unknown) => e instanceof StorageError && /version 4 \(bad step\)/.test(e.message));
    assert.equal(db.pragma('user_version', { simple: true }), 3, 'a failed step changes nothing');
    db.close();
  });

  it('refuses a database written by a newer schema, touching nothing', async () => {
    const path = freshPath();
    const s = await openStorage(path);
    await s.createStudy(newStudy('old'));
    await s.close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    const e = await rejection(openStorage(path));
    assert.ok(e instanceof StorageError);
    assert.equal(e.exitCode, 4);
    assert.match(e.message, /newer/);
    assert.ok(e.message.includes(path), e.message);
    const check = new Database(path, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), MIGRATIONS.length + 1);
    assert.deepEqual(check.prepare('SELECT name FROM studies').all(), [{ name: 'old' }]);
    check.close();
  });

  it('refuses files that are not hpsearch databases', async () => {
    const other = freshPath();
    const raw = new Database(other);
    raw.pragma('application_id = 1234');
    raw.close();
    assert.match((await rejection(openStorage(other))).message, /not an hpsearch database/);

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'this is not a database, just some text that is long enough to have a header\n'.repeat(20));
    const e = await rejection(openStorage(text));
    assert.ok(e instanceof StorageError, String(e));
    assert.ok(e.message.includes(text), e.message);
  });

  it('reports an unwritable path as StorageError naming it', async () => {
    const file = join(dir, 'a-regular-file');
    writeFileSync(file, 'x');
    const e = await rejection(openStorage(join(file, 'sub', 'study.db')));
    assert.ok(e instanceof StorageError, String(e));
    assert.equal(e.exitCode, 4);
    assert.ok(e.message.includes(file), e.message);
    const e2 = await rejection(Promise.resolve().then(() => new SqliteStorage(join(dir, 'missing-dir', 'x.db'))));
    assert.ok(e2 instanceof StorageError, String(e2));
    assert.ok(e2.message.includes('missing-dir'), e2.message);
  });

  it('openStorage: ":memory:", mustExist, unsupported URLs', async () => {
    const mem = await openStorage(':memory:');
    assert.ok(mem instanceof MemoryStorage);
    assert.equal(mem.location, ':memory:');
    await mem.close();
    await assert.rejects(openStorage(join(dir, 'absent.db'), { mustExist: true }), NotFoundError);
    await assert.rejects(openStorage('postgresql://host/db'), StorageError);
    const s = await openStorage(freshPath());
    assert.ok(s instanceof SqliteStorage);
    assert.ok(s.location.endsWith('study.db'));
    await s.close();
  });
});

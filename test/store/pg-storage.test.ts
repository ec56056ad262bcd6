/** What PostgreSQL storage does beyond the conformance suite: its schema, its URL, its secrets. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { NotFoundError, StorageError } from '../../src/core/errors.js';
import { openStorage } from '../../src/store/open.js';
import { PG_MIGRATIONS } from '../../src/store/pg-schema.js';
import { PgStorage } from '../../src/store/pg.js';
import { maskPassword } from '../../src/store/pg-location.js';
import { newStudy, newTrial } from './fixtures.js';
import { adminQuery, dropCreated, freshSchemaUrl, pgSkip, pgUrl } from './pg-helpers.js';

const skip = await pgSkip();
after(dropCreated);

async function rejection(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(() => null, (err: unknown) => err);
  assert.ok(e instanceof Error, 'expected a rejection');
  return e;
}

const schemaOf = (url: string): string => /search_path%3D(\w+)/.exec(url)![1]!;

describe('PgStorage', { skip }, () => {
  it('keeps everything across a reopen, and a newer schema is refused untouched', async () => {
    const url = await freshSchemaUrl();
    const s1 = await openStorage(url);
    const st = await s1.createStudy(newStudy('persist'));
    await s1.createTrial(st.id, { cap: null, worker: 'w', build: newTrial });
    await s1.appendEpochs(st.id, 0, [{ epoch: 0, metrics: { val_loss: NaN, extra_metric: -Infinity } }]);
    await s1.finishTrial(st.id, 0, { state: 'complete', value: 0.5, error: null });
    const before = await s1.listTrials(st.id);
    await s1.close();
    const s2 = await openStorage(url);
    assert.deepEqual(await s2.listTrials(st.id), before);
    assert.deepEqual(await s2.getEpochs(st.id, 0), [{ epoch: 0, metrics: { val_loss: NaN, extra_metric: -Infinity } }]);
    await s2.close();

    await adminQuery(`UPDATE ${schemaOf(url)}.hpsearch_meta SET value = '${PG_MIGRATIONS.length + 1}' WHERE key = 'schema_version'`);
    const e = await rejection(openStorage(url));
    assert.ok(e instanceof StorageError);
    assert.match(e.message, new RegExp(`schema version ${PG_MIGRATIONS.length + 1}, newer than this hpsearch knows \\(${PG_MIGRATIONS.length}\\).*nothing was changed`));
    const rows = await adminQuery(`SELECT count(*)::int AS n FROM ${schemaOf(url)}.trials`);
    assert.equal((rows.rows[0] as { n: number }).n, 1, 'no row lost');
  });

  it('a later migration step adds to the schema and keeps the rows', async () => {
    const url = await freshSchemaUrl();
    const s1 = await PgStorage.open(url);
    await s1.createStudy(newStudy('kept'));
    await s1.close();
    const step = { description: 'a column for tests', up: 'ALTER TABLE studies ADD COLUMN note TEXT' };
    const s2 = await PgStorage.open(url, { migrations: [...PG_MIGRATIONS, step] });
    assert.equal((await s2.getStudy('kept'))?.name, 'kept');
    await s2.close();
    const meta = await adminQuery(`SELECT value FROM ${schemaOf(url)}.hpsearch_meta WHERE key = 'schema_version'`);
    assert.equal((meta.rows[0] as { value: string }).value, String(PG_MIGRATIONS.length + 1));
  });

  it("refuses tables it did not create, and a query finds no study database where there is none", async () => {
    const url = await freshSchemaUrl();
    const e = await rejection(openStorage(url, { mustExist: true }));
    assert.ok(e instanceof NotFoundError, String(e));
    await adminQuery(`CREATE TABLE ${schemaOf(url)}.studies (x int)`);
    const foreign = await rejection(openStorage(url));
    assert.match(foreign.message, /"studies" table that hpsearch did not create/);
  });

  it('workers opening a fresh database at once migrate it once', async () => {
    const url = await freshSchemaUrl();
    const all = await Promise.all(Array.from({ length: 4 }, () => PgStorage.open(url)));
    await all[0]!.createStudy(newStudy('one'));
    assert.equal((await all[3]!.listStudies()).length, 1);
    await Promise.all(all.map((s) => s.close()));
  });

  it('never shows the password: location, errors, and a wrong password', async () => {
    const url = await freshSchemaUrl();
    const secret = new URL(pgUrl()).password;
    const s = await openStorage(url);
    assert.ok(!s.location.includes(secret) && s.location.includes(':***@'), s.location);
    const missing = await rejection(s.getTrial(999, 0));
    assert.ok(!missing.message.includes(secret));
    await s.close();
    const wrong = url.replace(`:${secret}@`, ':not-the-password@');
    const e = await rejection(PgStorage.open(wrong, { retryMs: 0 }));
    assert.ok(e instanceof StorageError);
    assert.match(e.message, /password authentication failed/);
    assert.ok(!e.message.includes('not-the-password') && !e.message.includes(secret), e.message);
    assert.equal(maskPassword('postgresql://u:p%40ss@h:5432/db?sslmode=disable'), 'postgresql://u:***@h:5432/db?sslmode=disable');
    assert.equal(maskPassword('postgres://u@h/db'), 'postgres://u@h/db');
  });

  it('takes the password from PGPASSWORD when the URL has none', async () => {
    const url = await freshSchemaUrl();
    const secret = new URL(pgUrl()).password;
    const bare = url.replace(`:${secret}@`, '@');
    const saved = process.env['PGPASSWORD'];
    process.env['PGPASSWORD'] = secret;
    try {
      const s = await openStorage(bare);
      assert.equal((await s.listStudies()).length, 0);
      await s.close();
    } finally {
      if (saved === undefined) delete process.env['PGPASSWORD'];
      else process.env['PGPASSWORD'] = saved;
    }
  });

  it('sslmode as libpq: prefer falls back to a server without TLS, require refuses it', async () => {
    const url = await freshSchemaUrl();
    const s = await openStorage(`${url}&sslmode=prefer`);
    assert.equal((await s.listStudies()).length, 0);
    await s.close();
    // Not retried (the default window is a minute): refused at once, naming the fix.
    const started = Date.now();
    const e = await rejection(PgStorage.open(`${url}&sslmode=require`));
    assert.ok(e instanceof StorageError);
    assert.match(e.message, /the server does not accept TLS connections \(sslmode=require\): .*sslmode=prefer .* or sslmode=disable/);
    assert.ok(Date.now() - started < 5_000, `refused after ${Date.now() - started} ms`);
    await assert.rejects(openStorage(`${url}&sslmode=sometimes`), /sslmode must be one of disable, allow, prefer/);
  });

  it('an unreachable server is a storage error after the retry window, naming the masked URL', async () => {
    const e = await rejection(PgStorage.open('postgresql://u:topsecret@127.0.0.1:1/db', { retryMs: 300 }));
    assert.ok(e instanceof StorageError);
    assert.match(e.message, /^postgresql:\/\/u:\*\*\*@127\.0\.0\.1:1\/db: .*ECONNREFUSED/);
    assert.ok(!e.message.includes('topsecret'));
  });
});

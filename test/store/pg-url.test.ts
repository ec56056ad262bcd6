/** PostgreSQL connection settings beyond locations.test.ts: ~/.pgpass lookups and what errors keep. No server needed. */
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageError } from '../../src/core/errors.js';
import { pgSettings } from '../../src/store/pg-url.js';
import { tempDir } from '../helpers.js';

type PasswordLookup = (info: { host?: string; port?: number; database?: string; user?: string }) => Promise<string | undefined>;

describe('PostgreSQL settings', () => {
  it('without a password in the URL or PGPASSWORD, asks the password file for the connection the driver resolved', async () => {
    const saved = { file: process.env['PGPASSFILE'], password: process.env['PGPASSWORD'] };
    const file = join(tempDir('hpsearch-pgpass-'), 'pgpass');
    writeFileSync(file, 'db.example:5433:hp:alice:from-file\n*:*:*:bob:any-bob\n');
    chmodSync(file, 0o600);
    process.env['PGPASSFILE'] = file;
    delete process.env['PGPASSWORD'];
    try {
      const lookup = pgSettings('postgresql://alice@db.example:5433/hp').config.password as unknown as PasswordLookup;
      assert.equal(typeof lookup, 'function');
      assert.equal(await lookup({ host: 'db.example', port: 5433, database: 'hp', user: 'alice' }), 'from-file');
      assert.equal(await lookup({ host: 'db.example', port: 5432, database: 'hp', user: 'alice' }), undefined, 'another port: no line');
      assert.equal(await lookup({ host: 'h', port: 5432, database: 'x', user: 'bob' }), 'any-bob');
    } finally {
      for (const [key, value] of [['PGPASSFILE', saved.file], ['PGPASSWORD', saved.password]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it("keeps the driver's error as the cause, and scrubs the password of a postgres:// URL with any user name", () => {
    const invalid = (() => { try { pgSettings('postgresql://hpuser:pw@[::1/db'); return null; } catch (e) { return e; } })();
    assert.ok(invalid instanceof StorageError && invalid.cause instanceof Error, String(invalid));
    const e = (() => { try { pgSettings('postgres://hpuser:s3cret@h/db?sslmode=verify-ca&sslrootcert=/no/such/s3cret'); return null; } catch (err) { return err; } })();
    assert.ok(e instanceof StorageError, String(e));
    assert.ok(e.message.startsWith('postgres://hpuser:***@h/db?'), e.message);
    assert.ok(e.message.endsWith("open '/no/such/***'"), e.message);
    assert.equal((e.cause as NodeJS.ErrnoException).code, 'ENOENT');
  });
});

describe('PostgreSQL URLs, both spellings and repeated keys', () => {
  it('reads postgres:// as strictly as postgresql://: a host the URL standard refuses is refused for both', () => {
    for (const url of ['postgresql://u:pw@h%zz/db', 'postgres://u:pw@h%zz/db']) {
      const scheme = url.slice(0, url.indexOf(':'));
      assert.throws(() => pgSettings(url), (e: unknown) =>
        e instanceof StorageError && e.message === `${scheme}://u:***@h%zz/db: not a valid postgresql:// URL`, url);
    }
  });

  it('a repeated sslmode means its last value, as for libpq and the driver', () => {
    const saved = process.env['PGSSLMODE'];
    delete process.env['PGSSLMODE'];
    try {
      const upgraded = pgSettings('postgresql://h/db?sslmode=prefer&sslmode=require');
      assert.equal(upgraded.sslMode, 'require', 'no fallback to a server without TLS');
      assert.deepEqual(upgraded.config.ssl, { rejectUnauthorized: false });
      const off = pgSettings('postgresql://h/db?sslmode=require&x=1&sslmode=disable');
      assert.equal(off.sslMode, 'disable');
      assert.equal(off.config.ssl, false);
      assert.throws(() => pgSettings('postgresql://h/db?sslmode=require&sslmode=on'), /sslmode must be one of .*, got on$/);
    } finally {
      if (saved !== undefined) process.env['PGSSLMODE'] = saved;
    }
  });
});

/** Storage locations without a server: PostgreSQL URLs (recognised, masked, read as libpq does) and journal paths. */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { StorageError } from '../../src/core/errors.js';
import { isJournalLocation, journalLocation, journalPath } from '../../src/store/journal-location.js';
import { isPostgresUrl, maskPassword, scrub } from '../../src/store/pg-location.js';
import { pgSettings } from '../../src/store/pg-url.js';

const ENV = ['PGSSLMODE', 'PGPASSWORD'] as const;

describe('PostgreSQL locations', () => {
  const saved = new Map<string, string | undefined>();
  beforeEach(() => {
    for (const k of ENV) {
      saved.set(k, process.env[k]);
      delete process.env[k];
    }
  });
  afterEach(() => {
    for (const k of ENV) {
      const v = saved.get(k);
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('recognises postgresql:// and postgres:// in any case, and nothing else', () => {
    for (const yes of ['postgresql://h/db', 'postgres://h/db', ' POSTGRESQL://h/db ', 'Postgres://u@h']) assert.equal(isPostgresUrl(yes), true, yes);
    for (const no of ['postgresql:/h/db', 'x-postgres://h', 'study.db', 'journal:/a/b', 'postgresqlx://h']) assert.equal(isPostgresUrl(no), false, no);
  });

  it('masks the password and only it', () => {
    assert.equal(maskPassword('postgresql://alice:s3cret@db.example:5432/hp?sslmode=require'), 'postgresql://alice:***@db.example:5432/hp?sslmode=require');
    assert.equal(maskPassword('POSTGRES://bob:pw@h/db'), 'POSTGRES://bob:***@h/db');
    assert.equal(maskPassword('postgresql://alice@h:5432/db'), 'postgresql://alice@h:5432/db');
    assert.equal(maskPassword('postgresql://h:5432/db'), 'postgresql://h:5432/db', 'a port is not a password');
    assert.equal(maskPassword('study.db'), 'study.db');
    assert.equal(scrub('auth failed for s3cret, s3cret', 's3cret'), 'auth failed for ***, ***');
    assert.equal(scrub('nothing to hide', undefined), 'nothing to hide');
    assert.equal(scrub('nothing to hide', ''), 'nothing to hide');
  });

  it('reads user, password, host, port, database, options and application name from the URL', () => {
    const s = pgSettings('postgresql://u:p%40ss@db.example:5433/hp?options=-c%20search_path%3Dmine&application_name=me');
    assert.deepEqual({ ...s.config, password: undefined }, {
      user: 'u', host: 'db.example', port: 5433, database: 'hp', options: '-c search_path=mine', application_name: 'me', ssl: undefined, password: undefined,
    });
    assert.equal(s.config.password, 'p@ss');
    assert.equal(s.secret, 'p@ss');
    assert.equal(s.sslMode, null);
    const bare = pgSettings('postgres:///hp');
    assert.equal(bare.config.application_name, 'hpsearch');
    assert.equal(bare.config.database, 'hp');
    assert.ok(!('host' in bare.config) && !('port' in bare.config) && !('options' in bare.config), JSON.stringify(bare.config));
  });

  it('takes the password from PGPASSWORD, else asks ~/.pgpass, when the URL has none', () => {
    const none = pgSettings('postgresql://u@h/db');
    assert.equal(none.secret, undefined);
    assert.equal(typeof none.config.password, 'function');
    process.env['PGPASSWORD'] = 'from-env';
    const env = pgSettings('postgresql://u@h/db');
    assert.equal(env.secret, 'from-env', 'scrubbed from messages too');
    assert.equal(env.config.password, 'from-env');
    assert.equal(pgSettings('postgresql://u:url@h/db').secret, 'url', 'the URL wins');
  });

  it('sslmode: libpq\'s six values, from the URL or PGSSLMODE; allow connects in the clear; anything else is refused', () => {
    assert.deepEqual(pgSettings('postgresql://h/db?sslmode=require').config.ssl, { rejectUnauthorized: false });
    assert.equal(pgSettings('postgresql://h/db?sslmode=require').sslMode, 'require');
    assert.equal(pgSettings('postgresql://h/db?sslmode=disable').config.ssl, false);
    assert.equal(pgSettings('postgresql://h/db?sslmode=allow').config.ssl, false);
    assert.equal(pgSettings('postgresql://h/db?sslmode=prefer').sslMode, 'prefer');
    process.env['PGSSLMODE'] = 'require';
    assert.equal(pgSettings('postgresql://h/db').sslMode, 'require');
    assert.deepEqual(pgSettings('postgresql://h/db').config.ssl, { rejectUnauthorized: false });
    assert.deepEqual(pgSettings('postgresql://h/db?x=1').config.ssl, { rejectUnauthorized: false });
    assert.equal(pgSettings('postgresql://h/db?sslmode=disable').config.ssl, false, 'the URL wins');
    process.env['PGSSLMODE'] = 'sometimes';
    assert.throws(() => pgSettings('postgresql://u:pw@h/db'), (e: unknown) =>
      e instanceof StorageError && e.message === 'postgresql://u:***@h/db: sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full, got sometimes');
    delete process.env['PGSSLMODE'];
    assert.throws(() => pgSettings('postgresql://h/db?sslmode=on'), /sslmode must be one of .*, got on$/);
  });

  it('an unreadable URL is a storage error naming it masked, never with its password', () => {
    assert.throws(() => pgSettings('postgresql://u:pw@[::1/db'), (e: unknown) =>
      e instanceof StorageError && e.message === 'postgresql://u:***@[::1/db: not a valid postgresql:// URL');
    const e = (() => { try { pgSettings('postgresql://u:pw@h/db?sslmode=verify-ca&sslrootcert=/no/such/pw'); return null; } catch (err) { return err; } })();
    assert.ok(e instanceof StorageError, String(e));
    assert.ok(e.message.startsWith('postgresql://u:***@h/db?sslmode=verify-ca&sslrootcert=/no/such/'), e.message);
    assert.ok(e.message.endsWith("open '/no/such/***'"), `the password is scrubbed from the driver's message: ${e.message}`);
  });
});

describe('journal locations', () => {
  it('recognises journal:PATH in any case and resolves it to an absolute path', () => {
    assert.equal(isJournalLocation('journal:/shared/study.log'), true);
    assert.equal(isJournalLocation('  JOURNAL:rel/study.log'), true);
    assert.equal(isJournalLocation('study.db'), false);
    assert.equal(isJournalLocation('postgresql://h/journal:x'), false);
    assert.equal(journalPath('journal:/shared/study.log'), '/shared/study.log');
    assert.equal(journalPath(' journal:rel/study.log '), resolve('rel/study.log'));
    assert.equal(journalLocation('rel/study.log'), `journal:${resolve('rel/study.log')}`);
  });
});

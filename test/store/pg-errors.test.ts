/** What the PostgreSQL driver's errors mean (store/pg-errors.ts): retried, a conflict, or a setup problem with its fix. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StorageError, UsageError } from '../../src/core/errors.js';
import { firstLine, isConflict, isTransient, setupProblem, sqlState } from '../../src/store/pg-errors.js';

/** An error as the driver throws it: a message and, for a server error or a socket error, a code. */
function pgError(message: string, code?: unknown): Error {
  const e = new Error(message) as Error & { code?: unknown };
  if (code !== undefined) e.code = code;
  return e;
}

const NO_PASSWORD =
  'the server asks for a password and none was given: put it in the URL (postgresql://user:PASSWORD@host/db), $PGPASSWORD or ~/.pgpass';

describe('PostgreSQL errors', () => {
  it('sqlState is the error code when it is a string, else null', () => {
    assert.equal(sqlState(pgError('x', '40001')), '40001');
    assert.equal(sqlState(pgError('x', 'ECONNRESET')), 'ECONNRESET');
    assert.equal(sqlState(pgError('x', 42)), null);
    assert.equal(sqlState(pgError('x')), null);
    assert.equal(sqlState(null), null);
    assert.equal(sqlState(undefined), null);
    assert.equal(sqlState('40001'), null);
  });

  it('a serialization failure, a deadlock and a lock wait past lock_timeout are conflicts; nothing else is', () => {
    for (const code of ['40001', '40P01', '55P03']) assert.equal(isConflict(pgError('x', code)), true, code);
    for (const code of ['140001', '40001x', '4000', '40P0', '08006', '57P01', '23505']) assert.equal(isConflict(pgError('x', code)), false, code);
    assert.equal(isConflict(pgError('x')), false);
    assert.equal(isConflict(null), false);
  });

  it('a lost or refused connection, a shutdown, too many connections and a conflict are worth retrying', () => {
    for (const code of ['08006', '08001', '57P01', '57P02', '57P03', '53300', '40001', '40P01', '55P03', '25P03']) {
      assert.equal(isTransient(pgError('server said no', code)), true, code);
    }
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']) {
      assert.equal(isTransient(pgError('socket', code)), true, code);
    }
    for (const message of [
      'Connection terminated unexpectedly',
      'connection timeout expired',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
      'terminating connection due to administrator command',
      'the database system is starting up',
      'the database system is shutting down',
      'the database system is in recovery mode',
    ]) {
      assert.equal(isTransient(pgError(message)), true, message);
      assert.equal(isTransient(message), true, `${message} (not an Error)`);
    }
  });

  it('a constraint, a syntax error, an unknown code and an error of its own are final', () => {
    for (const code of ['23505', '42601', '57P04', '28P01', '22P02', '22008', 'ENOENT']) assert.equal(isTransient(pgError('x', code)), false, code);
    assert.equal(isTransient(pgError('duplicate key value')), false);
    assert.equal(isTransient(pgError('x', 5)), false);
    assert.equal(isTransient(new StorageError('Connection terminated unexpectedly')), false);
    assert.equal(isTransient(new UsageError('x')), false);
  });

  it('a setup problem is never retried, even with a transient code', () => {
    assert.equal(isTransient(pgError('password authentication failed for user "u"', '28P01')), false);
    assert.equal(isTransient(pgError('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string', 'ECONNRESET')), false);
    assert.equal(isTransient(pgError('The server does not support SSL connections', '08006')), false);
    assert.equal(isTransient(pgError('Connection terminated unexpectedly', 'DEPTH_ZERO_SELF_SIGNED_CERT')), false);
  });

  it('a missing password says where to put one', () => {
    for (const message of [
      'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string',
      'sasl: client PASSWORD must be a string',
      'no password supplied',
      'fe_sendauth: no password supplied',
      'no password was provided',
      'No password provided',
    ]) {
      assert.equal(setupProblem(pgError(message), null), NO_PASSWORD, message);
    }
    assert.equal(setupProblem('no password supplied', 'require'), NO_PASSWORD, 'a string thrown');
  });

  it('a wrong password (or any other SASL failure) says to check the user and the password', () => {
    const check = ': check the user name and the password (in the URL, $PGPASSWORD or ~/.pgpass)';
    const wrong = 'password authentication failed for user "u"';
    assert.equal(setupProblem(pgError(wrong, '28P01'), null), wrong + check);
    const sasl = 'SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature is missing';
    assert.equal(setupProblem(pgError(sasl), null), sasl + check);
    assert.equal(setupProblem(pgError('sasl: mechanism unknown'), null), 'sasl: mechanism unknown' + check);
    assert.equal(setupProblem(pgError('driver: SASL: x'), null), null, 'SASL only at the start of the message');
    assert.equal(
      setupProblem(pgError('driver said SASL: client password must be a string'), null),
      null,
      'the SASL password message only at the start',
    );
    assert.equal(setupProblem(pgError('SASL:x'), null), null);
  });

  it('a host refused by pg_hba.conf says so, with the sslmode when one was set', () => {
    const refused = 'no pg_hba.conf entry for host "10.0.0.1", user "u", database "d", no encryption';
    const rule = ": the server's pg_hba.conf must allow this host, user and database";
    assert.equal(setupProblem(pgError(refused, '28000'), null), refused + rule);
    assert.equal(setupProblem(pgError(refused, '28000'), 'disable'), `${refused}${rule} (sslmode=disable)`);
    assert.equal(setupProblem(pgError(refused, '28001'), 'disable'), null);
  });

  it('a server without TLS says how to turn it on or not ask for it, with the sslmode asked for', () => {
    const message = (mode: string) =>
      `the server does not accept TLS connections (sslmode=${mode}): turn ssl on in the server's configuration, or use sslmode=prefer (TLS when the server offers it) or sslmode=disable`;
    assert.equal(setupProblem(pgError('The server does not support SSL connections'), null), message('require'));
    assert.equal(setupProblem(pgError('the server DOES NOT SUPPORT ssl connections'), 'verify-full'), message('verify-full'));
  });

  it("a certificate that does not verify says to give its CA or to encrypt without verifying", () => {
    const message = (m: string) =>
      `TLS: the server's certificate does not verify (${m}): give its CA with sslrootcert=FILE, or use sslmode=require to encrypt without verifying`;
    for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED']) {
      assert.equal(setupProblem(pgError('self-signed certificate', code), 'verify-ca'), message('self-signed certificate'), code);
    }
    assert.equal(setupProblem(pgError('self-signed certificate'), 'verify-ca'), null, 'no code: not a certificate check');
    assert.equal(setupProblem(pgError('x', 'ECONNRESET'), 'verify-ca'), null);
  });

  it('any other error is no setup problem', () => {
    assert.equal(setupProblem(pgError('relation "trials" does not exist', '42P01'), 'require'), null);
    assert.equal(setupProblem(pgError('Connection terminated unexpectedly'), null), null);
    assert.equal(setupProblem(null, null), null);
  });

  it('firstLine is the first line of the message', () => {
    assert.equal(firstLine(pgError('one\ntwo\nthree')), 'one');
    assert.equal(firstLine(pgError('only')), 'only');
    assert.equal(firstLine('a string\nthrown'), 'a string');
    assert.equal(firstLine(pgError('')), '');
    assert.equal(firstLine(7), '7');
  });
});

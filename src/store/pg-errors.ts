/**
 * What the PostgreSQL driver's and server's errors mean to hpsearch: worth retrying (the
 * server cannot be reached for now), or final with a message that names the fix (a wrong
 * or missing password, TLS the server does not speak).
 */
import { HpsearchError } from '../core/errors.js';
import type { SslMode } from './pg-url.js';

/** SQLSTATE classes and codes, and socket errors, that mean "try again later". */
const TRANSIENT_SQLSTATE = /^(08|57P0[123]|53300|40001|40P01|55P03|25P03)/;
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const TRANSIENT_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down|in recovery mode)/i;
/** Certificate checks of sslmode=verify-ca / verify-full (Node's TLS error codes). */
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;

export function sqlState(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether the operation may succeed when tried again: the connection was lost, a serialization conflict, a lock wait timed out. */
export function isTransient(error: unknown): boolean {
  if (error instanceof HpsearchError || setupProblem(error, null) !== null) return false;
  const code = sqlState(error);
  if (code !== null && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_ERRNO.has(code))) return true;
  return TRANSIENT_MESSAGE.test(messageOf(error));
}

/** A transient error of the statement itself, not of the connection: a serialization failure, a deadlock, a lock wait past lock_timeout. */
export function isConflict(error: unknown): boolean {
  return /^(40001|40P01|55P03)$/.test(sqlState(error) ?? '');
}

/**
 * For an error that no retry can mend (authentication, TLS), what is wrong and how to fix
 * it; null for any other error.
 */
export function setupProblem(error: unknown, sslMode: SslMode | null): string | null {
  const message = messageOf(error);
  const code = sqlState(error);
  if (/^SASL: .*password must be a string/i.test(message) || /no password (was )?(supplied|provided)/i.test(message)) {
    return 'the server asks for a password and none was given: put it in the URL (postgresql://user:PASSWORD@host/db), $PGPASSWORD or ~/.pgpass';
  }
  if (code === '28P01' || /^SASL: /i.test(message)) {
    return `${message}: check the user name and the password (in the URL, $PGPASSWORD or ~/.pgpass)`;
  }
  if (code === '28000') {
    return `${message}: the server's pg_hba.conf must allow this host, user and database${sslMode === null ? '' : ` (sslmode=${sslMode})`}`;
  }
  if (/does not support SSL/i.test(message)) {
    return `the server does not accept TLS connections (sslmode=${sslMode ?? 'require'}): turn ssl on in the server's configuration, or use sslmode=prefer (TLS when the server offers it) or sslmode=disable`;
  }
  if (code !== null && CERTIFICATE.test(code)) {
    return `TLS: the server's certificate does not verify (${message}): give its CA with sslrootcert=FILE, or use sslmode=require to encrypt without verifying`;
  }
  return null;
}

/** The first line of an error's message (for the retry notice). */
export function firstLine(error: unknown): string {
  return messageOf(error).split('\n', 1)[0] ?? '';
}

/**
 * PostgreSQL locations: recognising them, masking their password, and turning one into the
 * driver's connection settings the way libpq users expect: user, password, host, port and
 * database from the URL, else PGUSER, PGPASSWORD, PGHOST, PGPORT, PGDATABASE (the driver's
 * defaults); a password from ~/.pgpass (or $PGPASSFILE) when neither gives one; `sslmode`
 * (or $PGSSLMODE) with libpq's meaning (disable, allow, prefer, require, verify-ca,
 * verify-full); `options=-c search_path=…` to keep the tables in a schema of one's own.
 */
import { parse } from 'pg-connection-string';
import type { ClientConfig } from 'pg';
import pgpass from 'pgpass';
import { StorageError, errorMessage } from '../core/errors.js';
import { maskPassword, scrub } from './pg-location.js';

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface PgSettings {
  config: ClientConfig;
  /** libpq's sslmode: with `allow` and `prefer`, a server without TLS is used in the clear. */
  sslMode: SslMode | null;
  /** The password given (URL or PGPASSWORD), to scrub from messages. */
  secret: string | undefined;
}

/** Connection settings for `url`; StorageError (naming the masked URL) when it cannot be read. */
export function pgSettings(url: string): PgSettings {
  const masked = maskPassword(url);
  let query: URLSearchParams;
  try {
    query = new URL(url.replace(/^postgres(ql)?:/i, 'http:')).searchParams;
  } catch (error) {
    throw new StorageError(`${masked}: not a valid postgresql:// URL`, { cause: error });
  }
  // A repeated sslmode means its last value, as for libpq and the driver.
  const rawMode = query.getAll('sslmode').at(-1) ?? process.env['PGSSLMODE'] ?? null;
  if (rawMode !== null && !(SSL_MODES as readonly string[]).includes(rawMode)) {
    throw new StorageError(`${masked}: sslmode must be one of ${SSL_MODES.join(', ')}, got ${rawMode}`);
  }
  const sslMode = rawMode as SslMode | null;
  let parsed: ReturnType<typeof parse>;
  try {
    const withMode = query.get('sslmode') === null && sslMode !== null ? `${url}${url.includes('?') ? '&' : '?'}sslmode=${sslMode}` : url;
    parsed = parse(withMode, { useLibpqCompat: true });
  } catch (error) {
    throw new StorageError(`${masked}: ${scrub(errorMessage(error), parsed_password(url))}`, { cause: error });
  }
  const { ssl, password, port, host, database, user, options, application_name } = parsed;
  // The driver reads an absent password as '': then PGPASSWORD, else ~/.pgpass.
  const secret = password !== undefined && password !== '' ? password : process.env['PGPASSWORD'];
  const config: ClientConfig = {
    ...(user !== undefined ? { user } : {}),
    ...(host !== null && host !== undefined && host !== '' ? { host } : {}),
    ...(port !== null && port !== undefined && port !== '' ? { port: Number(port) } : {}),
    ...(database !== null && database !== undefined ? { database } : {}),
    ...(options !== undefined ? { options } : {}),
    application_name: application_name ?? 'hpsearch',
    ssl: sslMode === 'allow' ? false : (ssl as ClientConfig['ssl']),
    // The driver calls a password function with its resolved connection parameters.
    password: secret !== undefined ? secret : (fromPgpass as unknown as () => Promise<string>),
  };
  return { config, sslMode, secret };
}

function parsed_password(url: string): string | undefined {
  const m = /^postgres(?:ql)?:\/\/[^:@/?#]*:([^@/?#]*)@/i.exec(url);
  return m?.[1] === undefined ? undefined : decodeURIComponent(m[1]);
}

interface PgpassInfo {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
}

/** The password ~/.pgpass (or $PGPASSFILE) gives for the connection; undefined when none. */
function fromPgpass(info: PgpassInfo): Promise<string | undefined> {
  return new Promise((resolve) => pgpass({ host: info.host, port: info.port, database: info.database, user: info.user }, resolve));
}

/**
 * A real PostgreSQL for the tests: $HPSEARCH_TEST_POSTGRES (scripts/test-postgres.sh starts
 * one). Each test gets a schema (or database) of its own, dropped when the process exits,
 * so test files running at once never meet. Without a reachable server, `pgSkip` says why.
 */
import pg from 'pg';

const url = process.env['HPSEARCH_TEST_POSTGRES'];

let reachable: Promise<string | null> | undefined;

/** Why the PostgreSQL tests skip (no server), or false when they run. */
export async function pgSkip(): Promise<string | false> {
  reachable ??= (async () => {
    if (url === undefined || url === '') return 'PostgreSQL tests skipped: HPSEARCH_TEST_POSTGRES is not set (scripts/test-postgres.sh start)';
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } catch (error) {
      return `PostgreSQL tests skipped: the server at HPSEARCH_TEST_POSTGRES is unreachable (${error instanceof Error ? error.message : String(error)})`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  const why = await reachable;
  return why ?? false;
}

/** The server's URL (only after pgSkip() returned false). */
export function pgUrl(): string {
  if (url === undefined) throw new Error('HPSEARCH_TEST_POSTGRES is not set');
  return url;
}

const created: { kind: 'SCHEMA' | 'DATABASE'; name: string }[] = [];
let counter = 0;

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
}

/** Runs `sql` as the test user on the server's default database. */
export async function adminQuery(sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A URL whose tables live in a fresh schema (search_path set through libpq's `options`). */
export async function freshSchemaUrl(): Promise<string> {
  const name = uniqueName('hpt');
  await adminQuery(`CREATE SCHEMA ${name}`);
  created.push({ kind: 'SCHEMA', name });
  return `${pgUrl()}${pgUrl().includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${name}`)}`;
}

/** A URL of a fresh database (for tests that run CLI processes against it). */
export async function freshDatabaseUrl(): Promise<string> {
  const name = uniqueName('hpdb');
  await adminQuery(`CREATE DATABASE ${name}`);
  created.push({ kind: 'DATABASE', name });
  const u = new URL(pgUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops what this process created (call from `after`). */
export async function dropCreated(): Promise<void> {
  for (const { kind, name } of created.splice(0).reverse()) {
    await adminQuery(`DROP ${kind} IF EXISTS ${name} ${kind === 'SCHEMA' ? 'CASCADE' : 'WITH (FORCE)'}`).catch(() => undefined);
  }
}

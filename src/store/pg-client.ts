/**
 * The PostgreSQL connection pool of PgStorage: transactions, retries with backoff while the
 * server cannot be reached (a restart, a cut link), and the mapping of the driver's errors
 * to StorageError with the password masked.
 */
import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import { HpsearchError, StorageError, errorMessage } from '../core/errors.js';
import type { PgSettings } from './pg-url.js';
import { scrub } from './pg-location.js';

/** int8 as a JavaScript number (ids, seeds and counts stay far below 2^53); timestamps as ISO-8601. */
const INT8 = 20;
const TIMESTAMPTZ = 1184;
const parseTimestamp = pg.types.getTypeParser(TIMESTAMPTZ) as (v: string) => Date;
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === TIMESTAMPTZ) return (v: string) => parseTimestamp(v).toISOString();
    return pg.types.getTypeParser(oid, format ?? 'text') as unknown;
  }) as typeof pg.types.getTypeParser,
};

/** SQLSTATE classes and codes, and socket errors, that mean "try again later". */
const TRANSIENT_SQLSTATE = /^(08|57P0[123]|53300|40001|40P01)/;
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

export function sqlState(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** Whether the operation may succeed when tried again: the connection was lost, or a serialization conflict. */
export function isTransient(error: unknown): boolean {
  if (error instanceof HpsearchError) return false;
  const code = sqlState(error);
  if (code !== null && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_ERRNO.has(code))) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection/i.test(message);
}

export interface PgClientOptions {
  /** How long an operation keeps retrying while the server cannot be reached (ms). */
  retryMs: number;
  /** Connections in the pool. */
  max: number;
}

/**
 * With HPSEARCH_PG_TRACE=1 every round trip to the server is written to stderr, one a line
 * (`pg: `, its milliseconds and the statement's first line), so its cost per trial can be counted.
 */
const TRACE = process.env['HPSEARCH_PG_TRACE'] === '1';
async function traced<T>(text: string, run: () => Promise<T>): Promise<T> {
  if (!TRACE) return run();
  const start = performance.now();
  try {
    return await run();
  } finally {
    process.stderr.write(`pg: ${(performance.now() - start).toFixed(2)} ms ${text.trimStart().split('\n', 1)[0]!}\n`);
  }
}

type Tx = <R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]) => Promise<R[]>;

export class PgClient {
  private readonly pool: pg.Pool;
  private closed = false;

  constructor(
    private readonly location: string,
    private readonly settings: PgSettings,
    private readonly options: PgClientOptions,
  ) {
    this.pool = new pg.Pool({ ...settings.config, max: options.max, types: TYPES, connectionTimeoutMillis: 10_000 });
    // An idle connection that the server drops (a restart) must not crash the process.
    this.pool.on('error', () => undefined);
    // As SQLite's synchronous=NORMAL: a commit does not wait for its WAL flush, so a crash of
    // the server's machine may lose the last fraction of a second of commits, never
    // consistency (a lost claim or finish leaves the trial stale, and it is re-run). A clean
    // shutdown or restart loses nothing.
    this.pool.on('connect', (client) => void client.query('SET synchronous_commit = off').catch(() => undefined));
  }

  /** The driver's and server's errors become StorageError naming the (masked) location; hpsearch's pass through. */
  toStorageError(error: unknown): Error {
    if (error instanceof HpsearchError) return error;
    if (error instanceof Error && (error instanceof pg.DatabaseError || sqlState(error) !== null || isTransient(error))) {
      return new StorageError(`${this.location}: ${scrub(error.message, this.settings.secret)}`, { cause: error });
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  /** Runs `attempt` until it succeeds, fails for good, or the server stays unreachable past retryMs. */
  private async retry<T>(attempt: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StorageError(`${this.location}: the storage is closed`);
    const deadline = Date.now() + this.options.retryMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        return await attempt();
      } catch (error) {
        if (this.closed || !isTransient(error) || Date.now() + delay > deadline) throw this.toStorageError(error);
        await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random())));
      }
    }
  }

  /** One statement (its own transaction: one round trip). */
  query<R extends QueryResultRow = QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    return this.retry(async () => (await traced(text, () => this.pool.query<R>(text, values))).rows);
  }

  /**
   * `fn` in one transaction (READ COMMITTED; the statements lock what they need), retried as
   * a whole. `head`, statements without parameters (`;`-separated; each with its own
   * snapshot, so a later one sees what an earlier one waited for), goes to the server with
   * BEGIN in the same round trip; `fn` gets the rows of its last statement.
   */
  transaction<T>(fn: (q: Tx, head: QueryResultRow[]) => Promise<T>, head = ''): Promise<T> {
    return this.retry(async () => {
      const client: PoolClient = await this.pool.connect();
      let broken: Error | undefined;
      // A connection lost between statements is an event, not an exception: note it (the
      // next statement fails and the transaction is retried) rather than crash the process.
      const onError = (error: Error): void => void (broken = error);
      client.on('error', onError);
      try {
        const begin = head === '' ? 'BEGIN' : `BEGIN; ${head}`;
        const started = (await traced(begin, () => client.query(begin))) as pg.QueryResult<QueryResultRow> | pg.QueryResult<QueryResultRow>[];
        const headRows: QueryResultRow[] = Array.isArray(started) ? started[started.length - 1]!.rows : [];
        const q: Tx = async <R extends QueryResultRow>(text: string, values: unknown[] = []) =>
          (await traced(text, () => client.query<R>(text, values))).rows;
        const result = await fn(q, headRows);
        await traced('COMMIT', () => client.query('COMMIT'));
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(errorMessage(e))));
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

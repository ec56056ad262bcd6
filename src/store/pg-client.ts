/**
 * The PostgreSQL connection pool of PgStorage: transactions, retries with backoff while the
 * server cannot be reached (a restart, a cut link), and the mapping of the driver's errors
 * to StorageError with the password masked. An outage has one budget (`retryMs`) for every
 * operation of the process, not one each: a run whose database is gone fails within it.
 */
import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import { HpsearchError, StorageError, errorMessage } from '../core/errors.js';
import { firstLine, isConflict, isTransient, setupProblem, sqlState } from './pg-errors.js';
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

export interface PgClientOptions {
  /** How long an operation keeps retrying while the server cannot be reached (ms). */
  retryMs: number;
  /** Connections in the pool. */
  max: number;
  /** Told when the server cannot be reached (and for how long it is retried), and when it is back. */
  notify?: (line: string) => void;
}

/**
 * Bounds on what a stalled process (stopped, paused) can hold up: a lock waited for longer
 * than LOCK_TIMEOUT_MS fails (and is retried), and a session idle inside a transaction for
 * IDLE_IN_TRANSACTION_MS is ended by the server, releasing its locks.
 */
const LOCK_TIMEOUT_MS = 5_000;
const IDLE_IN_TRANSACTION_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;

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

/**
 * A client that closes its socket when it fails to connect: the pool leaves it open, and a
 * failed authentication would keep the process alive until the server's
 * authentication_timeout (a minute) closed it.
 */
class ClosingClient extends pg.Client {
  override connect(): Promise<pg.Client>;
  override connect(callback: (err: Error | null, client?: pg.Client) => void): void;
  override connect(callback?: (err: Error | null, client?: pg.Client) => void): Promise<pg.Client> | void {
    if (callback === undefined) return super.connect();
    super.connect((err: Error | null) => {
      if (err instanceof Error) void this.end().catch(() => undefined);
      callback(err, this);
    });
  }
}

type Tx = <R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]) => Promise<R[]>;

export class PgClient {
  private readonly pool: pg.Pool;
  private closed = false;
  /** When the current outage began (Date.now()), or null while the server answers. */
  private outageSince: number | null = null;
  private lost = 0;

  constructor(
    private readonly location: string,
    private readonly settings: PgSettings,
    private readonly options: PgClientOptions,
  ) {
    // Settings go in the startup message (no SET round trip). synchronous_commit is left at
    // the server's default (on): a commit acknowledged is one a crash of the server keeps.
    this.pool = new pg.Pool({
      ...settings.config,
      Client: ClosingClient,
      max: options.max,
      types: TYPES,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      lock_timeout: LOCK_TIMEOUT_MS,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    });
    // An idle connection that the server drops (a restart) must not crash the process.
    this.pool.on('error', () => undefined);
  }

  /**
   * How many operations have failed for a lost connection so far. An operation whose
   * connection was lost as it committed may have been stored: a caller that can tell
   * compares this count before and after.
   */
  get losses(): number {
    return this.lost;
  }

  /** The driver's and server's errors become StorageError naming the (masked) location; hpsearch's pass through. */
  toStorageError(error: unknown): Error {
    if (error instanceof HpsearchError) return error;
    const problem = setupProblem(error, this.settings.sslMode);
    if (problem !== null) return new StorageError(`${this.location}: ${scrub(problem, this.settings.secret)}`, { cause: error });
    if (error instanceof Error && (error instanceof pg.DatabaseError || sqlState(error) !== null || isTransient(error))) {
      return new StorageError(`${this.location}: ${scrub(error.message, this.settings.secret)}`, { cause: error });
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  /**
   * Runs `attempt` until it succeeds, fails for good, or the outage outlasts retryMs (counted
   * from its start, for every operation alike). `attempt` is told whether an earlier try of
   * it was cut off, so that it may have been stored already.
   */
  private async retry<T>(attempt: (retried: boolean) => Promise<T>): Promise<T> {
    if (this.closed) throw new StorageError(`${this.location}: the storage is closed`);
    const began = Date.now();
    let retried = false;
    for (let delay = 50; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        const result = await attempt(retried);
        this.reachable();
        return result;
      } catch (error) {
        if (this.closed || !isTransient(error)) throw this.toStorageError(error);
        // A conflict (serialization, deadlock, lock wait) is this operation's alone; a lost connection, the outage's.
        const conflict = isConflict(error);
        if (!conflict) {
          this.lost += 1;
          retried = true;
        }
        const since = conflict ? began : this.unreachable(error);
        const left = since + this.options.retryMs - Date.now();
        if (left <= 0) {
          if (conflict) throw this.toStorageError(error);
          throw new StorageError(
            `${this.location}: the server could not be reached for ${Math.round((Date.now() - since) / 1000)} s; gave up (${scrub(firstLine(error), this.settings.secret)})`,
            { cause: error },
          );
        }
        await new Promise((r) => setTimeout(r, Math.min(left, delay * (0.5 + Math.random()))));
      }
    }
  }

  /** Notes a failed attempt: the start of the outage it belongs to. */
  private unreachable(error: unknown): number {
    if (this.outageSince === null) {
      this.outageSince = Date.now();
      this.options.notify?.(
        `cannot reach ${this.location} (${scrub(firstLine(error), this.settings.secret)}): retrying for up to ${Math.round(this.options.retryMs / 1000)} s`,
      );
    }
    return this.outageSince;
  }

  private reachable(): void {
    if (this.outageSince === null) return;
    this.options.notify?.(`${this.location} is back after ${((Date.now() - this.outageSince) / 1000).toFixed(1)} s`);
    this.outageSince = null;
  }

  /** One statement (its own transaction: one round trip). */
  query<R extends QueryResultRow = QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    return this.retry(async () => (await traced(text, () => this.pool.query<R>(text, values))).rows);
  }

  /**
   * As query, for a write that an earlier, cut-off try may have stored already: after one,
   * `again` (the same parameters) is sent instead of `text`, and `retried` says so.
   */
  write<R extends QueryResultRow = QueryResultRow>(text: string, values: unknown[], again = text): Promise<{ rows: R[]; retried: boolean }> {
    return this.retry(async (retried) => {
      const sql = retried ? again : text;
      return { rows: (await traced(sql, () => this.pool.query<R>(sql, values))).rows, retried };
    });
  }

  /**
   * `fn` in one transaction (READ COMMITTED), retried as a whole: reads that want one
   * snapshot, and the migrations. Writes on the trial path are single statements instead,
   * so that no lock is held while this process waits.
   */
  transaction<T>(fn: (q: Tx) => Promise<T>): Promise<T> {
    return this.retry(async () => {
      const client: PoolClient = await this.pool.connect();
      let broken: Error | undefined;
      // A connection lost between statements is an event, not an exception: note it (the
      // next statement fails and the transaction is retried) rather than crash the process.
      const onError = (error: Error): void => void (broken = error);
      client.on('error', onError);
      try {
        await traced('BEGIN', () => client.query('BEGIN'));
        const q: Tx = async <R extends QueryResultRow>(text: string, values: unknown[] = []) =>
          (await traced(text, () => client.query<R>(text, values))).rows;
        const result = await fn(q);
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

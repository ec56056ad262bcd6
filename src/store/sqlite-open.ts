/** Opening a SQLite database: connection settings, schema checks, migrations, error mapping. */
import Database from 'better-sqlite3';
import { HpsearchError, StorageError } from '../core/errors.js';
import type { Migration } from './sqlite-schema.js';
import { checkSchema, migrate } from './sqlite-schema.js';
import { freeBytesAt, fullDiskMessage } from './sqlite-full.js';
import { assertWritableByHpsearch, notWritable } from './sqlite-guard.js';

export type Db = Database.Database;

export function sqliteCode(error: unknown): string | null {
  return error instanceof Database.SqliteError ? error.code : null;
}

/**
 * SQLite's errors become StorageError (exit 4) naming the file; hpsearch's own pass
 * through, and so do others (a caller's `build` throwing) unless `all` is set (opening).
 */
export function toStorageError(error: unknown, path: string, all = false): Error {
  if (error instanceof HpsearchError) return error;
  if (error instanceof Database.SqliteError || (all && error instanceof Error)) {
    const full = error instanceof Database.SqliteError ? fullDiskMessage(error.code, path, freeBytesAt(path)) : null;
    return new StorageError(full ?? `${path}: ${error.message}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Sleeps synchronously (opening is synchronous). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Retries `fn` while SQLite reports BUSY (switching to WAL can race with another opener). */
function retryBusy<T>(fn: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return fn();
    } catch (error) {
      if (!String(sqliteCode(error)).startsWith('SQLITE_BUSY') || Date.now() > deadline) throw error;
      sleepSync(10 + Math.random() * 40);
    }
  }
}

/** A file or directory `run` may not write (permissions, a read-only mount). */
function isNotWritable(error: unknown): boolean {
  const code = sqliteCode(error) ?? '';
  return code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM';
}

/**
 * Opens `path` with busy timeout, foreign keys, WAL and synchronous=NORMAL, refuses a file
 * of another program or a newer schema before writing anything, and migrates. Every failure
 * is a StorageError naming the path.
 */
export function openDatabase(path: string, busyTimeoutMs: number, migrations: readonly Migration[]): Db {
  let db: Db | undefined;
  try {
    retryBusy(() => assertWritableByHpsearch(path), busyTimeoutMs);
    db = new Database(path, { timeout: busyTimeoutMs });
    const conn = db;
    conn.pragma(`busy_timeout = ${busyTimeoutMs}`);
    conn.pragma('foreign_keys = ON');
    retryBusy(() => checkSchema(conn, path, migrations), busyTimeoutMs);
    retryBusy(() => {
      if (conn.pragma('journal_mode', { simple: true }) !== 'wal') conn.pragma('journal_mode = WAL');
    }, busyTimeoutMs);
    conn.pragma('synchronous = NORMAL');
    retryBusy(() => migrate(conn, path, migrations), busyTimeoutMs);
    return conn;
  } catch (error) {
    db?.close();
    if (isNotWritable(error)) throw notWritable(path, error);
    throw toStorageError(error, path, true);
  }
}

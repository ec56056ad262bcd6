import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NotFoundError, StorageError, errorMessage } from '../core/errors.js';
import { isJournalLocation, journalPath } from './journal-location.js';
import { isPostgresUrl, maskPassword } from './pg-location.js';
import type { Storage } from './storage.js';

export interface OpenOptions {
  /** Refuse to create a new database (query commands): a missing file is NotFoundError (exit 3). */
  mustExist?: boolean;
  /** Queries: open read-only (implies mustExist); nothing is created, migrated or written. */
  readOnly?: boolean;
  /** Told when a database server cannot be reached (and for how long it is retried), and when it is back. */
  notify?: (line: string) => void;
}

/**
 * Opens the storage at `location`: ":memory:" is a fresh in-memory store; a `postgresql://`
 * (or `postgres://`) URL is a PostgreSQL database (pg.ts); `journal:PATH` is a journal file
 * on a shared file system (journal.ts); anything else is
 * a SQLite file path (parent directories are created). Errors are StorageError (exit 4).
 * The SQLite driver is loaded only here, on demand.
 */
export async function openStorage(location: string, options: OpenOptions = {}): Promise<Storage> {
  if (location === ':memory:') {
    const { MemoryStorage } = await import('./memory.js');
    return new MemoryStorage();
  }
  if (location.trim() === '') throw new StorageError('the storage location is empty');
  if (isPostgresUrl(location)) {
    const { PgStorage } = await import('./pg.js');
    return PgStorage.open(location.trim(), {
      mustExist: options.mustExist === true,
      ...(options.notify === undefined ? {} : { notify: options.notify }),
    });
  }
  if (isJournalLocation(location)) {
    const path = journalPath(location);
    if ((options.mustExist === true || options.readOnly === true) && !existsSync(path)) throw new NotFoundError(`no study journal at ${path}`);
    const { JournalStorage } = await import('./journal.js');
    return JournalStorage.open(path, { readOnly: options.readOnly === true });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new StorageError(
      `${maskPassword(location)}: only SQLite files (a path), postgresql:// URLs, journal:PATH files and ":memory:" are supported as storage`,
    );
  }
  const path = resolve(location);
  if ((options.mustExist === true || options.readOnly === true) && !existsSync(path)) {
    throw new NotFoundError(`no study database at ${path}`);
  }
  const { SqliteStorage } = await import('./sqlite.js');
  if (options.readOnly === true) return new SqliteStorage(path, { readOnly: true });
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new StorageError(`${path}: cannot create its directory: ${errorMessage(error)}`, { cause: error });
  }
  return new SqliteStorage(path);
}

/**
 * What hpsearch may open, decided before any write or pragma: it writes only to a file that
 * is absent, empty, or already carries its application id, and queries open read-only.
 */
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { NotFoundError, StorageError, errorMessage } from '../core/errors.js';
import { APPLICATION_ID } from './sqlite-schema.js';

const UNCHANGED = 'nothing was changed';

interface Identity {
  applicationId: number;
  version: number;
  objects: number;
}

/** Reads a database's identity through a read-only connection (WAL content included). */
function identify(db: Database.Database, path: string): Identity {
  try {
    return {
      applicationId: db.pragma('application_id', { simple: true }) as number,
      version: db.pragma('user_version', { simple: true }) as number,
      objects: (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n,
    };
  } catch (error) {
    throw new StorageError(`${path}: not an SQLite database hpsearch can read (${errorMessage(error)}; ${UNCHANGED})`, { cause: error });
  }
}

function foreign(path: string, applicationId: number): StorageError {
  const what = applicationId !== 0 ? `application_id ${applicationId}` : 'it holds tables of another program';
  return new StorageError(`${path}: not an hpsearch database (${what}); hpsearch writes only to files it created (${UNCHANGED})`);
}

/** What a file is, from its first 100 bytes (the SQLite header), or null when absent. */
type Kind = 'empty' | 'ours' | 'unmarked';

function readHeader(path: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StorageError(`${path}: cannot read the file (${errorMessage(error)})`, { cause: error });
  }
  try {
    const header = Buffer.alloc(100);
    return header.subarray(0, readSync(fd, header, 0, 100, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Classifies `path` without opening it as a database (so nothing, not even a WAL file, is
 * created for a file of another program): its application id (offset 68) and page count
 * (offset 28). Pages of tables exist only after a first table, which in an hpsearch
 * database is written in the same transaction as its application id.
 */
function classify(path: string): Kind | null {
  const header = readHeader(path);
  if (header === null) return null;
  if (header.length === 0) return 'empty';
  if (header.length < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
    throw new StorageError(`${path}: not an SQLite database; hpsearch writes only to files it created (${UNCHANGED})`);
  }
  const applicationId = header.readUInt32BE(68);
  if (applicationId === APPLICATION_ID) return 'ours';
  if (applicationId !== 0) throw foreign(path, applicationId);
  return 'unmarked';
}

/**
 * What an SQLite file whose header has no application id holds: nothing yet, hpsearch's
 * tables whose id is still only in the WAL (a run that was killed), or another program's.
 * A rollback-journal file is looked into read-only (which creates nothing); a WAL file only
 * when its WAL exists, else from the header: one page is a database without tables.
 */
function unmarked(path: string): 'blank' | 'ours' | 'foreign' {
  const header = readHeader(path)!;
  // Another process may have finished creating it since its header was first read: the id
  // is in the header now, with the tables' pages (which without it would mean another program's).
  if (header.length >= 100 && header.readUInt32BE(68) === APPLICATION_ID) return 'ours';
  const walFile = `${path}-wal`;
  const hasWal = existsSync(walFile) && statSync(walFile).size > 0;
  if (header[18] !== 1 && !hasWal) return header.readUInt32BE(28) <= 1 ? 'blank' : 'foreign';
  const probe = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const id = identify(probe, path);
    if (id.applicationId === APPLICATION_ID) return 'ours';
    return id.applicationId === 0 && id.objects === 0 ? 'blank' : 'foreign';
  } finally {
    probe.close();
  }
}

/**
 * Refuses a file hpsearch did not create, touching nothing: it may write to `path` only when
 * it is absent, empty, an SQLite database without any table, or carries hpsearch's id.
 */
export function assertWritableByHpsearch(path: string): void {
  const kind = classify(path);
  if (kind === null || kind === 'empty' || kind === 'ours') return;
  if (unmarked(path) === 'foreign') throw foreign(path, 0);
}

/** A read-only connection and what to remove once it is closed. */
export interface ReadOnlyDb {
  db: Database.Database;
  cleanup: () => void;
}

/**
 * Opens an existing hpsearch database read-only (queries): never creates, migrates or sets a
 * pragma that writes. A WAL database whose shared-memory file cannot be created beside it
 * (a directory of another owner, a read-only mount) is read from a private copy.
 */
export function openReadOnly(path: string, busyTimeoutMs: number, knownVersion: number): ReadOnlyDb {
  const kind = classify(path);
  const what = kind === 'unmarked' ? unmarked(path) : kind;
  if (what === null || what === 'empty' || what === 'blank') throw new NotFoundError(`no study database at ${path}`);
  if (what === 'foreign') throw foreign(path, 0);
  let opened: ReadOnlyDb = { db: connect(path, busyTimeoutMs), cleanup: () => undefined };
  let id: Identity;
  try {
    id = identify(opened.db, path);
  } catch (error) {
    opened.db.close();
    if (!/readonly|unable to open/i.test(errorMessage(error))) throw error;
    opened = fromCopy(path, busyTimeoutMs);
    id = identify(opened.db, path);
  }
  try {
    if (id.applicationId !== APPLICATION_ID) throw foreign(path, id.applicationId);
    if (id.version > knownVersion) {
      throw new StorageError(
        `${path}: the database has schema version ${id.version}, newer than this hpsearch knows (${knownVersion}); ` +
          `it was written by a newer hpsearch — upgrade hpsearch to open it (${UNCHANGED})`,
      );
    }
    if (id.version < knownVersion) {
      throw new StorageError(
        `${path}: the database has schema version ${id.version}, older than this hpsearch's (${knownVersion}); ` +
          `queries never migrate: run \`hpsearch run\` on it once to upgrade (${UNCHANGED})`,
      );
    }
    return opened;
  } catch (error) {
    opened.db.close();
    opened.cleanup();
    throw error;
  }
}

function connect(path: string, busyTimeoutMs: number): Database.Database {
  try {
    return new Database(path, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  } catch (error) {
    throw new StorageError(`${path}: cannot open the database (${errorMessage(error)})`, { cause: error });
  }
}

/** Copies the database (and its WAL, if any) to a private directory and opens the copy. */
function fromCopy(path: string, busyTimeoutMs: number): ReadOnlyDb {
  const dir = mkdtempSync(join(tmpdir(), 'hpsearch-read-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const copy = join(dir, basename(path));
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    return { db: connect(copy, busyTimeoutMs), cleanup };
  } catch (error) {
    cleanup();
    throw error instanceof StorageError ? error : new StorageError(`${path}: cannot read the database (${errorMessage(error)})`, { cause: error });
  }
}

/** The error for a database `run` cannot write, saying what is needed. */
export function notWritable(path: string, error: unknown): StorageError {
  return new StorageError(
    `${path}: cannot write to the study database (${errorMessage(error)}): \`run\` needs write access to the file and its ` +
      'directory; the queries (studies, trials, show, best, diagnose, check) open it read-only',
    { cause: error },
  );
}

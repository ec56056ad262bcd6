/**
 * The journal's write lock: a lock file beside the log, created with O_EXCL (`wx`), which
 * is atomic on NFS (v3 and later) and Lustre, unlike flock/fcntl locks or mmap. The holder
 * writes its owner (host, pid, token) into it; a lock whose owner is a dead process on
 * this host, or that is older than `staleMs`, is broken (renamed away, checked to be the
 * one judged stale, then removed).
 */
import { closeSync, fstatSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { StorageError, errorMessage } from '../core/errors.js';

export interface LockOptions {
  /** A lock older than this is taken for one left by a killed process (default 30 s). */
  staleMs?: number;
  /** Give up waiting for the lock after this long (default 120 s). */
  timeoutMs?: number;
}

interface Owner {
  host: string;
  pid: number;
  token: string;
}

/** A held lock: the file server's time when it was taken (its mtime), for the storage's clock. */
export interface HeldLock {
  readonly path: string;
  readonly token: string;
  readonly takenAtMs: number;
}

const HOST = hostname();
const MAX_BACKOFF_MS = 10;

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

function parseOwner(text: string): Owner | null {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    return typeof o.host === 'string' && typeof o.pid === 'number' && typeof o.token === 'string' ? (o as Owner) : null;
  } catch {
    return null;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isErrno(error, 'ESRCH');
  }
}

/** One attempt: the lock, or null when another holds it. */
function tryCreate(path: string): HeldLock | null {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return null;
    throw new StorageError(`${path}: cannot create the journal's lock file: ${errorMessage(error)}`, { cause: error });
  }
  const token = randomBytes(8).toString('hex');
  try {
    writeSync(fd, JSON.stringify({ host: HOST, pid: process.pid, token } satisfies Owner));
    return { path, token, takenAtMs: fstatSync(fd).mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** Whether the lock file as read (`text`, last changed at `mtimeMs`) was left by a dead process. */
function isStale(text: string, mtimeMs: number, staleMs: number): boolean {
  const owner = parseOwner(text);
  if (owner !== null && owner.host === HOST && owner.pid !== process.pid && !processIsAlive(owner.pid)) return true;
  return Date.now() - mtimeMs > staleMs;
}

/**
 * Removes the lock at `path` if it is still the one read as `text`: renaming is atomic, so
 * of two processes breaking one stale lock only one gets it; a fresh lock renamed by mistake
 * (taken between the read and the rename) is linked back.
 */
function breakLock(path: string, text: string): void {
  const aside = `${path}.broken-${HOST}-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return;
    throw new StorageError(`${path}: cannot break a stale lock: ${errorMessage(error)}`, { cause: error });
  }
  try {
    if (readFileSync(aside, 'utf8') !== text) linkSync(aside, path);
  } catch {
    // Restoring a lock taken meanwhile failed because yet another was taken: that one holds.
  } finally {
    unlinkSync(aside);
  }
}

/** Looks at the lock held by another: breaks it when stale. */
function inspect(path: string, staleMs: number): void {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return;
    throw new StorageError(`${path}: cannot read the journal's lock file: ${errorMessage(error)}`, { cause: error });
  }
  if (isStale(text, mtimeMs, staleMs)) breakLock(path, text);
}

/** Takes the lock at `path`, waiting (with growing, jittered pauses) while another holds it. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const staleMs = options.staleMs ?? 30_000;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let pause = 1;
  for (let tries = 0; ; tries++) {
    const held = tryCreate(path);
    if (held !== null) return held;
    // A dead holder is noticed at once; a stale lock's age is checked every few tries.
    if (tries % 8 === 0) inspect(path, staleMs);
    if (Date.now() > deadline) throw new StorageError(`${path}: the journal's lock was held by another process for over ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s`);
    await sleep(pause * (0.5 + Math.random()));
    pause = Math.min(MAX_BACKOFF_MS, pause * 2);
  }
}

/** Releases `lock`, unless it was broken as stale and another process holds the file now. */
export function releaseLock(lock: HeldLock): void {
  try {
    if (parseOwner(readFileSync(lock.path, 'utf8'))?.token === lock.token) unlinkSync(lock.path);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw new StorageError(`${lock.path}: cannot release the journal's lock: ${errorMessage(error)}`, { cause: error });
  }
}

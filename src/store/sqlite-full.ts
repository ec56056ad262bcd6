/** Saying "the disk is full, and where" instead of SQLite's "disk I/O error". */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';

/** Below this much free space, an I/O error on write is taken for a full disk. */
const NEARLY_FULL_BYTES = 16 * 1024 * 1024;

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * The message for a SQLite error that a full disk explains (SQLITE_FULL, or an I/O error with
 * almost no space left where the database lives), or null. `freeBytes` is the space left
 * on the database's filesystem (null: unknown).
 */
export function fullDiskMessage(code: string, path: string, freeBytes: number | null): string | null {
  const io = code.startsWith('SQLITE_IOERR');
  if (code !== 'SQLITE_FULL' && !io) return null;
  const dir = dirname(path);
  const nearlyFull = freeBytes !== null && freeBytes < NEARLY_FULL_BYTES;
  if (nearlyFull) {
    return `${path}: the disk is full (${mib(freeBytes)} free on the filesystem of ${dir}): free some space there, or give --storage a path on another disk`;
  }
  if (io) return null;
  const free = freeBytes === null ? '' : ` (${mib(freeBytes)} free on the filesystem of ${dir})`;
  return `${path}: the database or its disk is full${free}: SQLite could not grow the file`;
}

/** Free bytes on the filesystem holding `path`, or null when that cannot be read. */
export function freeBytesAt(path: string): number | null {
  try {
    const s = statfsSync(dirname(path));
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

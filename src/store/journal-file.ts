/**
 * The journal file: a header line naming hpsearch, then one JSON line per operation.
 * Read from a byte offset to the last complete line (a line still being written, or torn by
 * a killed writer, is left for later); appended with one write and an fsync. Every read and
 * write opens the file afresh, so that NFS's close-to-open consistency shows other hosts' lines.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { StorageError, errorMessage } from '../core/errors.js';

export const JOURNAL_FORMAT = 'hpsearch-journal';
/**
 * 2: a finishTrial line may carry the trial's last epochs (`finish.epochs`). A version-1
 * journal is written as version 1 (its epochs in lines of their own), so that an older
 * hpsearch reading it loses nothing.
 */
export const JOURNAL_VERSION = 2;

/** The first line of every journal hpsearch creates. */
export function headerLine(now: Date): string {
  return `${JSON.stringify({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION, created: now.toISOString() })}\n`;
}

/** The version of the journal whose first line is `line`; throws StorageError unless hpsearch can read it. */
export function checkHeader(path: string, line: string): number {
  let header: unknown;
  try {
    header = JSON.parse(line);
  } catch {
    header = null;
  }
  const h = typeof header === 'object' && header !== null ? (header as Record<string, unknown>) : {};
  if (h['format'] !== JOURNAL_FORMAT) {
    throw new StorageError(`${path}: not an hpsearch journal (its first line is not an hpsearch header); hpsearch writes only to files it created`);
  }
  if (typeof h['version'] !== 'number' || h['version'] > JOURNAL_VERSION) {
    throw new StorageError(`${path}: journal format version ${String(h['version'])} is newer than this hpsearch reads (${JOURNAL_VERSION}); upgrade hpsearch`);
  }
  return h['version'];
}

/** The complete lines from `offset` on, the offset after the last of them, and the file's size. */
export interface Chunk {
  lines: string[];
  end: number;
  size: number;
}

const NEWLINE = 0x0a;

/** Reads the complete lines of the open file `fd` from `offset`. */
export function readLines(fd: number, offset: number): Chunk {
  const size = fstatSync(fd).size;
  if (size <= offset) return { lines: [], end: offset, size };
  const buffer = Buffer.allocUnsafe(size - offset);
  let got = 0;
  while (got < buffer.length) {
    const n = readSync(fd, buffer, got, buffer.length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  const last = buffer.subarray(0, got).lastIndexOf(NEWLINE);
  if (last < 0) return { lines: [], end: offset, size };
  const lines = buffer.toString('utf8', 0, last).split('\n');
  return { lines, end: offset + last + 1, size };
}

/** Runs `fn` with the journal at `path` open (`r`: reading, `r+`: writing), closing it after. */
export function withFile<T>(path: string, flags: 'r' | 'r+', fn: (fd: number) => T): T {
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (error) {
    throw new StorageError(`${path}: cannot open the journal: ${errorMessage(error)}`, { cause: error });
  }
  try {
    return fn(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `text` at `offset` (the end of the last complete line) in one write, first cutting
 * off whatever follows it (a line torn by a killed writer: the caller holds the lock, so no
 * one is writing), then fsyncs. Returns the new end.
 */
export function appendAt(fd: number, offset: number, size: number, text: string): number {
  if (size > offset) ftruncateSync(fd, offset);
  const buffer = Buffer.from(text, 'utf8');
  let put = 0;
  while (put < buffer.length) put += writeSync(fd, buffer, put, buffer.length - put, offset + put);
  fsyncSync(fd);
  return offset + buffer.length;
}

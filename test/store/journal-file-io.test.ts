/**
 * The journal file's reads and writes when the system does less than asked: a read or a write
 * that moves fewer bytes than requested (POSIX allows both), a file that shrinks between its size
 * being read and the read, and the tail of a journal larger than 2 GiB. The short transfers are
 * made by wrapping node:fs's readSync/writeSync (the module's imports follow the CommonJS object
 * through syncBuiltinESMExports); the bytes still go through the real calls.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import { appendAt, readLines, withFile } from '../../src/store/journal-file.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('hpsearch-journal-io-');
let counter = 0;
function fileWith(text: string): string {
  const path = join(dir, `study-${counter++}.log`);
  fs.writeFileSync(path, text);
  return path;
}

type Transfer = (fd: number, buffer: Buffer, offset: number, length: number, position: number) => number;

/** Runs `fn` with node:fs's `name` replaced by `wrap(real)`, restoring it after. */
function withPatched<T>(name: 'readSync' | 'writeSync', wrap: (real: Transfer) => Transfer, fn: () => T): T {
  const real = fs[name] as unknown as Transfer;
  const patched = mock.method(fs, name, wrap(real));
  syncBuiltinESMExports();
  try {
    return fn();
  } finally {
    patched.mock.restore();
    syncBuiltinESMExports();
  }
}

/** At most `most` bytes a call; a request outside the buffer goes to the real call as it is (which refuses it). */
const capped = (most: number) => (real: Transfer): Transfer => (fd, buffer, offset, length, position) =>
  real(fd, buffer, offset, offset + length > buffer.length ? length : Math.min(length, most), position);

describe('journal file, short transfers', () => {
  it('a read that returns fewer bytes than asked is continued where it stopped', () => {
    const text = 'header\n{"a":"é"}\n{"b":2}\n{"c":';
    const path = fileWith(text);
    const whole = withFile(path, 'r', (fd) => readLines(fd, 7));
    assert.deepEqual(whole, { lines: ['{"a":"é"}', '{"b":2}'], end: 26, size: Buffer.byteLength(text) });
    const bit = withPatched('readSync', capped(3), () => withFile(path, 'r', (fd) => readLines(fd, 7)));
    assert.deepEqual(bit, whole, 'three bytes a read give the same lines');
  });

  it('a file that shrinks between its size and its read gives the lines that were still there', () => {
    const path = fileWith('h\n{"a":1}\n{"b":2}\n');
    let reads = 0;
    const shrinking = (real: Transfer): Transfer => (fd, buffer, offset, length, position) => {
      if (++reads > 100) throw new Error('read again and again at the end of the file');
      if (reads === 1) fs.truncateSync(path, 10);
      return real(fd, buffer, offset, length, position);
    };
    const chunk = withPatched('readSync', shrinking, () => withFile(path, 'r', (fd) => readLines(fd, 2)));
    assert.deepEqual(chunk, { lines: ['{"a":1}'], end: 10, size: 18 });
  });

  it('a write that takes fewer bytes than given is continued until all of the text is written', () => {
    const path = fileWith(`h\n{"a":1}\n{"torn":`);
    const text = '{"b":"é"}\n{"c":3}\n';
    const end = withPatched('writeSync', capped(4), () => withFile(path, 'r+', (fd) => appendAt(fd, 10, 18, text)));
    assert.equal(end, 10 + Buffer.byteLength(text));
    assert.equal(fs.readFileSync(path, 'utf8'), `h\n{"a":1}\n${text}`);
  });
});

describe('journal file, large', () => {
  it('reads the tail of a journal over 2 GiB from a late offset, holding only what follows it', () => {
    // A sparse file: 2 GiB and a little of nothing, then one line.
    const path = join(dir, `large-${counter++}.log`);
    const offset = 2 ** 31 + 64;
    const fd = fs.openSync(path, 'w');
    try {
      fs.writeSync(fd, '{"late":1}\n', offset);
    } finally {
      fs.closeSync(fd);
    }
    try {
      const chunk = withFile(path, 'r', (f) => readLines(f, offset));
      assert.deepEqual(chunk, { lines: ['{"late":1}'], end: offset + 11, size: offset + 11 });
    } finally {
      fs.rmSync(path);
    }
  });
});

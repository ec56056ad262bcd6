/** The journal file's lines in process: its header, reading complete lines from an offset, appending over a torn line. */
import assert from 'node:assert/strict';
import { fstatSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageError } from '../../src/core/errors.js';
import { appendAt, checkHeader, headerLine, readLines, withFile } from '../../src/store/journal-file.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('hpsearch-journal-lines-');
let counter = 0;
function fileWith(text: string): string {
  const path = join(dir, `study-${counter++}.log`);
  writeFileSync(path, text);
  return path;
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('journal header', () => {
  it('names the format, its version and when it was created, on one line', () => {
    const line = headerLine(new Date('2026-12-07T10:11:12.345Z'));
    assert.equal(line, '{"format":"hpsearch-journal","version":2,"created":"2026-12-07T10:11:12.345Z"}\n');
    assert.equal(checkHeader('x.log', line.trimEnd()), 2, 'the version read is returned');
    assert.equal(checkHeader('x.log', '{"format":"hpsearch-journal","version":1}'), 1, 'an older version is read');
    assert.equal(checkHeader('x.log', '{"format":"hpsearch-journal","version":0}'), 0);
  });

  it("refuses a first line that is not hpsearch's, and a version newer than this one reads", () => {
    const foreign = "x.log: not an hpsearch journal (its first line is not an hpsearch header); hpsearch writes only to files it created";
    for (const line of ['', 'notes', 'null', '[]', '"hpsearch-journal"', '{"format":"other","version":1}', '{"version":1}']) {
      assert.throws(() => checkHeader('x.log', line), (e: unknown) => e instanceof StorageError && e.message === foreign, line);
    }
    const newer = (v: string): string => `x.log: journal format version ${v} is newer than this hpsearch reads (2); upgrade hpsearch`;
    for (const [version, shown] of [['3', '3'], ['"1"', '1'], ['null', 'null']] as const) {
      const line = `{"format":"hpsearch-journal","version":${version}}`;
      assert.throws(() => checkHeader('x.log', line), (e: unknown) => e instanceof StorageError && e.message === newer(shown), line);
    }
    assert.throws(() => checkHeader('x.log', '{"format":"hpsearch-journal"}'), { message: newer('undefined') });
  });
});

describe('journal lines', () => {
  it('reads the complete lines from an offset, leaving a line still being written for later', () => {
    // Byte offsets, not characters: "é" is two bytes.
    const path = fileWith('{"a":"é"}\n\n{"b":2}\n{"c":');
    withFile(path, 'r', (fd) => {
      const first = readLines(fd, 0);
      assert.deepEqual(first, { lines: ['{"a":"é"}', '', '{"b":2}'], end: 20, size: 25 });
      assert.deepEqual(readLines(fd, 11), { lines: ['', '{"b":2}'], end: 20, size: 25 }, 'an empty line is a line');
      assert.deepEqual(readLines(fd, 12), { lines: ['{"b":2}'], end: 20, size: 25 });
      assert.deepEqual(readLines(fd, 20), { lines: [], end: 20, size: 25 }, 'only a torn line: nothing yet');
      assert.deepEqual(readLines(fd, 25), { lines: [], end: 25, size: 25 });
      assert.deepEqual(readLines(fd, 40), { lines: [], end: 40, size: 25 }, 'past the end (the file was replaced by a shorter one)');
    });
    withFile(fileWith(''), 'r', (fd) => assert.deepEqual(readLines(fd, 0), { lines: [], end: 0, size: 0 }));
    // An empty line alone is still a line: the reader moves past it.
    withFile(fileWith('h\n\n'), 'r', (fd) => assert.deepEqual(readLines(fd, 2), { lines: [''], end: 3, size: 3 }));
  });

  it('appends at the end of the last complete line, cutting off a torn one longer than the text', () => {
    const path = fileWith(`a\nb\n{"torn":"${'x'.repeat(100)}`);
    const end = withFile(path, 'r+', (fd) => {
      const { end: at, size } = readLines(fd, 0);
      return appendAt(fd, at, size, 'c\n');
    });
    assert.equal(readFileSync(path, 'utf8'), 'a\nb\nc\n');
    assert.equal(end, 6);
    const next = withFile(path, 'r+', (fd) => appendAt(fd, 6, 6, '{"é":1}\n'));
    assert.equal(next, 6 + Buffer.byteLength('{"é":1}\n'), 'the new end counts bytes');
    assert.equal(readFileSync(path, 'utf8'), 'a\nb\nc\n{"é":1}\n');
  });

  it('closes the file after use, also when the work fails, and names a journal it cannot open', () => {
    const path = fileWith('a\n');
    const before = openFds();
    let seen = -1;
    assert.equal(withFile(path, 'r', (fd) => { seen = fd; return fstatSync(fd).size; }), 2);
    assert.throws(() => fstatSync(seen), { code: 'EBADF' });
    assert.throws(() => withFile(path, 'r', () => { throw new Error('boom'); }), { message: 'boom' });
    assert.equal(openFds(), before, 'no file left open');

    const missing = join(dir, 'missing', 'study.log');
    assert.throws(
      () => withFile(missing, 'r', () => 0),
      (e: unknown) => e instanceof StorageError && e.message.startsWith(`${missing}: cannot open the journal: ENOENT`) && (e.cause as NodeJS.ErrnoException).code === 'ENOENT',
    );
  });
});

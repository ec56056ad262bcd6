import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadCsv, parseCsv } from '../../src/train/data/csv.js';
import { loadData } from '../../src/train/data/index.js';
import { applyPreprocess, fitPreprocess } from '../../src/train/data/preprocess.js';
import { stratifiedSplit } from '../../src/train/data/split.js';
import { blobs, spirals } from '../../src/train/data/synthetic.js';
import { fixturesDir, tempDir } from '../helpers.js';
import { dataSpec } from './helpers.js';

const FLOWERS = join(fixturesDir, 'train-flowers.csv');

function counts(labels: ArrayLike<number>, classes: number): number[] {
  const out = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) out[labels[i]!]!++;
  return out;
}

describe('csv', () => {
  it('parses quoted fields and maps sorted labels to classes', () => {
    assert.deepEqual(parseCsv('a,"b, c","d ""e"""\r\n1,2,3\n\n'), [['a', 'b, c', 'd "e"'], ['1', '2', '3']]);
    const raw = loadCsv(FLOWERS, 'species', true);
    assert.equal(raw.n, 18);
    assert.equal(raw.features, 3);
    assert.deepEqual(raw.classNames, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(counts(raw.y, 3), [6, 6, 6]);
    assert.deepEqual([...raw.x.subarray(0, 3)].map((v) => Math.round(v * 10) / 10), [1.4, 0.2, 5]);
  });

  it('names the file, line and column of a bad value, and a missing label column', () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'x,label\n1,a\noops,b\n');
    assert.throws(() => loadCsv(bad, 'label', true), /bad\.csv:3: column 'x' is not a number: "oops"/);
    assert.throws(() => loadCsv(bad, 'species', true), /label column 'species' not found \(columns: x, label\)/);
  });

  it('loads, splits and standardizes with training statistics; a constant column stays finite', () => {
    const data = loadData(dataSpec({ source: 'csv', path: FLOWERS, label: 'species', kind: null, split: { train: 0.5, val: 0.25, test: 0.25 } }));
    assert.equal(data.classes, 3);
    assert.equal(data.train.n + data.val.n + data.test.n, 18);
    for (const split of [data.train, data.val, data.test]) assert.ok(split.x.every(Number.isFinite));
    // The constant column (index 2) is centred to 0 and divided by 1.
    for (let r = 0; r < data.train.n; r++) assert.equal(data.train.x[r * 3 + 2], 0);
  });
});

describe('splits', () => {
  it('are stratified: every class is cut in the same proportions', () => {
    const labels = Int32Array.from([...new Array<number>(200).fill(0), ...new Array<number>(100).fill(1), ...new Array<number>(40).fill(2)]);
    const split = stratifiedSplit(labels, { train: 0.6, val: 0.2, test: 0.2 }, 5);
    const by = (idx: Int32Array): number[] => counts(Int32Array.from(idx, (i) => labels[i]!), 3);
    assert.deepEqual(by(split.train), [120, 60, 24]);
    assert.deepEqual(by(split.val), [40, 20, 8]);
    assert.deepEqual(by(split.test), [40, 20, 8]);
    const all = [...split.train, ...split.val, ...split.test].sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 340 }, (_, i) => i));
  });

  it('follow a split file', () => {
    const dir = tempDir();
    const file = join(dir, 'split.txt');
    writeFileSync(file, ['train', 'train', 'val', 'test', 'train', 'train'].join('\n') + '\n');
    const csv = join(dir, 'd.csv');
    writeFileSync(csv, 'a,label\n1,x\n2,y\n3,x\n4,y\n5,x\n6,y\n');
    const data = loadData(dataSpec({ source: 'csv', path: csv, label: 'label', kind: null, split_file: file, preprocess: 'none' }));
    assert.deepEqual([...data.train.x], [1, 2, 5, 6]);
    assert.deepEqual([...data.val.x], [3]);
    assert.deepEqual([...data.test.x], [4]);
    writeFileSync(file, 'train\nval\n');
    assert.throws(() => loadData(dataSpec({ source: 'csv', path: csv, label: 'label', kind: null, split_file: file, seed: 2 })), /has 2 rows but the data has 6/);
  });

  it('follow a split file with a header, or of `row,split` pairs in any order', () => {
    const dir = tempDir();
    const csv = join(dir, 'd.csv');
    writeFileSync(csv, 'a,label\n1,x\n2,y\n3,x\n\n4,y\n5,x\n6,y\n');
    let files = 0;
    const load = (text: string): ReturnType<typeof loadData> => {
      const file = join(dir, `split-${files++}.csv`); // a new path each time: loadData caches by spec
      writeFileSync(file, text);
      return loadData(dataSpec({ source: 'csv', path: csv, label: 'label', kind: null, split_file: file, preprocess: 'none' }));
    };
    const words = load('split\ntrain\ntrain\nval\ntest\ntrain\ntrain\n');
    assert.deepEqual([...words.val.x], [3]);
    const pairs = load('row,split\n5,train\n3,test\n0,train\n2,val\n1,train\n4,train\n');
    assert.deepEqual([...pairs.train.x], [1, 2, 5, 6]);
    assert.deepEqual([...pairs.val.x], [3]);
    assert.deepEqual([...pairs.test.x], [4]);
    const bare = load('5,train\n3,test\n0,train\n2,val\n1,train\n4,train\n');
    assert.deepEqual([...bare.test.x], [4]);
    assert.throws(() => load('row,split\n5,train\n3,test\n0,train\n2,val\n\n3,train\n4,train\n'), /split-\d+\.csv:7: row 3 is assigned a second time/);
    assert.throws(() => load('row,split\n5,train\n3,test\n0,train\n2,val\n9,train\n4,train\n'), /:6: row must be a data row number from 0 to 5/);
  });

  it('name the real line of a bad value after blank lines, and refuse a continuous or id-like label', () => {
    const dir = tempDir();
    const bad = join(dir, 'blank.csv');
    writeFileSync(bad, 'x,label\n1,0\n\n2,1\n\noops,0\n');
    assert.throws(() => loadCsv(bad, 'label', true), /blank\.csv:6: column 'x' is not a number: "oops"/);
    const continuous = join(dir, 'continuous.csv');
    writeFileSync(continuous, 'x,y\n' + Array.from({ length: 30 }, (_, i) => `${i},${(i * 0.37).toFixed(2)}`).join('\n'));
    assert.throws(() => loadCsv(continuous, 'y', true), /label column 'y' has values that are not whole numbers \(e\.g\. 0\.37; 30 distinct values\).*binned into classes/);
    const ids = join(dir, 'ids.csv');
    writeFileSync(ids, 'x,id\n' + Array.from({ length: 30 }, (_, i) => `${i},${i}`).join('\n'));
    assert.throws(() => loadCsv(ids, 'id', true), /has 30 classes for 30 rows \(fewer than 3 rows per class\)/);
  });

  it('say what is wrong with a file that is not a CSV, without echoing its content', () => {
    const dir = tempDir();
    const shadow = join(dir, 'shadow');
    writeFileSync(shadow, 'root:$6$secretsalt$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n');
    for (const header of [true, false]) {
      assert.throws(
        () => loadCsv(shadow, 'label', header),
        (e: Error) => /is not a CSV of features and a label/.test(e.message) && !e.message.includes('root') && !e.message.includes('secret'),
      );
    }
    const wide = join(dir, 'wide');
    writeFileSync(wide, `${'s'.repeat(80)},b\n1,2\n`);
    assert.throws(() => loadCsv(wide, 'label', true), (e: Error) => /does not look like a header/.test(e.message) && !e.message.includes('sss'));
    const binary = join(dir, 'binary');
    writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x2c, 0x31]));
    assert.throws(() => loadCsv(binary, 'label', true), /is not a text file/);
  });
});

describe('preprocessing', () => {
  const train = { x: Float32Array.from([1, 10, 3, 10, 5, 10]), y: new Int32Array(3), n: 3 };
  const val = { x: Float32Array.from([100, 7]), y: new Int32Array(1), n: 1 };

  it('fits on the training split only', () => {
    const t = fitPreprocess('standardize', train, 2, null);
    assert.deepEqual([...t.shift], [3, 10]);
    const std = Math.sqrt(8 / 3);
    assert.ok(Math.abs(t.scale[0]! - std) < 1e-6);
    assert.equal(t.scale[1], 1, 'a zero-std column is divided by 1');
    const v = applyPreprocess(t, val);
    assert.ok(Math.abs(v.x[0]! - (100 - 3) / std) < 1e-4);
    assert.equal(v.x[1], -3);
  });

  it('centers, and per_channel subtracts one mean per image channel', () => {
    assert.deepEqual([...applyPreprocess(fitPreprocess('center', train, 2, null), train).x], [-2, 0, 0, 0, 2, 0]);
    // Two 1×2 images with 2 channels: channel means over the training pixels are 2.5 and 25.
    const images = { x: Float32Array.from([1, 10, 2, 20, 3, 30, 4, 40]), y: new Int32Array(2), n: 2 };
    const t = fitPreprocess('per_channel', images, 4, 2);
    assert.deepEqual([...t.shift], [2.5, 25, 2.5, 25]);
    assert.throws(() => fitPreprocess('per_channel', train, 2, null), /needs image data/);
  });
});

describe('synthetic data', () => {
  it('is deterministic per seed and spreads points over the classes', () => {
    const a = spirals(3, 100, 0.1, 9);
    assert.deepEqual(a, spirals(3, 100, 0.1, 9));
    assert.notDeepEqual(a.x, spirals(3, 100, 0.1, 10).x);
    assert.deepEqual(counts(a.y, 3), [34, 33, 33]);
    const b = blobs(4, 5, 80, 0.5, 1);
    assert.equal(b.x.length, 80 * 5);
    assert.deepEqual(counts(b.y, 4), [20, 20, 20, 20]);
  });
});

describe('mnist', () => {
  it('loads a few hundred digits as 28×28×1 images in [0, 1], every class present', () => {
    const data = loadData(dataSpec({ source: 'mnist', kind: null, samples: 300, preprocess: 'none', split: { train: 0.8, val: 0.2, test: 0 } }));
    assert.deepEqual(data.imageShape, [28, 28, 1]);
    assert.equal(data.features, 784);
    assert.equal(data.train.n + data.val.n, 300);
    assert.equal(data.test.n, 0);
    assert.ok(data.train.x.every((v) => v >= 0 && v <= 1));
    assert.ok(counts(data.train.y, 10).every((c) => c > 10));
    assert.strictEqual(loadData(dataSpec({ source: 'mnist', kind: null, samples: 300, preprocess: 'none', split: { train: 0.8, val: 0.2, test: 0 } })), data, 'cached');
  });
});

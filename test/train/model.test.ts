import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dropoutMask, epochBatches } from '../../src/train/loop/batches.js';
import { initialWeights, initStd } from '../../src/train/model/init.js';
import { buildNetwork } from '../../src/train/model/network.js';
import { Rng } from '../../src/train/random.js';
import { resolveSettings } from '../../src/train/settings.js';

function std(values: Float32Array): { mean: number; std: number } {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}

describe('initialisation', () => {
  const shape = { features: 400, imageShape: null, classes: 10 };
  for (const [init, expected] of [
    ['he', Math.sqrt(2 / 400)],
    ['xavier', Math.sqrt(2 / (400 + 300))],
    ['small_normal', 0.05],
    ['zeros', 0],
  ] as const) {
    it(`${init}: the first kernel has std ${expected.toPrecision(3)}, biases 0`, () => {
      const s = resolveSettings({ train: { init, init_scale: 0.05, layers: [300] }, params: {} });
      const net = buildNetwork(s, shape);
      const w = initialWeights(net.layout, s.init, s.init_scale, new Rng(1));
      assert.equal(net.layout.entries[0]!.name, 'dense1/kernel');
      const stats = std(w[0]!);
      assert.ok(Math.abs(stats.std - expected) <= 0.02 * expected, `std ${stats.std}`);
      assert.ok(Math.abs(stats.mean) <= 0.02 * Math.max(expected, 1e-9) + 1e-12, `mean ${stats.mean}`);
      assert.ok(w[1]!.every((v) => v === 0), 'bias');
      assert.equal(initStd(init, net.layout.entries[0]!, 0.05), expected);
    });
  }

  it('starts batch-norm scales at 1 and shifts at 0, without a bias', () => {
    const s = resolveSettings({ train: { batch_norm: true, layers: [4] }, params: {} });
    const net = buildNetwork(s, { features: 3, imageShape: null, classes: 2 });
    assert.deepEqual(net.layout.entries.map((e) => e.name), ['dense1/kernel', 'dense1/gamma', 'dense1/beta', 'output/kernel', 'output/bias']);
    const w = initialWeights(net.layout, s.init, s.init_scale, new Rng(1));
    assert.deepEqual([...w[1]!], [1, 1, 1, 1]);
    assert.deepEqual([...w[2]!], [0, 0, 0, 0]);
  });
});

describe('networks', () => {
  it('cnn: conv → pool blocks then dense to the classes; refuses tabular data', () => {
    const s = resolveSettings({ train: { model: 'cnn', filters: [4, 6], kernel_size: 5 }, params: {} });
    const net = buildNetwork(s, { features: 784, imageShape: [28, 28, 1], classes: 10 });
    assert.deepEqual(net.layout.entries.map((e) => e.shape), [[5, 5, 1, 4], [4], [5, 5, 4, 6], [6], [7 * 7 * 6, 10], [10]]);
    assert.equal(net.layout.size, 5 * 5 * 4 + 4 + 5 * 5 * 4 * 6 + 6 + 294 * 10 + 10);
    assert.throws(() => buildNetwork(s, { features: 4, imageShape: null, classes: 3 }), /model cnn needs image data/);
  });
});

describe('dropout masks', () => {
  it('are inverted: values 0 or 1/(1 − rate), a fraction `rate` of zeros, mean ≈ 1', () => {
    const rate = 0.3;
    const mask = dropoutMask(100_000, rate, new Rng(4));
    const scale = 1 / (1 - rate);
    let zeros = 0;
    let sum = 0;
    for (const v of mask) {
      assert.ok(v === 0 || Math.abs(v - scale) < 1e-6);
      if (v === 0) zeros++;
      sum += v;
    }
    assert.ok(Math.abs(zeros / mask.length - rate) < 0.01, `zeros ${zeros / mask.length}`);
    assert.ok(Math.abs(sum / mask.length - 1) < 0.02, `mean ${sum / mask.length}`);
  });
});

describe('epoch batches', () => {
  it('permute rows with their labels, cover every row once, and cut them into batches', () => {
    const data = { x: Float32Array.from([0, 0, 1, 10, 2, 20, 3, 30, 4, 40]), y: Int32Array.from([0, 1, 2, 0, 1]), n: 5 };
    const e = epochBatches(data, 2, 3, 2, new Rng(2));
    // Copies: each batch's buffers are reused by the next.
    const batches = [];
    for (const b of e.batches()) batches.push({ ...b, x: b.x.slice(), y: b.y.slice() });
    assert.deepEqual(batches.map((b) => [b.rows, b.last]), [[2, false], [2, false], [1, true]]);
    const x = batches.flatMap((b) => [...b.x]);
    const y = batches.flatMap((b) => [...b.y]);
    const rows = Array.from({ length: 5 }, (_, i) => x[2 * i]!);
    assert.deepEqual([...rows].sort(), [0, 1, 2, 3, 4]);
    assert.notDeepEqual(rows, [0, 1, 2, 3, 4], 'the order is permuted');
    rows.forEach((r, i) => {
      assert.equal(x[2 * i + 1], r * 10);
      assert.equal(e.labels[i], data.y[r]);
      assert.deepEqual(y.slice(3 * i, 3 * i + 3), [0, 1, 2].map((c) => (c === data.y[r] ? 1 : 0)));
    });
  });
});

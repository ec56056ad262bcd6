import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { FusedAdamOptimizer } from '../../../src/train/wasm/fused-optimizers.js';
import { assertClose, rng, setupBackends, values } from './helpers.js';

const SHAPES = [[7, 5], [5], [3, 4, 2], [1]];

/** Trains a small least-squares problem for `steps` with `optimizer`; returns the final weights. */
function train(optimizer: tf.Optimizer, seed: number, steps: number): Float32Array[] {
  const next = rng(seed);
  const vars = SHAPES.map((s) => tf.variable(tf.tensor(values(next, s.reduce((p, d) => p * d, 1)), s)));
  const targets = SHAPES.map((s) => tf.tensor(values(next, s.reduce((p, d) => p * d, 1)), s));
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => tf.addN(vars.map((v, j) => tf.sum(tf.mul(tf.square(tf.sub(v, targets[j]!)), i + 1)))) as tf.Scalar);
  }
  const out = vars.map((v) => Float32Array.from(v.dataSync()));
  tf.dispose([...vars, ...targets]);
  return out;
}

describe('FusedAdamOptimizer', () => {
  before(setupBackends);

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`matches tf.train.adam within 1e-6 on ${backend}`, async () => {
      await tf.setBackend(backend);
      const config = { learningRate: 0.05, beta1: 0.8, beta2: 0.95, epsilon: 1e-6 };
      const fused = new FusedAdamOptimizer(config);
      assert.equal(fused.fused, backend === 'wasm', 'the fused kernel is used exactly on wasm');
      const stock = tf.train.adam(config.learningRate, config.beta1, config.beta2, config.epsilon);
      const expected = train(stock, 40, 12);
      const actual = train(fused, 40, 12);
      actual.forEach((a, i) => assertClose(a, expected[i]!, 1e-6, `variable ${i}`));
      assert.equal(fused.iterations, 12);
      fused.dispose();
      stock.dispose();
    });
  }

  it('first update has magnitude ≈ α (bias correction), and a step leaks nothing', async () => {
    await tf.setBackend('wasm');
    const opt = new FusedAdamOptimizer({ learningRate: 0.01 });
    const w = tf.variable(tf.tensor1d([1, -2, 3]));
    const loss = (): tf.Scalar => tf.sum(tf.mul(w, tf.tensor1d([0.3, -5, 1e-3])));
    opt.minimize(loss);
    assertClose(w.dataSync(), [1 - 0.01, -2 + 0.01, 3 - 0.01], 1e-4, 'first step');
    const tensors = tf.memory().numTensors;
    const dataIds = tf.backend().numDataIds();
    for (let i = 0; i < 3; i++) opt.minimize(loss);
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(tf.backend().numDataIds(), dataIds);
    opt.dispose();
    w.dispose();
  });

  it('getWeights / setWeights round-trip continues the same trajectory', async () => {
    await tf.setBackend('wasm');
    const a = new FusedAdamOptimizer({ learningRate: 0.1 });
    const w = tf.variable(tf.tensor1d([0.5, -1.5]), true, 'rt_w');
    const loss = (): tf.Scalar => tf.sum(tf.square(tf.sub(w, tf.tensor1d([2, 2]))));
    for (let i = 0; i < 3; i++) a.minimize(loss);
    const saved = (await a.getWeights()).map((t) => ({ name: t.name, tensor: tf.clone(t.tensor) }));
    const start = Float32Array.from(w.dataSync());
    a.minimize(loss);
    const afterA = Float32Array.from(w.dataSync());
    w.assign(tf.tensor1d(start));
    const b = new FusedAdamOptimizer({ learningRate: 0.1 });
    await b.setWeights(saved);
    assert.equal(b.iterations, 3);
    b.minimize(loss);
    assertClose(w.dataSync(), afterA, 1e-6, 'restored step');
    tf.dispose([...saved.map((s) => s.tensor), w]);
    a.dispose();
    b.dispose();
  });
});

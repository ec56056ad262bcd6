import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { softmaxCrossEntropy } from '../../../src/train/wasm/fused-loss.js';
import { assertClose, assertNoLeak, int, rng, runOn, setupBackends, values } from './helpers.js';

describe('fused softmaxCrossEntropy', () => {
  before(setupBackends);

  it('value and logits gradient match tf.losses.softmaxCrossEntropy on cpu; labels gradient is −log softmax', async () => {
    const next = rng(50);
    for (let trial = 0; trial < 6; trial++) {
      const [rows, cols] = [int(next, 1, 17), int(next, 2, 13)];
      const logits = values(next, rows * cols).map((v) => v * (trial + 1) * 4);
      // Soft labels (each row a distribution) on odd trials, one-hot on even ones.
      const labels = Float32Array.from({ length: rows * cols }, (_, i) =>
        trial % 2 === 1 ? next() : i % cols === (Math.floor(i / cols) * 7) % cols ? 1 : 0,
      );
      for (let r = 0; r < rows; r++) {
        const row = labels.subarray(r * cols, (r + 1) * cols);
        const total = row.reduce((p, v) => p + v, 0);
        row.forEach((v, c) => (row[c] = v / total));
      }
      const inputs = (): [tf.Tensor, tf.Tensor, tf.Scalar] => [tf.tensor2d(logits, [rows, cols]), tf.tensor2d(labels, [rows, cols]), tf.scalar(1.7)];
      const expected = await runOn('cpu', () => {
        const [z, y, w] = inputs();
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor) => tf.mul(tf.losses.softmaxCrossEntropy(y, a), w))([z]);
        // The true gradient for the labels: −log softmax / rows.
        return [value, grads[0]!, tf.mul(w, tf.div(tf.neg(tf.logSoftmax(z)), rows))];
      });
      const actual = await runOn('wasm', () => {
        const [z, y, w] = inputs();
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => tf.mul(softmaxCrossEntropy(b, a), w))([z, y]);
        return [value, ...grads];
      });
      actual.forEach((a, i) => assertClose(a, expected[i]!, 1e-5, `${rows}×${cols} output ${i}`));
    }
  });

  it('takes int32 one-hot labels, is one kernel on wasm, and leaks nothing', async () => {
    await tf.setBackend('wasm');
    const z = tf.randomNormal([8, 5]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2], 'int32'), 5);
    const profile = await tf.profile(() => softmaxCrossEntropy(y, z));
    assert.ok(profile.kernels.length <= 3, `${profile.kernels.length} kernels`);
    assertClose(softmaxCrossEntropy(y, z).dataSync(), tf.losses.softmaxCrossEntropy(y, z).dataSync(), 1e-5, 'value');
    await assertNoLeak(() => [softmaxCrossEntropy(y, z), tf.grad((a: tf.Tensor) => softmaxCrossEntropy(y, a))(z)]);
    tf.dispose([z, y]);
  });
});

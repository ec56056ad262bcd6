import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeak, assertSameOnBoth, int, rng, setupBackends, values } from './helpers.js';

/** Shape of an operand given its logical (rows, cols) and whether it is stored transposed. */
function stored(batch: number[], rows: number, cols: number, transposed: boolean): number[] {
  return [...batch, ...(transposed ? [cols, rows] : [rows, cols])];
}

describe('BatchMatMul and _FusedMatMul on wasm', () => {
  before(setupBackends);

  it('forward and gradients of matMul match cpu for every transpose and odd sizes', async () => {
    const next = rng(1);
    for (let trial = 0; trial < 12; trial++) {
      const [m, k, n] = [int(next, 1, 37), int(next, 1, 41), int(next, 1, 29)];
      const ta = trial % 2 === 1;
      const tb = Math.floor(trial / 2) % 2 === 1;
      const batchA = trial >= 8 ? [int(next, 2, 3)] : [];
      const aShape = stored(batchA, m, k, ta);
      const bShape = stored(trial >= 10 ? [1] : [], k, n, tb);
      const aVals = values(next, aShape.reduce((p, d) => p * d, 1));
      const bVals = values(next, bShape.reduce((p, d) => p * d, 1));
      const f = (): tf.Tensor[] => {
        const a = tf.tensor(aVals, aShape);
        const b = tf.tensor(bVals, bShape);
        const y = tf.matMul(a, b, ta, tb);
        const w = tf.randomUniform(y.shape, -1, 1, 'float32', 7);
        const loss = (x: tf.Tensor, z: tf.Tensor): tf.Tensor => tf.sum(tf.mul(tf.matMul(x, z, ta, tb), w));
        // tfjs-core's BatchMatMul gradient does not reduce a broadcast batch: only d/da then.
        if (batchA.length > 0) return [y, tf.grad((x: tf.Tensor) => loss(x, b))(a)];
        return [y, ...tf.grads(loss)([a, b])];
      };
      await assertSameOnBoth(f, `matMul ${aShape.join('×')} · ${bShape.join('×')} tA=${ta} tB=${tb}`);
    }
  });

  it('batched products on both sides still match cpu (stock path)', async () => {
    const next = rng(2);
    const a = values(next, 3 * 5 * 7);
    const b = values(next, 3 * 7 * 4);
    await assertSameOnBoth(() => tf.matMul(tf.tensor(a, [3, 5, 7]), tf.tensor(b, [3, 7, 4])), 'batched');
    await assertSameOnBoth(() => tf.matMul(tf.tensor(a, [3, 7, 5]), tf.tensor(b, [3, 4, 7]), true, true), 'batched T');
  });

  it('fused matMul with bias and activations: forward and gradients match cpu', async () => {
    const next = rng(3);
    const activations = ['linear', 'relu', 'elu', 'sigmoid', 'leakyrelu'] as const;
    for (let trial = 0; trial < 10; trial++) {
      const [m, k, n] = [int(next, 1, 33), int(next, 1, 45), int(next, 1, 27)];
      const ta = trial % 2 === 1;
      const tb = Math.floor(trial / 2) % 2 === 1;
      const activation = activations[trial % activations.length]!;
      const aShape = stored([], m, k, ta);
      const bShape = stored([], k, n, tb);
      const aVals = values(next, m * k);
      const bVals = values(next, k * n);
      const biasVals = values(next, n);
      const f = (): tf.Tensor[] => {
        const a = tf.tensor(aVals, aShape);
        const b = tf.tensor(bVals, bShape);
        const bias = tf.tensor(biasVals, [n]);
        const run = (x: tf.Tensor, z: tf.Tensor, c: tf.Tensor): tf.Tensor =>
          tf.fused.matMul({ a: x, b: z, bias: c, transposeA: ta, transposeB: tb, activation, leakyreluAlpha: 0.1 });
        const y = run(a, b, bias);
        const w = tf.randomUniform(y.shape, -1, 1, 'float32', 11);
        const grads = tf.grads((x: tf.Tensor, z: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(run(x, z, c), w)))([a, b, bias]);
        return [y, ...grads];
      };
      await assertSameOnBoth(f, `fused ${activation} ${aShape.join('×')} · ${bShape.join('×')} tA=${ta} tB=${tb}`);
    }
  });

  it('fused matMul with a batched a folds the batch into rows correctly', async () => {
    const next = rng(4);
    const a = values(next, 3 * 6 * 5);
    const b = values(next, 5 * 4);
    const bias = values(next, 4);
    await assertSameOnBoth(
      () =>
        tf.fused.matMul({
          a: tf.tensor(a, [3, 5, 6]),
          b: tf.tensor(b, [1, 4, 5]),
          bias: tf.tensor(bias, [4]),
          transposeA: true,
          transposeB: true,
          activation: 'relu',
        }),
      'fused batched',
    );
  });

  it('leaks no tensor or data id', async () => {
    const a = tf.randomNormal([17, 9]);
    const b = tf.randomNormal([17, 5]);
    await assertNoLeak(() => [
      tf.matMul(a, b, true, false),
      tf.matMul(b, a, true, false),
      tf.matMul(a, a, false, true),
      tf.fused.matMul({ a, b, transposeA: true, bias: tf.ones([5]), activation: 'relu' }),
      ...tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.fused.matMul({ a: x, b: z, transposeA: true })))([a, b]),
    ]);
    tf.dispose([a, b]);
  });
});

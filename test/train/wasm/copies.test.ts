import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeak, runOn, setupBackends } from './helpers.js';

/** Integer-valued data, so every copy must be exact. */
function iota(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => i * 3 - 7);
}

const size = (shape: number[]): number => shape.reduce((p, d) => p * d, 1);

/** A tensor of `shape` and `dtype` with distinct values (alternating for bool). */
function typed(shape: number[], dtype: 'float32' | 'int32' | 'bool'): tf.Tensor {
  const v = iota(size(shape));
  if (dtype === 'bool') return tf.tensor(Uint8Array.from(v, (x) => Math.abs(x) % 2), shape, 'bool');
  return tf.tensor(v, shape, dtype);
}

/** Runs `f` on both backends and asserts identical values (pure copies: exact). */
async function assertExact(f: () => tf.Tensor, label: string): Promise<void> {
  const [expected] = await runOn('cpu', f);
  const [actual] = await runOn('wasm', f);
  assert.deepEqual(actual, expected, label);
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });

describe('GatherV2, Slice, Tile and Transpose on wasm', () => {
  before(setupBackends);

  it('gather along any axis with any index shape matches cpu (float32, int32, bool)', async () => {
    const cases = fc.sample(
      fc.record({ shape: shapeArb, axisSeed: fc.nat(), indexShape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 }), seed: fc.nat() }),
      { numRuns: 40, seed: 5 },
    );
    for (const { shape, axisSeed, indexShape, seed } of cases) {
      const axis = axisSeed % shape.length;
      const dim = shape[axis]!;
      const idx = Int32Array.from({ length: size(indexShape) }, (_, i) => (seed + i * 7) % dim);
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        await assertExact(
          () => tf.gather(typed(shape, dtype), tf.tensor(idx, indexShape, 'int32'), axis),
          `gather ${dtype} ${shape.join('×')} axis ${axis} indices [${indexShape.join(',')}]`,
        );
      }
    }
  });

  it('gather of long rows (mini-batch selection) matches cpu', async () => {
    const idx = Int32Array.from({ length: 33 }, (_, i) => (i * 11) % 40);
    await assertExact(() => tf.gather(tf.tensor(iota(40 * 97), [40, 97]), tf.tensor1d(idx, 'int32')), 'rows');
  });

  it('gather rejects an index out of range', async () => {
    await tf.setBackend('wasm');
    assert.throws(() => tf.tidy(() => tf.gather(tf.tensor1d([1, 2, 3]), tf.tensor1d([3], 'int32'))), /index value 3/);
  });

  it('slice of any rank, begin and size matches cpu', async () => {
    const cases = fc.sample(fc.record({ shape: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }), seed: fc.nat() }), {
      numRuns: 60,
      seed: 6,
    });
    for (const { shape, seed } of cases) {
      const begin = shape.map((d, i) => (seed >> i) % d);
      const sz = shape.map((d, i) => 1 + ((seed >> (i + 3)) % (d - begin[i]!)));
      if (seed % 3 === 0) sz[sz.length - 1] = -1;
      await assertExact(() => tf.slice(tf.tensor(iota(size(shape)), shape), begin, sz), `slice ${shape.join('×')} at ${begin.join(',')} size ${sz.join(',')}`);
    }
    await assertExact(() => tf.slice(tf.tensor(iota(64 * 50), [64, 50]), [7, 0], [30, 50]), 'contiguous rows');
    await assertExact(() => tf.slice(typed([3, 5], 'bool'), [1, 1], [2, 3]), 'bool');
    await assertExact(() => tf.slice(typed([3, 5], 'int32'), [1, 1], [2, 3]), 'int32');
  });

  it('tile of any rank and repetitions matches cpu', async () => {
    const cases = fc.sample(fc.record({ shape: shapeArb, reps: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 4, maxLength: 4 }) }), {
      numRuns: 40,
      seed: 7,
    });
    for (const { shape, reps } of cases) {
      const r = reps.slice(0, shape.length);
      await assertExact(() => tf.tile(tf.tensor(iota(size(shape)), shape), r), `tile ${shape.join('×')} by ${r.join(',')}`);
    }
    await assertExact(() => tf.tile(tf.tensor(iota(3 * 40), [1, 3, 40]), [32, 1, 2]), 'long rows');
    await assertExact(() => tf.tile(typed([2, 3], 'int32'), [5, 2]), 'int32');
    await assertExact(() => tf.tile(typed([2, 3], 'bool'), [3, 9]), 'bool');
  });

  it('transpose of any permutation matches cpu (last-two swap in JS, others stock)', async () => {
    const cases = fc.sample(fc.record({ shape: fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 2, maxLength: 4 }), seed: fc.nat() }), {
      numRuns: 30,
      seed: 8,
    });
    for (const { shape, seed } of cases) {
      if (size(shape) > 50_000) continue;
      const rank = shape.length;
      const swap = [...shape.keys()].map((i) => (i < rank - 2 ? i : 2 * rank - 3 - i));
      const perm = seed % 3 === 0 ? [...shape.keys()].reverse() : swap;
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        await assertExact(() => tf.transpose(typed(shape, dtype), perm), `transpose ${dtype} ${shape.join('×')} ${perm.join(',')}`);
      }
    }
  });

  it('leaks no tensor or data id', async () => {
    const x = tf.tensor(iota(6 * 40), [6, 40]);
    const idx = tf.tensor1d([5, 0, 2, 2], 'int32');
    await assertNoLeak(() => [tf.gather(x, idx), tf.gather(x, idx, 1), tf.slice(x, [1, 3], [4, 30]), tf.tile(x, [2, 3]), tf.transpose(x)]);
    tf.dispose([x, idx]);
  });
});

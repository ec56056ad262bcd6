import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { assertNoLeak, assertSameOnBoth, int, rng, setupBackends, values } from './helpers.js';

describe('Sum and Identity on wasm', () => {
  before(setupBackends);

  it('sum over leading axes (and any other axes, keepDims or not) matches cpu', async () => {
    const next = rng(60);
    for (let trial = 0; trial < 16; trial++) {
      const shape = Array.from({ length: int(next, 2, 4) }, () => int(next, 1, 23));
      const rank = shape.length;
      const lead = [...Array(int(next, 1, rank - 1)).keys()];
      const axes = trial % 4 === 3 ? [rank - 1] : lead;
      const keepDims = trial % 2 === 1;
      const x = values(next, shape.reduce((p, d) => p * d, 1));
      await assertSameOnBoth(() => tf.sum(tf.tensor(x, shape), axes, keepDims), `sum ${shape.join('×')} axes ${axes.join(',')}`, 1e-5);
    }
    await assertSameOnBoth(() => tf.sum(tf.tensor([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), 0), 'int32 (stock)');
  });

  it('identity (clone) shares memory safely and leaks nothing', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const dataIds = tf.backend().numDataIds();
    const y = tf.clone(x);
    assert.equal(tf.backend().numDataIds(), dataIds, 'a clone allocates no new memory');
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4], 'the clone outlives the original');
    await assertNoLeak(() => [tf.clone(y), tf.sum(tf.clone(y), 0)]);
    y.dispose();
  });
});

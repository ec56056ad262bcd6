import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { assertClose, assertNoLeak, assertSameOnBoth, int, rng, runOn, setupBackends, values } from './helpers.js';

type Pad = 'same' | 'valid';

describe('Conv2D gradients (Conv2DBackpropFilter, Conv2DBackpropInput) on wasm', () => {
  before(setupBackends);

  it('conv2d gradients (filter and input) match cpu on random shapes, strides and paddings', async () => {
    const next = rng(10);
    for (let trial = 0; trial < 10; trial++) {
      const [n, h, w] = [int(next, 1, 3), int(next, 3, 11), int(next, 3, 12)];
      const [ci, co] = [int(next, 1, 5), int(next, 1, 6)];
      const [fh, fw] = [int(next, 1, 3), int(next, 1, 4)];
      const stride: [number, number] = [int(next, 1, 2), int(next, 1, 3)];
      const pad: Pad = trial % 2 === 0 ? 'same' : 'valid';
      if (pad === 'valid' && (fh > h || fw > w)) continue;
      const xVals = values(next, n * h * w * ci);
      const fVals = values(next, fh * fw * ci * co);
      await assertSameOnBoth(() => {
        const x = tf.tensor4d(xVals, [n, h, w, ci]);
        const f = tf.tensor4d(fVals, [fh, fw, ci, co]);
        const loss = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
          tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad)));
        return tf.grads(loss)([x, f]);
      }, `conv ${[n, h, w, ci].join('×')} filter ${[fh, fw, ci, co].join('×')} stride ${stride.join(',')} ${pad}`);
    }
  });

  it('the kernel handles NCHW and explicit padding like cpu', async () => {
    const next = rng(11);
    const x = values(next, 2 * 3 * 7 * 6);
    const info = { x: [2, 3, 7, 6], dy: [2, 4, 4, 3] };
    const dy = values(next, 2 * 4 * 4 * 3);
    await assertSameOnBoth(
      () =>
        tf.engine().runKernel<tf.Tensor>(
          'Conv2DBackpropFilter',
          { x: tf.tensor(x, info.x), dy: tf.tensor(dy, info.dy) },
          { strides: [2, 2], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] },
        ),
      'NCHW',
    );
    const explicit = [[0, 0], [1, 0], [2, 1], [0, 0]] as tf.backend_util.ExplicitPadding;
    const dy2 = values(next, 2 * 7 * 9 * 5);
    await assertSameOnBoth(
      () =>
        tf.engine().runKernel<tf.Tensor>(
          'Conv2DBackpropFilter',
          { x: tf.tensor(x, [2, 7, 6, 3]), dy: tf.tensor(dy2, [2, 7, 9, 5]) },
          { strides: [1, 1], pad: explicit, dataFormat: 'NHWC', filterShape: [2, 1, 3, 5] },
        ),
      'explicit padding',
    );
  });
});

describe('Conv2DBackpropInput on wasm', () => {
  before(setupBackends);

  it('matches cpu with explicit, asymmetric padding and strides (dilated dy)', async () => {
    const next = rng(12);
    const cases: Array<{ x: [number, number, number, number]; f: [number, number, number, number]; s: [number, number]; pad: tf.backend_util.ExplicitPadding | Pad }> = [
      { x: [2, 9, 8, 3], f: [3, 2, 3, 4], s: [2, 3], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
      { x: [1, 10, 11, 2], f: [4, 3, 2, 5], s: [3, 2], pad: 'valid' },
      { x: [3, 7, 7, 4], f: [1, 1, 4, 2], s: [2, 2], pad: 'same' },
    ];
    for (const { x, f, s, pad } of cases) {
      const info = tf.backend_util.computeConv2DInfo(x, f, s, 1, pad);
      const dy = values(next, info.outShape.reduce((p, d) => p * d, 1));
      const w = values(next, f.reduce((p, d) => p * d, 1));
      await assertSameOnBoth(
        () =>
          tf.engine().runKernel<tf.Tensor>(
            'Conv2DBackpropInput',
            { dy: tf.tensor(dy, info.outShape), filter: tf.tensor(w, f) },
            { strides: s, pad, dataFormat: 'NHWC', inputShape: x },
          ),
        `input gradient ${x.join('×')} filter ${f.join('×')} stride ${s.join(',')}`,
      );
    }
  });
});

describe('MaxPoolGrad on wasm', () => {
  before(setupBackends);

  const poolGrad = (xVals: Float32Array, shape: number[], size: number, stride: number, pad: Pad) => () => {
    const x = tf.tensor4d(xVals, shape as [number, number, number, number]);
    return tf.grad((a: tf.Tensor) => {
      const y = tf.maxPool(a as tf.Tensor4D, size, stride, pad);
      return tf.sum(tf.mul(y, tf.randomUniform(y.shape, 0.5, 1.5, 'float32', 3)));
    })(x);
  };

  it('matches cpu on random shapes, overlapping windows and paddings', async () => {
    const next = rng(20);
    for (let trial = 0; trial < 10; trial++) {
      const shape = [int(next, 1, 3), int(next, 2, 9), int(next, 2, 10), int(next, 1, 5)];
      const size = int(next, 1, 3);
      const stride = int(next, 1, 3);
      const pad: Pad = trial % 2 === 0 ? 'same' : 'valid';
      if (pad === 'valid' && (size > shape[1]! || size > shape[2]!)) continue;
      const xVals = values(next, shape.reduce((p, d) => p * d, 1));
      await assertSameOnBoth(poolGrad(xVals, shape, size, stride, pad), `pool ${shape.join('×')} ${size}/${stride} ${pad}`);
    }
  });

  it('gives the gradient to windows whose values are all negative', async () => {
    const next = rng(21);
    const xVals = values(next, 2 * 6 * 6 * 3).map((v) => -1 - Math.abs(v));
    const [dx] = await runOn('wasm', poolGrad(xVals, [2, 6, 6, 3], 2, 2, 'valid'));
    const [expected] = await runOn('cpu', poolGrad(xVals, [2, 6, 6, 3], 2, 2, 'valid'));
    assertClose(dx!, expected!, 1e-6, 'negative windows');
    assert.ok(dx!.some((v) => v !== 0), 'no gradient reached an all-negative window');
  });

  it('gives ties to the first element of the window, like cpu', async () => {
    const next = rng(22);
    // Values from a tiny set, so most windows hold ties; include zeros and negatives.
    const xVals = Float32Array.from({ length: 2 * 7 * 7 * 2 }, () => int(next, -2, 1));
    await assertSameOnBoth(poolGrad(xVals, [2, 7, 7, 2], 3, 2, 'same'), 'ties', 1e-6);
    await assertSameOnBoth(poolGrad(new Float32Array(4 * 4).fill(-3), [1, 4, 4, 1], 2, 1, 'valid'), 'constant', 1e-6);
  });

  it('leaks no tensor or data id (pool and conv gradients)', async () => {
    const x = tf.randomNormal([2, 8, 8, 3]);
    const f = tf.randomNormal([3, 3, 3, 4]);
    await assertNoLeak(() => [
      ...tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.maxPool(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), 2, 2, 'valid')),
      )([x, f]),
      ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'valid')))([x, f]),
    ]);
    tf.dispose([x, f]);
  });
});

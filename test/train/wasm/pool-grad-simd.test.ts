/**
 * The SIMD max-pool gradient against the JavaScript one it stands in for (scatterMaxPoolGrad,
 * itself checked against cpu in conv-pool.test.ts), element for element: random values, ties,
 * −∞ and NaN; and that the kernel takes it exactly where the windows tile the input.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { asWasmBackend } from '../../../src/train/wasm/backend.js';
import { scatterMaxPoolGrad, tiles } from '../../../src/train/wasm/max-pool-grad.js';
import { poolGradSimdFor } from '../../../src/train/wasm/pool-grad-simd.js';
import { assertSameOnBoth, rng, setupBackends, values } from './helpers.js';

/** dx from the SIMD loop and from scatterMaxPoolGrad for x of `shape` (NHWC), 2×2 windows, stride 2. */
function bothWays(xValues: Float32Array, shape: [number, number, number, number]): { simd: Float32Array; js: Float32Array } {
  const [n, h, w, c] = shape;
  const info = tf.backend_util.computePool2DInfo(shape, 2, 2, 1, 'valid');
  assert.equal(tiles(info), true);
  const next = rng(5);
  const dyValues = values(next, n * (h / 2) * (w / 2) * c).map((v) => v + 2);
  const backend = asWasmBackend(tf.backend());
  const x = tf.tensor4d(xValues, shape);
  const dy = tf.tensor4d(dyValues, [n, h / 2, w / 2, c]);
  const dx = backend.makeOutput(shape, 'float32');
  // Garbage in dx beforehand: the SIMD loop must write every element.
  (backend.typedArrayFromHeap(dx) as Float32Array).fill(123);
  const simd = poolGradSimdFor(tf.backend());
  assert.ok(simd !== null, 'WebAssembly SIMD runs here');
  const view = (t: tf.TensorInfo): Float32Array => backend.typedArrayFromHeap(t) as Float32Array;
  simd(view(x).byteOffset, view(dy).byteOffset, view(dx).byteOffset, n * (h / 2), w / 2, 4 * c, 4 * w * c);
  const out = Float32Array.from(view(dx));
  backend.disposeData(dx.dataId);
  const js = new Float32Array(xValues.length);
  scatterMaxPoolGrad(xValues, dyValues, js, info);
  tf.dispose([x, dy]);
  return { simd: out, js };
}

function assertSame(got: { simd: Float32Array; js: Float32Array }, label: string): void {
  for (let i = 0; i < got.js.length; i++) {
    if (!Object.is(got.simd[i], got.js[i])) assert.fail(`${label}: dx[${i}] is ${got.simd[i]} by SIMD, ${got.js[i]} by the loop`);
  }
}

describe('max-pool gradient in SIMD', () => {
  before(setupBackends);

  it('matches the loop on random values, for 4, 8 and 12 channels', () => {
    const next = rng(31);
    for (const shape of [[1, 2, 2, 4], [2, 6, 4, 8], [3, 8, 10, 12]] as Array<[number, number, number, number]>) {
      assertSame(bothWays(values(next, shape.reduce((a, b) => a * b)), shape), shape.join('×'));
    }
  });

  it('gives a tie to the first element of the window in row-major order', () => {
    // Every window holds four equal values in some lanes, pairs of equal maxima in others.
    const shape: [number, number, number, number] = [1, 4, 4, 4];
    const x = new Float32Array(64);
    const next = rng(32);
    for (let i = 0; i < x.length; i++) x[i] = Math.floor(next() * 3);
    const got = bothWays(x, shape);
    assertSame(got, 'ties');
    const flat = new Float32Array(64).fill(1);
    const all = bothWays(flat, shape);
    assertSame(all, 'all equal');
    // The top-left element of each window got its dy; the other three nothing.
    assert.ok(all.simd[0]! > 0 && all.simd[4] === 0 && all.simd[16] === 0 && all.simd[20] === 0);
  });

  it('passes nothing through a window of −∞ and NaN, and skips NaN beside numbers', () => {
    const shape: [number, number, number, number] = [1, 2, 4, 4];
    const x = new Float32Array(32).fill(-Infinity);
    // Window 1 (columns 2–3): NaN first, then −5 in one lane, and a NaN-only lane.
    x[8] = Number.NaN;
    x[12] = -5;
    x[9] = Number.NaN;
    x[13] = Number.NaN;
    x[25] = Number.NaN;
    x[29] = Number.NaN;
    const got = bothWays(x, shape);
    assertSame(got, '−∞ and NaN');
    assert.equal(got.simd.filter((v) => v !== 0).length, 1, 'only the lane with a number passes a gradient');
    assert.ok(got.simd[12]! > 0);
  });

  it('is what the MaxPoolGrad kernel runs where windows tile the input, and the same as cpu there', async () => {
    const info = (shape: [number, number, number, number], pad: 'same' | 'valid') => tf.backend_util.computePool2DInfo(shape, 2, 2, 1, pad);
    assert.equal(tiles(info([2, 28, 28, 8], 'same')), true);
    assert.equal(tiles(info([2, 7, 8, 8], 'same')), false, 'odd height');
    assert.equal(tiles(info([2, 8, 8, 6], 'same')), false, 'channels not a multiple of 4');
    assert.equal(tiles(tf.backend_util.computePool2DInfo([2, 8, 8, 8], 3, 2, 1, 'same')), false, '3×3 windows');
    assert.equal(tiles(tf.backend_util.computePool2DInfo([2, 8, 8, 8], 2, 1, 1, 'valid')), false, 'stride 1');
    const next = rng(33);
    const xValues = values(next, 2 * 8 * 6 * 8).map((v) => Math.round(v * 4) / 4);
    await assertSameOnBoth(() => {
      const x = tf.tensor4d(xValues, [2, 8, 6, 8]);
      return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'same'), tf.randomUniform([2, 4, 3, 8], 0.5, 1.5, 'float32', 3))))(x);
    }, 'pool 2×8×6×8 2/2 same');
  });
});

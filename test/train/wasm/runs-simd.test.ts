/**
 * The WebAssembly im2col and col2im loops against the JavaScript ones (im2colPatches,
 * col2imPatches, checked through the blas kernels against cpu in test/train/blas/), on the
 * geometries that reach each of their paths: strided runs (few input channels), contiguous
 * runs with and without a tail of fewer than four floats, borders, strides, valid padding.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { asWasmBackend } from '../../../src/train/wasm/backend.js';
import { col2imPatches, geometryKey, im2colPatches, runsOf } from '../../../src/train/wasm/blas-conv.js';
import { im2colRows, rowRunsOf } from '../../../src/train/wasm/conv-backprop-filter.js';
import { addRunsFor, copyRunsFor, heapRuns } from '../../../src/train/wasm/runs-simd.js';
import { rng, setupBackends, values } from './helpers.js';

interface Geometry {
  x: [number, number, number, number];
  filter: [number, number];
  stride: number;
  pad: 'same' | 'valid';
}

const GEOMETRIES: Geometry[] = [
  { x: [2, 7, 9, 1], filter: [3, 3], stride: 1, pad: 'same' },
  { x: [2, 6, 6, 3], filter: [3, 3], stride: 2, pad: 'same' },
  { x: [1, 5, 5, 8], filter: [1, 1], stride: 1, pad: 'valid' },
  { x: [1, 8, 7, 5], filter: [5, 3], stride: 1, pad: 'valid' },
  { x: [3, 14, 14, 8], filter: [3, 3], stride: 1, pad: 'same' },
];

const patchTable = (info: tf.backend_util.Conv2DInfo): { key: string; runs: Int32Array } => ({ key: geometryKey(info), runs: runsOf(info) });

const label = (g: Geometry): string => `${g.x.join('×')} ${g.filter.join('×')}/${g.stride} ${g.pad}`;

function infoOf(g: Geometry): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(g.x, [...g.filter, g.x[3], 2], g.stride, 1, g.pad, undefined, false, 'channelsLast');
}

/** Runs `loop` with the table `runs` (under `key`) over a heap copy of `from` into a zeroed heap array of `toLength` floats; returns it. */
function onHeap(loop: 'copy' | 'add', table: { key: string; runs: Int32Array }, from: Float32Array, toLength: number): Float32Array {
  const backend = asWasmBackend(tf.backend());
  const fn = (loop === 'copy' ? copyRunsFor : addRunsFor)(tf.backend());
  assert.ok(fn !== null, 'WebAssembly runs here');
  const { runs } = table;
  const offset = heapRuns(tf.backend(), table.key, runs);
  assert.ok(offset !== null, 'the table reaches the heap');
  const src = backend.makeOutput([from.length], 'float32');
  const dst = backend.makeOutput([toLength], 'float32');
  const view = (t: tf.TensorInfo): Float32Array => backend.typedArrayFromHeap(t) as Float32Array;
  view(src).set(from);
  view(dst).fill(0);
  fn(offset, runs.length / 5, view(src).byteOffset, view(dst).byteOffset);
  const out = Float32Array.from(view(dst));
  backend.disposeData(src.dataId);
  backend.disposeData(dst.dataId);
  return out;
}

describe('im2col and col2im in WebAssembly', () => {
  before(setupBackends);

  for (const g of GEOMETRIES) {
    it(`im2col copies what the loop copies (${label(g)})`, () => {
      const info = infoOf(g);
      const x = values(rng(41), g.x.reduce((a, b) => a * b));
      const rows = info.batchSize * info.outHeight * info.outWidth;
      const k = info.filterHeight * info.filterWidth * info.inChannels;
      const expected = new Float32Array(rows * k);
      im2colPatches(x, expected, info);
      const got = onHeap('copy', patchTable(info), x, rows * k);
      for (let i = 0; i < expected.length; i++) if (!Object.is(got[i], expected[i])) assert.fail(`patch value ${i}: ${got[i]}, expected ${expected[i]}`);
    });

    it(`col2im adds what the loop adds (${label(g)})`, () => {
      const info = infoOf(g);
      const rows = info.batchSize * info.outHeight * info.outWidth;
      const k = info.filterHeight * info.filterWidth * info.inChannels;
      const dPatches = values(rng(42), rows * k);
      const size = g.x.reduce((a, b) => a * b);
      const expected = new Float32Array(size);
      col2imPatches(dPatches, expected, info);
      const got = onHeap('add', patchTable(info), dPatches, size);
      for (let i = 0; i < expected.length; i++) {
        assert.ok(Math.abs(got[i]! - expected[i]!) <= 1e-6 * (1 + Math.abs(expected[i]!)), `dx ${i}: ${got[i]}, expected ${expected[i]}`);
      }
      assert.ok(expected.some((v) => v !== 0));
    });
  }

  const ROW_GEOMETRIES: Array<{ x: [number, number, number, number]; filter: [number, number]; stride: [number, number]; dilation: number; pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding }> = [
    { x: [2, 7, 9, 1], filter: [3, 3], stride: [1, 1], dilation: 1, pad: 'same' },
    { x: [2, 9, 8, 3], filter: [3, 2], stride: [2, 3], dilation: 1, pad: 'same' },
    { x: [1, 9, 9, 2], filter: [3, 3], stride: [1, 1], dilation: 2, pad: 'valid' },
    { x: [1, 6, 7, 4], filter: [2, 3], stride: [1, 2], dilation: 1, pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
  ];
  for (const g of ROW_GEOMETRIES) {
    it(`the wasm filter gradient's im2col (rows) copies what its loop copies (${g.x.join('×')} ${g.filter.join('×')}/${g.stride.join(',')} dilation ${g.dilation} ${JSON.stringify(g.pad)})`, () => {
      const info = tf.backend_util.computeConv2DInfo(g.x, [...g.filter, g.x[3], 2], g.stride, g.dilation, g.pad, undefined, false, 'channelsLast');
      const x = values(rng(43), g.x.reduce((a, b) => a * b));
      const size = info.filterHeight * info.filterWidth * info.inChannels * info.batchSize * info.outHeight * info.outWidth;
      const expected = new Float32Array(size).fill(7);
      im2colRows(x, expected, info);
      const got = onHeap('copy', rowRunsOf(info), x, size);
      for (let i = 0; i < expected.length; i++) if (!Object.is(got[i], expected[i])) assert.fail(`value ${i}: ${got[i]}, expected ${expected[i]}`);
    });
  }

  it('keeps one table per geometry on the heap, and makes a new one for another geometry', () => {
    const [a, b] = [infoOf(GEOMETRIES[0]!), infoOf(GEOMETRIES[1]!)];
    const first = heapRuns(tf.backend(), geometryKey(a), runsOf(a));
    assert.equal(heapRuns(tf.backend(), geometryKey(a), runsOf(a)), first);
    const other = heapRuns(tf.backend(), geometryKey(b), runsOf(b));
    assert.notEqual(other, first);
    assert.equal(heapRuns({}, 'any', runsOf(a)), null, 'a backend without a reachable heap gets none');
  });
});

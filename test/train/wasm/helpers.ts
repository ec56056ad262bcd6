/**
 * Shared helpers for the wasm kernel tests: both backends initialised in one process, the
 * fixes installed, a seeded generator, and a comparison of a computation on cpu and on wasm.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// Its bundle registers tfjs-core's gradients (as the trainer's import of it does).
import '@tensorflow/tfjs-layers';
import { installWasmKernelFixes } from '../../../src/train/wasm/index.js';

/** Initialises cpu and wasm, installs the fixes, and leaves wasm active. */
export async function setupBackends(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
  installWasmKernelFixes();
}

/** A small seeded generator (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [lo, hi]. */
export function int(next: () => number, lo: number, hi: number): number {
  return lo + Math.floor(next() * (hi - lo + 1));
}

/** `n` values uniform in [-1, 1). */
export function values(next: () => number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = next() * 2 - 1;
  return out;
}

/** Runs `f` on `backend` and returns every output's values (tensors disposed). */
export async function runOn(backend: 'cpu' | 'wasm', f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const list = Array.isArray(outs) ? outs : [outs];
  const data = list.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(list);
  return data;
}

/**
 * Asserts |actual − expected| ≤ rtol·max(|expected|, rms(expected)) elementwise: relative,
 * with the scale of the whole tensor as a floor so sums that cancel to ~0 are compared fairly.
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-4, label = ''): void {
  assert.equal(actual.length, expected.length, `${label}: lengths differ`);
  let sq = 0;
  for (let i = 0; i < expected.length; i++) sq += expected[i]! * expected[i]!;
  const rms = Math.sqrt(sq / Math.max(1, expected.length));
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    const tol = rtol * Math.max(Math.abs(e), rms, 1e-30);
    if (!(Math.abs(a - e) <= tol) && !(Number.isNaN(a) && Number.isNaN(e))) {
      assert.fail(`${label}: element ${i} is ${a}, expected ${e} (tolerance ${tol})`);
    }
  }
}

/** Runs `f` on cpu and on wasm and asserts every output matches within `rtol`. */
export async function assertSameOnBoth(f: () => tf.Tensor | tf.Tensor[], label: string, rtol = 1e-4): Promise<void> {
  const expected = await runOn('cpu', f);
  const actual = await runOn('wasm', f);
  assert.equal(actual.length, expected.length, `${label}: output counts differ`);
  actual.forEach((a, i) => assertClose(a, expected[i]!, rtol, `${label} output ${i}`));
}

/** Asserts that running `f` (whose results are disposed) `times` times leaks no tensor or data id. */
export async function assertNoLeak(f: () => tf.Tensor | tf.Tensor[], times = 3): Promise<void> {
  await tf.setBackend('wasm');
  tf.dispose(tf.tidy(f));
  const tensors = tf.memory().numTensors;
  const dataIds = tf.backend().numDataIds();
  for (let i = 0; i < times; i++) tf.dispose(tf.tidy(f));
  assert.equal(tf.memory().numTensors, tensors, 'tensor count grew');
  assert.equal(tf.backend().numDataIds(), dataIds, 'data id count grew');
}

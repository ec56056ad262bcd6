/**
 * The fused Adam kernel's SIMD loop: it runs on this Node's wasm backend, and its four-at-a-time
 * float32 update (with the JavaScript tail) matches the JavaScript loop, variable by variable.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { adamSimdFor } from '../../../src/train/wasm/adam-simd.js';
import { adamStep, FUSED_ADAM_KERNEL } from '../../../src/train/wasm/fused-adam-kernel.js';
import type { FusedAdamAttrs } from '../../../src/train/wasm/fused-adam-kernel.js';
import { rng, setupBackends, values } from './helpers.js';

describe('fused Adam, SIMD loop', () => {
  it('is available on the wasm backend and agrees with the JavaScript loop', async () => {
    await setupBackends();
    assert.notEqual(adamSimdFor(tf.backend()), null, 'the SIMD loop instantiates over the backend heap');
    const next = rng(5);
    // Sizes that leave tails of 3, 0 and 1 after the groups of four.
    const sizes = [1003, 8, 1];
    const arrays = sizes.map((n) => ({ w: values(next, n), g: values(next, n), m: values(next, n), v: values(next, n).map(Math.abs) }));
    const attrs: FusedAdamAttrs = { count: sizes.length, learningRate: 0.01, beta1: 0.8, beta2: 0.95, epsilon: 1e-6, c1: 0.36, c2: 0.0975 };
    const inputs: Record<string, tf.Tensor> = {};
    arrays.forEach((a, i) => Object.assign(inputs, { [`w${i}`]: tf.tensor1d(a.w), [`g${i}`]: tf.tensor1d(a.g), [`m${i}`]: tf.tensor1d(a.m), [`v${i}`]: tf.tensor1d(a.v) }));
    const outs = tf.engine().runKernel(FUSED_ADAM_KERNEL, inputs, { ...attrs }) as unknown as tf.Tensor[];
    arrays.forEach((a, i) => {
      const n = a.w.length;
      const expected = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
      adamStep(a.w, a.g, a.m, a.v, ...expected, attrs);
      expected.forEach((e, k) => {
        const got = outs[3 * i + k]!.dataSync();
        for (let j = 0; j < n; j++) assert.ok(Math.abs(got[j]! - e[j]!) <= 1e-6 * Math.max(1, Math.abs(e[j]!)), `variable ${i}, output ${k}, element ${j}: ${got[j]} ≠ ${e[j]}`);
      });
    });
    tf.dispose([...Object.values(inputs), ...outs]);
  });
});

/**
 * Bench section: a small CNN's training throughput on wasm, fixed kernels (the stock backend
 * cannot train it: it has no Conv2DBackpropFilter).
 */
import * as tf from '@tensorflow/tfjs-core';
import { FusedAdamOptimizer, installWasmKernelFixes, softmaxCrossEntropy } from '../src/train/wasm/index.js';
import { runner, smallCnn } from './models.js';
import type { Loss } from './models.js';
import { medianMs } from './timing.js';
import type { BenchRow } from './types.js';
import { useWasm } from './wasm-env.js';

const BATCH = 64;

/** Samples/s of 28×28×1 → conv 8 → pool → conv 16 → pool → dense 10, batch 64. */
export async function wasmCnn(): Promise<BenchRow[]> {
  await useWasm();
  installWasmKernelFixes();
  const rows: BenchRow[] = [];
  const configs: Array<[string, () => tf.Optimizer, Loss?]> = [
    ['tf.train.adam', () => tf.train.adam(1e-3)],
    ['FusedAdam + fused loss', () => new FusedAdamOptimizer({ learningRate: 1e-3 }), softmaxCrossEntropy],
  ];
  for (const [label, make, loss] of configs) {
    const run = runner(smallCnn(), [BATCH, 28, 28, 1], 10, make(), loss);
    try {
      const ms = medianMs(run.step, { warmup: 3, minRuns: 10, budgetMs: 3000 });
      rows.push({ name: `wasm CNN 28×28 conv8-pool-conv16-pool-dense10, batch ${BATCH}, ${label}`, value: (BATCH * 1000) / ms, unit: 'samples/s' });
    } finally {
      run.dispose();
    }
  }
  return rows;
}

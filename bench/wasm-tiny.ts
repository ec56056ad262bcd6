/** Bench section: ms per training step of a tiny net on wasm, where per-step overhead dominates. */
import * as tf from '@tensorflow/tfjs-core';
import { FusedAdamOptimizer, installWasmKernelFixes, softmaxCrossEntropy, uninstallWasmKernelFixes } from '../src/train/wasm/index.js';
import { mlp, runner } from './models.js';
import type { Loss } from './models.js';
import { medianMs } from './timing.js';
import type { BenchRow } from './types.js';
import { useWasm } from './wasm-env.js';

const SIZES = [64, 51, 10];
const BATCH = 16;
const TIMING = { warmup: 30, minRuns: 100, maxRuns: 1500, budgetMs: 1200 };

function stepMs(optimizer: tf.Optimizer, loss?: Loss): number {
  const run = runner(mlp(SIZES), [BATCH, SIZES[0]!], 10, optimizer, loss);
  try {
    return medianMs(run.step, TIMING);
  } finally {
    run.dispose();
  }
}

/** Adam steps of a 64-51-10 net at batch 16: stock kernels, fixed kernels, fused update and loss. */
export async function wasmTiny(): Promise<BenchRow[]> {
  await useWasm();
  const name = `wasm tiny net ${SIZES.join('-')}, batch ${BATCH}`;
  try {
    uninstallWasmKernelFixes();
    const stock = stepMs(tf.train.adam(1e-3));
    installWasmKernelFixes();
    const fixed = stepMs(tf.train.adam(1e-3));
    const fused = stepMs(new FusedAdamOptimizer({ learningRate: 1e-3 }));
    const lean = stepMs(new FusedAdamOptimizer({ learningRate: 1e-3 }), softmaxCrossEntropy);
    return [
      { name: `${name}, tf.train.adam, stock kernels`, value: stock, unit: 'ms/step' },
      { name: `${name}, tf.train.adam, fixed kernels`, value: fixed, unit: 'ms/step' },
      { name: `${name}, FusedAdam, fixed kernels`, value: fused, unit: 'ms/step' },
      { name: `${name}, FusedAdam + fused softmax loss`, value: lean, unit: 'ms/step', goal: '≤ 0.5' },
    ];
  } finally {
    installWasmKernelFixes();
  }
}

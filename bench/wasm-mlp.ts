/**
 * Bench section: MLP 784-256-128-10 training on wasm (batch 256) in GFLOP/s, with the stock and
 * the fixed kernels, each as a ratio to the forward-matmul rate timed in alternation with it;
 * and the mini-batch gather an epoch does.
 *
 * GFLOP/s follow the usual convention for training, 6·batch·weights per step (forward, input
 * gradient, weight gradient), as the figures do. One extra row counts only the FLOPs
 * actually computed: tfjs never computes the gradient of the data, so the first layer's input
 * gradient is skipped and the same step is ×1/1.40 of that in "computed" FLOPs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FusedAdamOptimizer, installWasmKernelFixes, softmaxCrossEntropy, uninstallWasmKernelFixes } from '../src/train/wasm/index.js';
import { mlp, mlpMacs, mlpTrainFlops, runner } from './models.js';
import type { Loss } from './models.js';
import { interleavedMedians, medianMs } from './timing.js';
import type { TimingOptions } from './timing.js';
import type { BenchRow } from './types.js';
import { useWasm } from './wasm-env.js';

const SIZES = [784, 256, 128, 10];
const BATCH = 256;
const CONVENTIONAL_FLOPS = 6 * BATCH * mlpMacs(SIZES);
const COMPUTED_FLOPS = mlpTrainFlops(SIZES, BATCH);
const FORWARD_FLOPS = 2 * 256 * 784 * 256;

/** Median ms of a training step and of the forward matmul timed alongside it. */
interface StepTiming {
  stepMs: number;
  matmulMs: number;
}

function measure(optimizer: tf.Optimizer, timing: TimingOptions, loss?: Loss): StepTiming {
  const a = tf.randomNormal([256, 784]);
  const b = tf.randomNormal([784, 256]);
  const forward = (): void => tf.matMul(a, b).dispose();
  const run = runner(mlp(SIZES), [BATCH, SIZES[0]!], 10, optimizer, loss);
  try {
    const [matmulMs, stepMs] = interleavedMedians([forward, run.step], timing);
    return { stepMs: stepMs!, matmulMs: matmulMs! };
  } finally {
    run.dispose();
    tf.dispose([a, b]);
  }
}

const gflops = (flops: number, ms: number): number => flops / ms / 1e6;

/** Rows for one configuration: GFLOP/s and the ratio to the forward matmul. */
function rows(label: string, t: StepTiming, goal?: string): BenchRow[] {
  const train = gflops(CONVENTIONAL_FLOPS, t.stepMs);
  const ratio = train / gflops(FORWARD_FLOPS, t.matmulMs);
  return [
    { name: `wasm MLP ${SIZES.join('-')} training, batch ${BATCH}, ${label}`, value: train, unit: 'GFLOP/s' },
    { name: `  ratio to forward matmul (${label})`, value: ratio, unit: '×', ...(goal ? { goal } : {}) },
  ];
}

/** Median ms of gathering 256 random rows of a 4096×784 data set. */
function gatherMs(): number {
  const data = tf.randomNormal([4096, 784]);
  const idx = tf.tensor1d(Int32Array.from({ length: BATCH }, (_, i) => (i * 2654435761) % 4096), 'int32');
  try {
    return medianMs(() => tf.gather(data, idx).dispose(), { warmup: 3, minRuns: 10, budgetMs: 500 });
  } finally {
    tf.dispose([data, idx]);
  }
}

/** See the file comment. */
export async function wasmMlp(): Promise<BenchRow[]> {
  await useWasm();
  try {
    uninstallWasmKernelFixes();
    const stock = measure(tf.train.sgd(0.01), { warmup: 1, minRuns: 4, budgetMs: 2500 });
    const stockGather = gatherMs();
    installWasmKernelFixes();
    const sgd = measure(tf.train.sgd(0.01), { warmup: 3, minRuns: 15, budgetMs: 5000 });
    const adam = measure(new FusedAdamOptimizer({ learningRate: 1e-3 }), { warmup: 3, minRuns: 10, budgetMs: 3000 }, softmaxCrossEntropy);
    const fixedGather = gatherMs();
    const computed = gflops(COMPUTED_FLOPS, sgd.stepMs) / gflops(FORWARD_FLOPS, sgd.matmulMs);
    return [
      ...rows('SGD, stock kernels', stock),
      ...rows('SGD, fixed kernels', sgd, '≥ 0.85'),
      { name: '  speed-up of the fixes (SGD)', value: stock.stepMs / sgd.stepMs, unit: '×' },
      { name: '  ratio counting only FLOPs computed (SGD, fixed)', value: computed, unit: '×' },
      ...rows('FusedAdam + fused loss, fixed kernels', adam),
      { name: 'wasm gather 256 rows of 4096×784, stock kernel', value: stockGather, unit: 'ms' },
      { name: 'wasm gather 256 rows of 4096×784, fixed kernel', value: fixedGather, unit: 'ms' },
    ];
  } finally {
    installWasmKernelFixes();
  }
}

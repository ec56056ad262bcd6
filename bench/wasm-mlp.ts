/**
 * Bench section: the trainer's training loop on an MLP 784-256-128-10 (batch 256) on wasm, in
 * GFLOP/s, each as a ratio to the forward-matmul rate timed in alternation with it: SGD with
 * the stock and the fixed kernels, and Adam (the trainer's fused update).
 *
 * GFLOP/s follow the usual convention for training, 6·batch·weights per step (forward, input
 * gradient, weight gradient), as the figures do. One extra row counts only the FLOPs
 * actually computed: the trainer never computes the gradient of the data, so the first
 * layer's input gradient is skipped and the same step is ×1/1.40 of that in "computed" FLOPs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SettingValue } from '../src/core/spec.js';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from '../src/train/wasm/index.js';
import { interleavedMedians, median, medianMs } from './timing.js';
import { trainerLoop } from './trainer-loop.js';
import type { BenchRow } from './types.js';

const SIZES = [784, 256, 128, 10];
const BATCH = 256;
const STEPS_PER_EPOCH = 8;

/** Multiply-adds of one forward pass, per sample. */
function macs(sizes: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < sizes.length; i++) n += sizes[i - 1]! * sizes[i]!;
  return n;
}

/** FLOPs one step computes: forward, every weight gradient, input gradients of all layers but the first. */
function computedFlops(sizes: readonly number[], batch: number): number {
  const all = macs(sizes);
  return 2 * batch * (all + all + (all - sizes[0]! * sizes[1]!));
}

const CONVENTIONAL_FLOPS = 6 * BATCH * macs(SIZES);
const COMPUTED_FLOPS = computedFlops(SIZES, BATCH);
const FORWARD_FLOPS = 2 * 256 * 784 * 256;

/** Median ms of a training step and of the forward matmul timed alongside it. */
interface StepTiming {
  stepMs: number;
  matmulMs: number;
}

/** Epochs of the trainer alternated with runs of the forward matmul, `rounds` times. */
async function measure(train: Record<string, SettingValue>, rounds: number): Promise<StepTiming> {
  const loop = await trainerLoop({ train: { layers: SIZES.slice(1, -1), batch_size: BATCH, ...train }, features: SIZES[0]!, classes: 10, rows: BATCH * STEPS_PER_EPOCH });
  const a = tf.randomNormal([256, 784]);
  const b = tf.randomNormal([784, 256]);
  const forward = (): void => tf.matMul(a, b).dispose();
  try {
    await loop.epoch();
    const steps: number[] = [];
    const products: number[] = [];
    for (let r = 0; r < rounds; r++) {
      steps.push((await loop.epoch()) / loop.steps);
      products.push(medianMs(forward, { warmup: 1, minRuns: 5, maxRuns: 5 }));
    }
    return { stepMs: median(steps), matmulMs: median(products) };
  } finally {
    loop.dispose();
    tf.dispose([a, b]);
  }
}

const gflops = (flops: number, ms: number): number => flops / ms / 1e6;

/**
 * What a product costs when its weight operand is a new tensor, as after every optimizer
 * step: XNNPACK packs the weights once per tensor, and the forward-matmul reference reuses
 * one. Time of the product with a fresh copy of the weights ÷ with the same weights.
 */
function freshWeightCost(): number {
  const a = tf.randomNormal([256, 784]);
  const b = tf.randomNormal([784, 256]);
  try {
    const [same, fresh, copy] = interleavedMedians(
      [
        () => tf.matMul(a, b).dispose(),
        () => tf.tidy(() => void tf.matMul(a, tf.add(b, 0))),
        () => tf.tidy(() => void tf.add(b, 0)),
      ],
      { warmup: 2, minRuns: 10, budgetMs: 1500 },
    );
    return (fresh! - copy!) / same!;
  } finally {
    tf.dispose([a, b]);
  }
}

/** Rows for one configuration: GFLOP/s and the ratio to the forward matmul. */
function rows(label: string, t: StepTiming, goal?: string): BenchRow[] {
  const train = gflops(CONVENTIONAL_FLOPS, t.stepMs);
  const ratio = train / gflops(FORWARD_FLOPS, t.matmulMs);
  return [
    { name: `wasm MLP ${SIZES.join('-')}, trainer loop, batch ${BATCH}, ${label}`, value: train, unit: 'GFLOP/s' },
    { name: `  ratio to forward matmul (${label})`, value: ratio, unit: '×', ...(goal ? { goal } : {}) },
  ];
}

/** See the file comment. */
export async function wasmMlp(): Promise<BenchRow[]> {
  const sgd = { optimizer: 'sgd', learning_rate: 0.01 };
  try {
    const fixed = await measure(sgd, 8);
    const adam = await measure({ optimizer: 'adam', learning_rate: 1e-3 }, 5);
    uninstallWasmKernelFixes();
    const stock = await measure(sgd, 2);
    const computed = gflops(COMPUTED_FLOPS, fixed.stepMs) / gflops(FORWARD_FLOPS, fixed.matmulMs);
    const packing = freshWeightCost();
    return [
      ...rows('SGD', fixed, '≥ 0.85'),
      { name: '  ratio counting only FLOPs computed (SGD)', value: computed, unit: '×' },
      ...rows('Adam', adam),
      ...rows('SGD, stock tfjs kernels', stock),
      { name: '  speed-up of the kernel fixes (SGD)', value: stock.stepMs / fixed.stepMs, unit: '×' },
      { name: 'wasm forward matmul 256×784·784×256 with a new weight tensor each call ÷ the same weight', value: packing, unit: '×' },
    ];
  } finally {
    installWasmKernelFixes();
  }
}

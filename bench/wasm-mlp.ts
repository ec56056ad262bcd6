/**
 * Bench section: the trainer's training loop on an MLP 784-256-128-10 (batch 256) on wasm, in
 * GFLOP/s, each as a ratio to the forward-matmul rate timed in alternation with it: SGD with
 * the stock and the fixed kernels, and Adam (the trainer's fused update).
 *
 * An epoch is a trial's whole epoch (sessionEpochs) on the data of configs/mnist-mlp.yaml
 * (10 000 digits split 0.85/0.1/0.05: 8 500 training rows, 33 full batches and one of 52, and
 * 1 000 validation rows): the steps, then the inference-mode evaluation of the validation split
 * and of the training subset (as many rows), then layer health (a forward and backward pass of
 * the monitoring batch). GFLOP/s follow the usual convention for training, 6·weights per
 * trained row (forward, input gradient, weight gradient), here also for the monitoring batch,
 * and 2·weights per evaluated row. One extra row counts only the FLOPs actually computed: no
 * pass computes the gradient of the data, so the first layer's input gradient is skipped. One
 * more times the steps alone, to show what the epoch's evaluation and health cost.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SettingValue } from '../src/core/spec.js';
import { MONITOR_ROWS } from '../src/train/loop/health.js';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from '../src/train/wasm/index.js';
import { interleavedMedians, median, medianMs } from './timing.js';
import { trainerLoop } from './trainer-loop.js';
import type { BenchRow } from './types.js';

const SIZES = [784, 256, 128, 10];
const BATCH = 256;
const TRAIN_ROWS = 8500;
const VAL_ROWS = 1000;
/** The training subset evaluated each epoch has as many rows as the validation split. */
const EVAL_ROWS = 2 * VAL_ROWS;

/** Multiply-adds of one forward pass, per sample. */
const MACS = SIZES.slice(1).reduce((n, units, i) => n + SIZES[i]! * units, 0);
/** Multiply-adds of the first layer's input gradient, per sample (never computed). */
const FIRST_DX = SIZES[0]! * SIZES[1]!;

/** FLOPs of one epoch with per-sample FLOPs `trained` (a training pass) and 2·MACS (an evaluation). */
function epochFlops(trained: number, stepsOnly: boolean): number {
  return stepsOnly ? TRAIN_ROWS * trained : (TRAIN_ROWS + MONITOR_ROWS) * trained + EVAL_ROWS * 2 * MACS;
}

const CONVENTIONAL = 6 * MACS;
const COMPUTED = 2 * (3 * MACS - FIRST_DX);
const FORWARD_FLOPS = 2 * 256 * 784 * 256;

/** Median ms of an epoch; the median over rounds of (forward matmul ms ÷ epoch ms), each pair timed together. */
interface EpochTiming {
  epochMs: number;
  matmulPerEpoch: number;
  stepsOnly: boolean;
}

/** Epochs of the trainer alternated with runs of the forward matmul, `rounds` times. */
async function measure(train: Record<string, SettingValue>, rounds: number, stepsOnly = false): Promise<EpochTiming> {
  const loop = await trainerLoop({
    train: { layers: SIZES.slice(1, -1), batch_size: BATCH, ...train },
    features: SIZES[0]!,
    classes: 10,
    rows: TRAIN_ROWS,
    ...(stepsOnly ? {} : { valRows: VAL_ROWS }),
  });
  const a = tf.randomNormal([256, 784]);
  const b = tf.randomNormal([784, 256]);
  const forward = (): void => tf.matMul(a, b).dispose();
  try {
    await loop.epoch();
    const epochs: number[] = [];
    const products: number[] = [];
    for (let r = 0; r < rounds; r++) {
      epochs.push(await loop.epoch());
      products.push(medianMs(forward, { warmup: 1, minRuns: 15, maxRuns: 15 }));
    }
    return { epochMs: median(epochs), matmulPerEpoch: median(products.map((p, i) => p / epochs[i]!)), stepsOnly };
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
/** (Epoch FLOPs ÷ epoch time) ÷ (matmul FLOPs ÷ matmul time), from rounds that pair the two (load changes between rounds). */
function ratio(t: EpochTiming, perSample = CONVENTIONAL): number {
  return (epochFlops(perSample, t.stepsOnly) / FORWARD_FLOPS) * t.matmulPerEpoch;
}

function rows(label: string, t: EpochTiming, goal?: string): BenchRow[] {
  const train = gflops(epochFlops(CONVENTIONAL, t.stepsOnly), t.epochMs);
  return [
    { name: `wasm MLP ${SIZES.join('-')}, trainer loop, batch ${BATCH}, ${label}`, value: train, unit: 'GFLOP/s' },
    { name: `  ratio to forward matmul (${label})`, value: ratio(t), unit: '×', ...(goal ? { goal } : {}) },
  ];
}

/** See the file comment. */
export async function wasmMlp(): Promise<BenchRow[]> {
  const sgd = { optimizer: 'sgd', learning_rate: 0.01 };
  try {
    const fixed = await measure(sgd, 7);
    const steps = await measure(sgd, 5, true);
    const adam = await measure({ optimizer: 'adam', learning_rate: 1e-3 }, 5);
    uninstallWasmKernelFixes();
    const stock = await measure(sgd, 1);
    const packing = freshWeightCost();
    return [
      ...rows('SGD', fixed, '≥ 0.85'),
      { name: '  ratio counting only FLOPs computed (SGD)', value: ratio(fixed, COMPUTED), unit: '×' },
      { name: '  ratio of the steps alone, without evaluation and layer health (SGD)', value: ratio(steps), unit: '×' },
      ...rows('Adam', adam),
      ...rows('SGD, stock tfjs kernels', stock),
      { name: '  speed-up of the kernel fixes (SGD)', value: stock.epochMs / fixed.epochMs, unit: '×' },
      { name: 'wasm forward matmul 256×784·784×256 with a new weight tensor each call ÷ the same weight', value: packing, unit: '×' },
    ];
  } finally {
    installWasmKernelFixes();
  }
}

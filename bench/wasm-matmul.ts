/** Bench section: forward matmul GFLOP/s on wasm, and products with a transposed operand. */
import * as tf from '@tensorflow/tfjs-core';
import { installWasmKernelFixes, uninstallWasmKernelFixes } from '../src/train/wasm/index.js';
import { interleavedMedians, medianMs } from './timing.js';
import type { BenchRow } from './types.js';
import { useWasm } from './wasm-env.js';

const [M, K, N] = [256, 784, 256];
const FLOPS = 2 * M * K * N;

/** GFLOP/s of 256×784 · 784×256, plain and with either operand stored transposed (stock, fixed). */
export async function wasmMatmul(): Promise<BenchRow[]> {
  await useWasm();
  const a = tf.randomNormal([M, K], 0, 1, 'float32', 1);
  const b = tf.randomNormal([K, N], 0, 1, 'float32', 2);
  const aT = tf.transpose(a);
  const bT = tf.transpose(b);
  const product = (x: tf.Tensor, y: tf.Tensor, ta: boolean, tb: boolean) => (): void => tf.matMul(x, y, ta, tb).dispose();
  const gflops = (ms: number): number => FLOPS / ms / 1e6;
  const transposed = [product(aT, b, true, false), product(a, bT, false, true)];
  try {
    const forward = medianMs(product(a, b, false, false), { warmup: 5, minRuns: 20, budgetMs: 1000 });
    uninstallWasmKernelFixes();
    const stock = interleavedMedians(transposed, { warmup: 1, minRuns: 4, budgetMs: 1000 });
    installWasmKernelFixes();
    const fixed = interleavedMedians(transposed, { warmup: 3, minRuns: 10, budgetMs: 1000 });
    const name = `wasm matmul ${M}×${K}·${K}×${N}`;
    return [
      { name: `${name} forward`, value: gflops(forward), unit: 'GFLOP/s' },
      { name: `${name}, A transposed, stock kernel`, value: gflops(stock[0]!), unit: 'GFLOP/s' },
      { name: `${name}, A transposed, fixed kernel`, value: gflops(fixed[0]!), unit: 'GFLOP/s' },
      { name: `${name}, B transposed, stock kernel`, value: gflops(stock[1]!), unit: 'GFLOP/s' },
      { name: `${name}, B transposed, fixed kernel`, value: gflops(fixed[1]!), unit: 'GFLOP/s' },
    ];
  } finally {
    installWasmKernelFixes();
    tf.dispose([a, b, aT, bT]);
  }
}

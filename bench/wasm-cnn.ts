/**
 * Bench section: the trainer's built-in CNN through its training loop on wasm (fixed kernels;
 * the stock backend cannot train it: it has no Conv2DBackpropFilter).
 */
import { msPerStep, trainerLoop } from './trainer-loop.js';
import type { BenchRow } from './types.js';

const BATCH = 64;

/** Samples/s of 28×28×1 → conv 8 → pool → conv 16 → pool → dense 10, batch 64, Adam. */
export async function wasmCnn(): Promise<BenchRow[]> {
  const loop = await trainerLoop({
    train: { model: 'cnn', filters: [8, 16], kernel_size: 3, batch_size: BATCH, optimizer: 'adam', learning_rate: 1e-3 },
    features: 28 * 28,
    imageShape: [28, 28, 1],
    classes: 10,
    rows: BATCH * 12,
  });
  try {
    const ms = await msPerStep(loop, 5);
    return [{ name: `wasm CNN 28×28 conv8-pool-conv16-pool-dense10, trainer loop, batch ${BATCH}, Adam`, value: (BATCH * 1000) / ms, unit: 'samples/s' }];
  } finally {
    loop.dispose();
  }
}

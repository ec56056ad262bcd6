/**
 * Bench section: ms per training step of a tiny net through the trainer's loop on wasm, where
 * per-step overhead dominates: Adam with its fused update (what a trial runs) and with the
 * update as separate kernels (to show what the fused kernel is worth).
 */
import { msPerStep, trainerLoop } from './trainer-loop.js';
import type { BenchRow } from './types.js';

const SIZES = [64, 51, 10];
const BATCH = 16;
const ROWS = BATCH * 200;

async function stepMs(allowFused: boolean): Promise<number> {
  const loop = await trainerLoop(
    { train: { layers: SIZES.slice(1, -1), batch_size: BATCH, optimizer: 'adam', learning_rate: 1e-3 }, features: SIZES[0]!, classes: SIZES[2]!, rows: ROWS },
    { allowFused },
  );
  try {
    return await msPerStep(loop, 7);
  } finally {
    loop.dispose();
  }
}

/** See the file comment. */
export async function wasmTiny(): Promise<BenchRow[]> {
  const name = `wasm tiny net ${SIZES.join('-')}, trainer loop, batch ${BATCH}, Adam`;
  const fused = await stepMs(true);
  const separate = await stepMs(false);
  return [
    { name: `${name} (fused update, as trials run)`, value: fused, unit: 'ms/step', goal: '≤ 0.5' },
    { name: `${name}, update as separate kernels`, value: separate, unit: 'ms/step' },
  ];
}

/**
 * A worker thread for the slots section's ceiling row: the trainer's own training loop
 * (trainer-loop.ts) on the slot study's model, with nothing of the pool or the study around
 * it. It builds and warms its session, then on each message trains that many epochs and
 * answers with the wall milliseconds they took.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { trainerLoop } from './trainer-loop.js';

/** What the section sends the worker at start: the backend and the study's model and data size. */
export interface LoopWorkerData {
  backend: 'wasm' | 'blas';
  features: number;
  classes: number;
  rows: number;
  valRows: number;
  train: Record<string, string | number | boolean | number[]>;
}

const config = workerData as LoopWorkerData;
const port = parentPort;
if (port === null) throw new Error('bench/loop-worker.js runs as a worker thread');
const loop = await trainerLoop({ train: config.train, features: config.features, classes: config.classes, rows: config.rows, valRows: config.valRows }, { backend: config.backend });
// Warm: the JIT and the wasm tiers settle in the first epochs.
for (let i = 0; i < 3; i++) await loop.epoch();
port.on('message', (epochs: number) => {
  void (async () => {
    const start = performance.now();
    for (let i = 0; i < epochs; i++) await loop.epoch();
    port.postMessage(performance.now() - start);
  })();
});
port.postMessage('ready');

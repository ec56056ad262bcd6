/**
 * Bench section: the built-in trainer on the blas backend against the same models in PyTorch
 * (one thread each), in one run: the MLP 784-256-128-10 (batch 256, SGD and Adam) and the CNN
 * of `model: cnn` (28×28, conv 8 → pool → conv 16 → pool → dense 10, batch 64, Adam).
 *
 * Both sides do a trial's training steps and nothing else: a shuffled epoch of mini-batches
 * gathered from a float32 array, forward, softmax cross-entropy, backward, optimizer step
 * (hpsearch: runEpoch, as a trial runs it; PyTorch: bench/torch/train.py). Times are process
 * CPU time per step, medians over epochs. Each round times PyTorch, then blas, then wasm,
 * back to back; a ratio is the median of the rounds' ratios, so a change in the machine's
 * load weighs on both sides. Both sides use the same OpenBLAS where PyTorch is Debian's
 * (python3-torch links libopenblas0).
 *
 * PyTorch comes from HPSEARCH_BENCH_PYTHON (default python3 on PATH, then /usr/bin/python3);
 * without it, only hpsearch's rows are printed, with a row saying why.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SettingValue } from '../src/core/spec.js';
import { loadCblas } from '../src/train/blas/cblas.js';
import { msPerStep, trainerLoop } from './trainer-loop.js';
import { median } from './timing.js';
import { findPython, oneThreadEnv } from './python.js';
import type { BenchRow } from './types.js';

const SCRIPT = fileURLToPath(new URL('../../bench/torch/train.py', import.meta.url));
const ROUNDS = 3;
const EPOCHS = 3;

interface Model {
  label: string;
  torch: 'mlp' | 'cnn';
  optimizer: 'sgd' | 'adam';
  batch: number;
  rows: number;
  /** FLOPs of one training step (6 · multiply-adds per sample · batch, the usual convention). */
  stepFlops: number;
  train: Record<string, SettingValue>;
  imageShape?: [number, number, number];
}

const MLP_MACS = 784 * 256 + 256 * 128 + 128 * 10;
/** conv1 28·28·(3·3·1)·8 + conv2 14·14·(3·3·8)·16 + dense 7·7·16·10 multiply-adds per sample. */
const CNN_MACS = 28 * 28 * 9 * 8 + 14 * 14 * 72 * 16 + 7 * 7 * 16 * 10;

const MODELS: Model[] = [
  { label: 'MLP 784-256-128-10, batch 256, SGD', torch: 'mlp', optimizer: 'sgd', batch: 256, rows: 8500, stepFlops: 6 * MLP_MACS * 256, train: { layers: [256, 128], batch_size: 256, optimizer: 'sgd', learning_rate: 0.01 } },
  { label: 'MLP 784-256-128-10, batch 256, Adam', torch: 'mlp', optimizer: 'adam', batch: 256, rows: 8500, stepFlops: 6 * MLP_MACS * 256, train: { layers: [256, 128], batch_size: 256, optimizer: 'adam', learning_rate: 1e-3 } },
  {
    label: 'CNN 28×28 conv8-pool-conv16-pool-dense10, batch 64, Adam',
    torch: 'cnn',
    optimizer: 'adam',
    batch: 64,
    rows: 64 * 24,
    stepFlops: 6 * CNN_MACS * 64,
    train: { model: 'cnn', filters: [8, 16], kernel_size: 3, batch_size: 64, optimizer: 'adam', learning_rate: 1e-3 },
    imageShape: [28, 28, 1],
  },
];

function torchMsPerStep(python: string, m: Model): number {
  const r = spawnSync(python, [SCRIPT, m.torch, m.optimizer, String(m.batch), String(m.rows), String(EPOCHS)], { encoding: 'utf8', env: oneThreadEnv() });
  if (r.status !== 0) throw new Error(`bench/torch/train.py failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { ms_per_step: number }).ms_per_step;
}

async function trainerMsPerStep(m: Model, backend: 'blas' | 'wasm'): Promise<number> {
  const loop = await trainerLoop({ train: m.train, features: 784, classes: 10, rows: m.rows, ...(m.imageShape ? { imageShape: m.imageShape } : {}) }, { backend });
  try {
    return await msPerStep(loop, EPOCHS);
  } finally {
    loop.dispose();
  }
}

const gflops = (m: Model, ms: number): number => m.stepFlops / ms / 1e6;

/** See the file comment. */
export async function benchBlasTorch(): Promise<BenchRow[]> {
  const cblas = loadCblas();
  if (typeof cblas === 'string') return [{ name: `blas backend skipped: ${cblas}`, value: 0, unit: '' }];
  const py = findPython(['torch']);
  const rows: BenchRow[] = [{ name: `blas backend: ${cblas.description}; PyTorch: ${typeof py === 'string' ? py : `${py.versions['torch']} (${py.python})`}`, value: 0, unit: '' }];
  for (const m of MODELS) {
    const blas: number[] = [];
    const wasm: number[] = [];
    const torch: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (typeof py !== 'string') torch.push(torchMsPerStep(py.python, m));
      blas.push(await trainerMsPerStep(m, 'blas'));
      wasm.push(await trainerMsPerStep(m, 'wasm'));
    }
    const ms = median(blas);
    rows.push(
      { name: `hpsearch blas, ${m.label}`, value: (m.batch * 1000) / ms, unit: 'samples/s' },
      { name: `  hpsearch blas, ${m.label}`, value: gflops(m, ms), unit: 'GFLOP/s' },
      { name: `  hpsearch wasm, ${m.label}`, value: gflops(m, median(wasm)), unit: 'GFLOP/s' },
    );
    if (torch.length > 0) {
      const goal = m.torch === 'mlp' ? '≥ 0.9' : '≥ 0.7';
      rows.push(
        { name: `  PyTorch 1 thread, ${m.label}`, value: gflops(m, median(torch)), unit: 'GFLOP/s' },
        { name: `  hpsearch blas ÷ PyTorch, ${m.label}`, value: median(torch.map((t, i) => t / blas[i]!)), unit: '×', goal },
        { name: `  hpsearch wasm ÷ PyTorch, ${m.label}`, value: median(torch.map((t, i) => t / wasm[i]!)), unit: '×' },
      );
    }
  }
  return rows;
}

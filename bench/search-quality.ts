/**
 * Bench section: search quality. Random, coarse-to-fine and TPE on module objectives with a
 * known optimum (test/fixtures/objectives/): the best value after 20, 50 and 100 trials, median over
 * seeds, each study run for real (one slot, SQLite) so samplers see what a run gives them.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createExecutor } from '../src/pool/index.js';
import { openStorage } from '../src/store/open.js';
import { runStudy } from '../src/study/run.js';
import { benchDir, specFrom } from './study-env.js';
import { median } from './timing.js';
import type { BenchRow } from './types.js';

const SEEDS = Array.from({ length: 10 }, (_, i) => i);
const CHECKPOINTS = [20, 50, 100] as const;
const objective = (name: string): string => fileURLToPath(new URL(`../../test/fixtures/objectives/${name}.js`, import.meta.url));

const METHODS = {
  random: 'method: random',
  c2f: 'method: coarse-to-fine\nstages: [{trials: 30}, {trials: 35, top_k: 5}, {trials: 35, top_k: 5}]',
  tpe: 'method: tpe',
} as const;

const OBJECTIVES = {
  'mixed 6-parameter function': {
    module: objective('mixed6'),
    extra: '',
    parameters: `  learning_rate: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0 }
  beta1: { distribution: one_minus_log_uniform_values, min: 0.5, max: 0.9999 }
  units: { distribution: int_uniform, min: 8, max: 1024 }
  dropout: { min: 0.0, max: 0.7 }
  batch_size: { distribution: q_uniform, min: 16, max: 512, q: 16 }
  activation: { values: [sigmoid, tanh, elu, relu] }`,
  },
  'learning-curve simulator (median pruning)': {
    module: objective('learning-curves'),
    extra: 'train: { epochs: 20 }\nearly_terminate: { type: median }\n',
    parameters: `  learning_rate: { distribution: log_uniform_values, min: 1.0e-6, max: 1.0 }
  weight_decay: { distribution: log_uniform_values, min: 1.0e-7, max: 1.0e-1 }
  width: { distribution: int_uniform, min: 16, max: 4096 }`,
  },
} as const;

/** The best complete value among the first n trials, for each n of CHECKPOINTS. */
async function bestCurve(dir: string, text: string): Promise<number[]> {
  const spec = specFrom(dir, text);
  const storage = await openStorage(join(dir, `${spec.name}.db`));
  const executor = await createExecutor({ spec, parallelism: 1 });
  try {
    const { trials } = await runStudy({ spec, storage, executor });
    return CHECKPOINTS.map((n) => Math.max(...trials.filter((t) => t.number < n && t.state === 'complete').map((t) => t.value ?? -Infinity)));
  } finally {
    await executor.close();
    await storage.close();
  }
}

export async function benchSearchQuality(): Promise<BenchRow[]> {
  const env = benchDir('search-quality');
  const rows: BenchRow[] = [];
  try {
    for (const [label, o] of Object.entries(OBJECTIVES)) {
      const results: Record<string, number[][]> = {};
      for (const [method, line] of Object.entries(METHODS)) {
        results[method] = [];
        for (const seed of SEEDS) {
          const text =
            `name: q-${method}-${o.module.length % 97}-${label.length}-${seed}\nseed: ${seed}\n${line}\nrun_cap: 100\n` +
            `trainer: module\nmodule: ${o.module}\nmetric: { name: val_accuracy, goal: maximize }\n${o.extra}parameters:\n${o.parameters}\n`;
          results[method].push(await bestCurve(env.dir, text));
        }
      }
      for (const [i, n] of CHECKPOINTS.entries()) {
        const med = (m: string): number => median(results[m]!.map((r) => r[i]!));
        for (const m of Object.keys(METHODS)) rows.push({ name: `${label}: best after ${n} trials, ${m} (median of ${SEEDS.length} seeds; optimum ${label.startsWith('mixed') ? '1.0' : '0.98'})`, value: med(m), unit: 'val_accuracy' });
        if (n === 50) rows.push({ name: `${label}: TPE − random, best after 50 trials`, value: med('tpe') - med('random'), unit: 'val_accuracy', goal: '> 0' });
      }
    }
    return rows;
  } finally {
    env.done();
  }
}

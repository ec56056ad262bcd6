/**
 * Bench section: population-based training on a curve whose best learning rate falls during
 * training (configs/pbt-schedule.js). PBT with 8 members × 40 epochs against random search
 * given the same epochs (8 trials × 40) and against the best fixed learning rate (a 64-point
 * grid: an oracle with 8× the epochs). Median over seeds; one slot, SQLite.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createExecutor } from '../src/pool/index.js';
import { openStorage } from '../src/store/open.js';
import { runStudy } from '../src/study/run.js';
import { benchDir, specFrom } from './study-env.js';
import { median } from './timing.js';
import type { BenchRow } from './types.js';

const SEEDS = [0, 1, 2, 3, 4];
const MODULE = fileURLToPath(new URL('../../configs/pbt-schedule.js', import.meta.url));
const LR = '  learning_rate: { distribution: log_uniform_values, min: 1.0e-4, max: 1.0e-1 }';

const METHODS = {
  pbt: 'method: pbt\npbt: { population: 8, perturbation_interval: 4, synch: true }',
  async: 'method: pbt\npbt: { population: 8, perturbation_interval: 4 }',
  random: 'method: random\nrun_cap: 8',
  'best fixed': 'method: grid',
} as const;

async function best(dir: string, text: string): Promise<number> {
  const spec = specFrom(dir, text);
  const storage = await openStorage(join(dir, `${spec.name}.db`));
  const executor = await createExecutor({ spec, parallelism: 1 });
  try {
    const { trials } = await runStudy({ spec, storage, executor });
    return Math.max(...trials.filter((t) => t.state === 'complete').map((t) => t.value ?? -Infinity));
  } finally {
    await executor.close();
    await storage.close();
  }
}

export async function benchPbt(): Promise<BenchRow[]> {
  const env = benchDir('pbt');
  try {
    const results: Record<string, number[]> = {};
    for (const [method, line] of Object.entries(METHODS)) {
      const seeds = method === 'best fixed' ? [0] : SEEDS;
      results[method] = [];
      for (const seed of seeds) {
        const lr = method === 'best fixed' ? LR.replace(' }', ', grid_points: 64 }') : LR;
        const text = `name: pbt-${method.replace(' ', '-')}-${seed}\nseed: ${seed}\n${line}\ntrainer: module\nmodule: ${MODULE}\nmetric: { name: val_accuracy, goal: maximize }\ntrain: { epochs: 40 }\nparameters:\n${lr}\n`;
        results[method].push(await best(env.dir, text));
      }
    }
    const med = (m: string): number => median(results[m]!);
    return [
      { name: `falling-α curve: PBT 8 members × 40 epochs, synch, best val_accuracy (median of ${SEEDS.length} seeds)`, value: med('pbt'), unit: 'val_accuracy' },
      { name: `falling-α curve: PBT 8 members × 40 epochs, asynchronous (median of ${SEEDS.length} seeds)`, value: med('async'), unit: 'val_accuracy' },
      { name: `falling-α curve: random search 8 trials × 40 epochs (median of ${SEEDS.length} seeds)`, value: med('random'), unit: 'val_accuracy' },
      { name: 'falling-α curve: best fixed α (64-point grid × 40 epochs)', value: med('best fixed'), unit: 'val_accuracy' },
      { name: 'falling-α curve: PBT − best fixed α', value: med('pbt') - med('best fixed'), unit: 'val_accuracy', goal: '> 0' },
    ];
  } finally {
    env.done();
  }
}

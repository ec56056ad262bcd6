/**
 * Bench section: compute saved by pruning. A digits study (mnist package, MLP, tfjs on wasm)
 * without pruning, with `median` and with `successive_halving`: epochs trained, wall time and
 * best validation accuracy, median over seeds. Sized for 2 shared cores (the issue's 30 trials
 * × 20 epochs × 5 seeds on 5 000 digits takes far longer): SAMPLES digits, TRIALS trials ×
 * EPOCHS epochs, SEEDS seeds, 2 slots.
 */
import { join } from 'node:path';
import type { Spec } from '../src/core/spec.js';
import { createExecutor } from '../src/pool/index.js';
import { openStorage } from '../src/store/open.js';
import { runStudy } from '../src/study/run.js';
import { benchDir, specFrom } from './study-env.js';
import { median } from './timing.js';
import type { BenchRow } from './types.js';

export const SAMPLES = 1500;
export const VAL_SHARE = 0.2;
export const TRIALS = 30;
export const EPOCHS = 8;
const SEEDS = [0, 1];

const RULES = {
  none: '',
  median: 'early_terminate: { type: median }\n',
  median_include_running: 'early_terminate: { type: median, include_running: true }\n',
  successive_halving: 'early_terminate: { type: successive_halving, reduction_factor: 3 }\n',
} as const;

/**
 * The digits study both pruning sections run: `name`, `seed`, a fixed backend (omitted: the
 * default one) and an `early_terminate:` line (or nothing).
 */
export function digitsStudyText(name: string, seed: number, earlyTerminate: string, backend?: string): string {
  return `name: ${name}
seed: ${seed}
method: random
run_cap: ${TRIALS}
parallelism: 2
metric: { name: val_accuracy, goal: maximize }
data: { source: mnist, samples: ${SAMPLES}, split: { train: ${1 - VAL_SHARE}, val: ${VAL_SHARE}, test: 0.0 }, preprocess: center, seed: 0 }
train: { ${backend === undefined ? '' : `backend: ${backend}, `}model: mlp, epochs: ${EPOCHS}, batch_size: 64 }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 1.0e-4, max: 3.0e-1 }
  hidden_units: { distribution: int_uniform, min: 16, max: 128 }
  optimizer: { values: [sgd, adam] }
${earlyTerminate}`;
}

function specText(rule: keyof typeof RULES, seed: number): string {
  return digitsStudyText(`prune-${rule}-${seed}`, seed, RULES[rule], 'wasm');
}

interface Outcome {
  epochs: number;
  seconds: number;
  best: number;
}

async function runOnce(spec: Spec, dir: string): Promise<Outcome> {
  const storage = await openStorage(join(dir, `${spec.name}.db`));
  const executor = await createExecutor({ spec, parallelism: 2 });
  try {
    await executor.prepare();
    const start = performance.now();
    const { study, trials } = await runStudy({ spec, storage, executor });
    const seconds = (performance.now() - start) / 1000;
    const curves = await storage.getStudyEpochs(study.id);
    const epochs = [...curves.values()].reduce((n, c) => n + c.length, 0);
    const best = Math.max(...trials.filter((t) => t.state === 'complete').map((t) => t.value ?? -Infinity));
    return { epochs, seconds, best };
  } finally {
    await executor.close();
    await storage.close();
  }
}

export async function benchSearchPruning(): Promise<BenchRow[]> {
  const env = benchDir('search-pruning');
  try {
    const seen: Record<string, Outcome[]> = {};
    // Rules alternate within each seed, so load from elsewhere weighs on all of them.
    for (const seed of SEEDS) {
      for (const rule of Object.keys(RULES) as (keyof typeof RULES)[]) {
        (seen[rule] ??= []).push(await runOnce(specFrom(env.dir, specText(rule, seed)), env.dir));
      }
    }
    const med = (rule: string, key: keyof Outcome): number => median(seen[rule]!.map((o) => o[key]));
    const valImages = Math.round(SAMPLES * VAL_SHARE);
    const size = `${SAMPLES} digits, ${TRIALS} trials × ${EPOCHS} epochs, ${SEEDS.length} seeds, 2 slots`;
    const rows: BenchRow[] = [{ name: `digits MLP without pruning (${size}): best val_accuracy`, value: med('none', 'best'), unit: 'val_accuracy' }];
    for (const rule of ['median', 'median_include_running', 'successive_halving']) {
      rows.push(
        { name: `${rule}: epochs trained ÷ without pruning`, value: med(rule, 'epochs') / med('none', 'epochs'), unit: '×', goal: '≤ 0.5' },
        { name: `${rule}: wall time ÷ without pruning`, value: med(rule, 'seconds') / med('none', 'seconds'), unit: '×' },
        {
          name: `${rule}: best val_accuracy − without pruning, in validation images (of ${valImages})`,
          value: (med(rule, 'best') - med('none', 'best')) * valImages,
          unit: 'images',
          goal: '≥ −1',
        },
      );
    }
    return rows;
  } finally {
    env.done();
  }
}

/**
 * Bench section: the wall a user waits for a pruned study, hpsearch against Optuna + PyTorch
 * doing the same work. The digits study of search-pruning.ts (the mnist package's digits,
 * split and centred by hpsearch, then written to a file the Python side reads, so both train
 * on the same numbers), random search over learning rate, hidden units and optimizer, the
 * built-in MLP against its PyTorch twin (bench/torch/prune_digits.py), two slots against
 * n_jobs=2, with no pruner, the median rule, successive halving and hyperband (Optuna's
 * MedianPruner, SuccessiveHalvingPruner and HyperbandPruner with the same settings).
 *
 * Each side is timed as a user runs it: the whole command from its start to its exit
 * (`hpsearch run spec.yaml --no-preflight --quiet` with the default backend; `python3
 * prune_digits.py`). Sides alternate within each seed so that load from elsewhere weighs on
 * both; figures are medians over the seeds. Skipped with a message without Optuna and PyTorch.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadData } from '../src/train/data/index.js';
import { openStorage } from '../src/store/open.js';
import { findPython, oneThreadEnv } from './python.js';
import { digitsStudyText, EPOCHS, SAMPLES, TRIALS, VAL_SHARE } from './search-pruning.js';
import { benchDir, specFrom } from './study-env.js';
import { median } from './timing.js';
import type { BenchRow } from './types.js';

const SEEDS = [0, 1, 2];
const BIN = fileURLToPath(new URL('../../bin/hpsearch.js', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../bench/torch/prune_digits.py', import.meta.url));

const RULES = {
  none: '',
  median: 'early_terminate: { type: median, n_startup_trials: 5 }\n',
  successive_halving: 'early_terminate: { type: successive_halving, min_resource: 1, reduction_factor: 3 }\n',
  hyperband: `early_terminate: { type: hyperband, min_resource: 1, max_resource: ${EPOCHS}, reduction_factor: 3 }\n`,
} as const;
type Rule = keyof typeof RULES;

function specText(rule: Rule, seed: number): string {
  return digitsStudyText(`optuna-${rule}-${seed}`, seed, RULES[rule]);
}

interface Outcome {
  seconds: number;
  epochs: number;
  best: number;
}

/** Writes the prepared train and validation splits for the Python side: x, y (as float32), then the same for val. */
function writeDigits(dir: string): { data: string; meta: string } {
  const data = loadData(specFrom(dir, specText('none', 0)).data!);
  const parts = [data.train.x, Float32Array.from(data.train.y), data.val.x, Float32Array.from(data.val.y)];
  const paths = { data: join(dir, 'digits.bin'), meta: join(dir, 'digits.json') };
  writeFileSync(paths.data, Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  writeFileSync(paths.meta, JSON.stringify({ features: data.features, train: data.train.n, val: data.val.n, classes: data.classes }));
  return paths;
}

async function runHpsearch(dir: string, rule: Rule, seed: number): Promise<Outcome> {
  const spec = join(dir, `${rule}-${seed}.yaml`);
  const db = join(dir, `${rule}-${seed}.db`);
  writeFileSync(spec, specText(rule, seed));
  const start = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'run', spec, '--storage', db, '--no-preflight', '--quiet'], { encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`hpsearch run ${rule} seed ${seed} exited ${r.status}: ${r.stderr}`);
  const storage = await openStorage(db);
  try {
    const study = (await storage.listStudies())[0]!;
    const curves = await storage.getStudyEpochs(study.id);
    const trials = await storage.listTrials(study.id);
    const best = Math.max(...trials.filter((t) => t.state === 'complete').map((t) => t.value ?? -Infinity));
    return { seconds, epochs: [...curves.values()].reduce((n, c) => n + c.length, 0), best };
  } finally {
    await storage.close();
  }
}

function runOptuna(python: string, digits: { data: string; meta: string }, rule: Rule, seed: number): Outcome {
  const start = performance.now();
  const r = spawnSync(python, [SCRIPT, digits.data, digits.meta, rule, String(seed), String(TRIALS), String(EPOCHS)], { encoding: 'utf8', env: oneThreadEnv() });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`prune_digits.py ${rule} seed ${seed} exited ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { epochs: number; best: number };
  return { seconds, epochs: out.epochs, best: out.best };
}

export async function benchPruneVsOptuna(): Promise<BenchRow[]> {
  const py = findPython(['optuna', 'torch']);
  if (typeof py === 'string') return [{ name: `pruning vs Optuna skipped: ${py}`, value: 0, unit: '' }];
  const env = benchDir('prune-optuna');
  try {
    const digits = writeDigits(env.dir);
    const ours: Record<string, Outcome[]> = {};
    const theirs: Record<string, Outcome[]> = {};
    for (const seed of SEEDS) {
      for (const rule of Object.keys(RULES) as Rule[]) {
        const first = seed % 2 === 0;
        if (first) (ours[rule] ??= []).push(await runHpsearch(env.dir, rule, seed));
        (theirs[rule] ??= []).push(runOptuna(py.python, digits, rule, seed));
        if (!first) (ours[rule] ??= []).push(await runHpsearch(env.dir, rule, seed));
      }
    }
    const med = (side: Record<string, Outcome[]>, rule: string, key: keyof Outcome): number => median(side[rule]!.map((o) => o[key]));
    const valImages = Math.round(SAMPLES * VAL_SHARE);
    const rows: BenchRow[] = [
      {
        name: `pruning vs Optuna ${py.versions['optuna']} + PyTorch ${py.versions['torch']}: digits MLP, ${SAMPLES} digits, ${TRIALS} trials × ≤ ${EPOCHS} epochs, 2 slots / n_jobs=2, ${SEEDS.length} seeds, whole command wall`,
        value: 0,
        unit: '',
      },
    ];
    for (const rule of Object.keys(RULES) as Rule[]) {
      rows.push(
        { name: `${rule}: hpsearch wall ÷ Optuna's (${med(ours, rule, 'seconds').toFixed(1)} s vs ${med(theirs, rule, 'seconds').toFixed(1)} s)`, value: med(ours, rule, 'seconds') / med(theirs, rule, 'seconds'), unit: '×', ...(rule === 'none' ? {} : { goal: '≤ 0.7' }) },
        { name: `${rule}: epochs trained, hpsearch vs Optuna ${med(theirs, rule, 'epochs')}`, value: med(ours, rule, 'epochs'), unit: 'epochs' },
        { name: `${rule}: best val_accuracy, hpsearch − Optuna, in validation images (of ${valImages})`, value: (med(ours, rule, 'best') - med(theirs, rule, 'best')) * valImages, unit: 'images', goal: '≥ −1' },
      );
    }
    return rows;
  } finally {
    env.done();
  }
}

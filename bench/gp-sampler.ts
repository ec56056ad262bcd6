/**
 * Bench section: method gp. The time of one real GP suggestion at 200 finished trials × 8
 * parameters (the sampler's whole work: fit, believers, acquisition search), and the best
 * value gp, tpe and random reach on Branin and on Hartmann-6 over log-scale ranges after 25
 * and 50 trials, mean and median over seeds. Samplers are driven in process, one trial at a
 * time (each sees the trials before it finished), as a one-slot study gives them.
 */
import type { Distribution } from '../src/core/distributions.js';
import type { Params } from '../src/core/types.js';
import { createSampler, drawParams, gpParams, type SampledTrial } from '../src/search/index.js';
import { BRANIN, HARTMANN6_LOG, type NumericObjective } from '../test/fixtures/numeric-objectives.js';
import { median, medianMs } from './timing.js';
import type { BenchRow } from './types.js';

const SEEDS = Array.from({ length: 20 }, (_, i) => i);
const CHECKPOINTS = [25, 50] as const;
const METHODS = ['gp', 'tpe', 'random'] as const;

/** 200 finished trials of a bumpy 8-parameter function (half log-scale), and a suggestion after them. */
function suggestionMs(): number {
  const parameters: Record<string, Distribution> = Object.fromEntries(
    Array.from({ length: 8 }, (_, i) => [`p${i}`, i % 2 === 0 ? { type: 'uniform', min: 0, max: 1 } : { type: 'log_uniform_values', min: 1e-5, max: 1 }]),
  );
  const f = (p: Params): number => Object.values(p).reduce<number>((s, v) => s + Math.sin(3 * Math.log((v as number) + 1e-3)), 0);
  const history: SampledTrial[] = Array.from({ length: 200 }, (_, k) => {
    const params = drawParams(3, k, parameters);
    return { number: k, params, value: f(params), state: 'complete' };
  });
  let trial = 200;
  return medianMs(() => void gpParams({ seed: 1, trial: trial++, parameters, history, direction: 'minimize' }), { warmup: 3, minRuns: 10, budgetMs: 3000 });
}

/** The best value after each checkpoint, for one method and seed. */
function bestCurve(method: (typeof METHODS)[number], o: NumericObjective, seed: number): number[] {
  const n = CHECKPOINTS[CHECKPOINTS.length - 1]!;
  const sampler = createSampler({ spec: { seed, method, parameters: o.parameters, stages: [], run_cap: n }, direction: 'minimize' });
  const trials: SampledTrial[] = [];
  for (let k = 0; k < n; k++) {
    const { params } = sampler.suggest(k, trials, trials);
    trials.push({ number: k, params, value: o.f(params), state: 'complete' });
  }
  return CHECKPOINTS.map((c) => Math.min(...trials.slice(0, c).map((t) => t.value as number)));
}

export function benchGpSampler(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [{ name: 'gp: one suggestion at 200 trials × 8 parameters', value: suggestionMs(), unit: 'ms (CPU)', goal: '≤ 50' }];
  const objectives: ReadonlyArray<[string, NumericObjective]> = [
    ['Branin', BRANIN],
    ['Hartmann-6 (log-scale ranges)', HARTMANN6_LOG],
  ];
  for (const [label, o] of objectives) {
    const results = Object.fromEntries(METHODS.map((m) => [m, SEEDS.map((s) => bestCurve(m, o, s))]));
    for (const [i, n] of CHECKPOINTS.entries()) {
      for (const m of METHODS) {
        const bests = results[m]!.map((r) => r[i]!);
        const mean = bests.reduce((a, b) => a + b, 0) / bests.length;
        rows.push({ name: `${label}: best after ${n} trials, ${m} (mean of ${SEEDS.length} seeds, median ${median(bests).toFixed(4)}; minimum ${o.minimum})`, value: mean, unit: 'value (lower is better)' });
      }
    }
  }
  return Promise.resolve(rows);
}

// Shared builders for the search/ tests.
import type { Distribution } from '../../src/core/distributions.js';
import type { Stage } from '../../src/core/spec.js';
import type { Direction, Params } from '../../src/core/types.js';
import { createSampler, type SampledTrial, type SamplerOptions, type StageRanges } from '../../src/search/index.js';

export function options(
  parameters: Record<string, Distribution>,
  extra: {
    method?: SamplerOptions['spec']['method'];
    seed?: number;
    run_cap?: number | null;
    stages?: Stage[];
    direction?: Direction;
    storedStages?: StageRanges[];
  } = {},
): SamplerOptions {
  const out: SamplerOptions = {
    spec: {
      seed: extra.seed ?? 7,
      method: extra.method ?? 'random',
      parameters,
      stages: extra.stages ?? [],
      run_cap: extra.run_cap === undefined ? null : extra.run_cap,
    },
    direction: extra.direction ?? 'minimize',
  };
  if (extra.storedStages !== undefined) out.storedStages = extra.storedStages;
  return out;
}

/** Kolmogorov–Smirnov statistic of `samples` against U[0, 1]. */
export function ksUniform(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  sorted.forEach((x, i) => {
    d = Math.max(d, (i + 1) / n - x, x - i / n);
  });
  return d;
}

/** Pearson's chi-square statistic of observed counts against expected probabilities. */
export function chiSquare(counts: readonly number[], probabilities: readonly number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.reduce((sum, c, i) => {
    const e = n * (probabilities[i] ?? 0);
    return sum + (c - e) ** 2 / e;
  }, 0);
}

/** Whether x is a multiple of q (up to float noise). */
export function onLattice(x: number, q: number): boolean {
  const k = x / q;
  return Math.abs(k - Math.round(k)) <= 1e-9 * Math.max(1, Math.abs(k));
}

/** Runs `n` trials one at a time (each sees every earlier one finished); returns them. */
export function sequential(
  method: SamplerOptions['spec']['method'],
  parameters: Record<string, Distribution>,
  f: (p: Params) => number,
  n: number,
  seed: number,
): SampledTrial[] {
  const sampler = createSampler(options(parameters, { method, seed, run_cap: n }));
  const trials: SampledTrial[] = [];
  for (let k = 0; k < n; k++) {
    const { params } = sampler.suggest(k, trials, trials);
    trials.push({ number: k, params, value: f(params), state: 'complete' });
  }
  return trials;
}

/** The smallest value among trials (all with values). */
export const best = (ts: readonly SampledTrial[]): number => Math.min(...ts.map((t) => t.value as number));
export const medianOf = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

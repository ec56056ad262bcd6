// Shared builders for the search/ tests.
import type { Distribution } from '../../src/core/distributions.js';
import type { Stage } from '../../src/core/spec.js';
import type { Direction } from '../../src/core/types.js';
import type { SamplerOptions, StageRanges } from '../../src/search/index.js';

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

/**
 * Statistics of the sampler bench: a sample's mean, median and tail probability, each with a
 * percentile-bootstrap 95 % interval (resampling seeds with replacement; seeded, so the same
 * figures give the same interval).
 */
import { paramStream } from '../../src/search/index.js';

export type Statistic = (xs: readonly number[]) => number;

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The median, the middle two averaged for an even count (both sides use this one). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The share of values beyond `threshold`: above it when maximizing, below it when minimizing. */
export function tail(threshold: number, maximize: boolean): Statistic {
  return (xs) => xs.filter((x) => (maximize ? x > threshold : x < threshold)).length / xs.length;
}

/** The q-quantile of sorted values, interpolated linearly between order statistics. */
export function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + (at - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

export interface Estimate {
  value: number;
  /** 95 % percentile-bootstrap interval. */
  low: number;
  high: number;
}

/** `stat` of `xs` with its percentile-bootstrap interval at `level` from `resamples` resamples. */
export function bootstrap(xs: readonly number[], stat: Statistic, options: { resamples?: number; level?: number; seed?: number } = {}): Estimate {
  const { resamples = 2000, level = 0.95, seed = 0 } = options;
  if (xs.length === 0) throw new RangeError('bootstrap of an empty sample');
  const rng = paramStream(seed, 0, 'bootstrap');
  const stats: number[] = [];
  const sample = new Array<number>(xs.length);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < xs.length; i++) sample[i] = xs[rng.int(0, xs.length - 1)] as number;
    stats.push(stat(sample));
  }
  stats.sort((a, b) => a - b);
  return { value: stat(xs), low: quantile(stats, (1 - level) / 2), high: quantile(stats, (1 + level) / 2) };
}

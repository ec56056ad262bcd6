/** The sampler bench's figures: per objective and column, the best value after each checkpoint. */
import { bootstrap, mean, median, tail, type Estimate } from './stats.js';
import type { BenchObjective } from './objectives.js';
import type { SeedRun } from './ours.js';

export interface Checkpoint {
  trials: number;
  mean: Estimate;
  median: Estimate;
  /** P(best beyond the objective's threshold). */
  tail: Estimate;
  /** Each seed's best after `trials` trials, in seed order. */
  bests: number[];
}

export interface ColumnResult {
  column: string;
  checkpoints: Checkpoint[];
  /** Share of each category of the first parameter in trials 10–49 (after the start-up trials). */
  categoryShare?: Record<string, number>;
}

/** The best value among the first n trials. */
export function bestAfter(values: readonly number[], n: number, maximize: boolean): number {
  const head = values.slice(0, n);
  return maximize ? Math.max(...head) : Math.min(...head);
}

export function summarise(column: string, o: BenchObjective, runs: readonly SeedRun[], checkpoints: readonly number[]): ColumnResult {
  const maximize = o.direction === 'maximize';
  const sorted = [...runs].sort((a, b) => a.seed - b.seed);
  const reached = checkpoints.filter((n) => sorted.every((r) => r.values.length >= n));
  const result: ColumnResult = {
    column,
    checkpoints: reached.map((trials) => {
      const bests = sorted.map((r) => bestAfter(r.values, trials, maximize));
      return { trials, mean: bootstrap(bests, mean), median: bootstrap(bests, median), tail: bootstrap(bests, tail(o.threshold, maximize)), bests };
    }),
  };
  const categories = sorted.flatMap((r) => r.categories.slice(10, 50)).filter((c): c is string => c !== null);
  if (categories.length > 0) {
    const share: Record<string, number> = {};
    for (const c of categories) share[c] = (share[c] ?? 0) + 1 / categories.length;
    result.categoryShare = share;
  }
  return result;
}

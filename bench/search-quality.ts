/**
 * Bench section: search quality, hpsearch's side of `npm run bench:search` (bench/search/):
 * random and TPE on the sampler bench's objectives, 100 seeds, the mean best after 25, 50 and
 * 100 trials with its bootstrap 95 % interval. Optuna's columns, gp and the tables come with
 * `npm run bench:search`.
 */
import { BENCH_OBJECTIVES } from './search/objectives.js';
import { runBench } from './search/run.js';
import type { BenchRow } from './types.js';

export async function benchSearchQuality(): Promise<BenchRow[]> {
  const results = await runBench({ objectives: BENCH_OBJECTIVES, seeds: 100, trials: [25, 50, 100], ours: ['random', 'tpe'], gpTrials: 0, pythons: [], log: () => {} });
  return results.flatMap(({ objective: o, columns }) =>
    columns.flatMap((c) =>
      c.checkpoints.map((cp) => ({
        name: `${o.name}: best after ${cp.trials} trials, ${c.column} (mean of 100 seeds, 95 % CI [${cp.mean.low.toPrecision(4)}, ${cp.mean.high.toPrecision(4)}])`,
        value: cp.mean.value,
        unit: o.direction === 'maximize' ? 'value (higher is better)' : 'value (lower is better)',
      })),
    ),
  );
}

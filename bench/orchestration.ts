/** Bench section: what hpsearch itself costs per trial (a trainer that does nothing). */
import { fileURLToPath } from 'node:url';
import { benchDir, specFrom, timeStudy } from './study-env.js';
import type { BenchRow } from './types.js';

const TRIALS = 1000;
const NOOP = fileURLToPath(new URL('../../test/fixtures/objectives/noop.js', import.meta.url));

/**
 * Wall-clock ms per trial of a study whose trainer returns at once (test/fixtures/objectives/
 * noop.js): sampling, the trial's rows in SQLite, the round trip to a worker thread and back,
 * its epoch, the verdict. One slot, so nothing overlaps.
 */
export async function benchOrchestration(): Promise<BenchRow[]> {
  const env = benchDir('orchestration');
  try {
    const spec = specFrom(
      env.dir,
      `name: bench-noop\nmethod: random\nrun_cap: ${TRIALS}\ntrainer: module\nmodule: ${NOOP}\n` +
        'metric: { name: val_accuracy, goal: maximize }\nparameters:\n  x: { min: 0.0, max: 1.0 }\n',
    );
    const { seconds, trials } = await timeStudy(spec, env.dir, 1);
    return [
      {
        name: `orchestration overhead per trial (no-op module trainer, 1 thread slot, SQLite, ${trials} trials)`,
        value: (seconds * 1000) / trials,
        unit: 'ms/trial',
        goal: '≤ 2',
      },
    ];
  } finally {
    env.done();
  }
}

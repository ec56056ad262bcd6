/**
 * Bench section: `best --top 5` and `diagnose` on a 10 000-trial study (module trainer,
 * 3 epochs each), as a user runs them: the real CLI spawned, wall clock from spawn to exit.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { benchDir, specFrom, timeStudy } from './study-env.js';
import { median } from './timing.js';
import type { BenchRow } from './types.js';

const TRIALS = 10_000;
const RUNS = 3;
const BOWL = fileURLToPath(new URL('../../test/fixtures/objectives/bowl.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/hpsearch.js', import.meta.url));

/** Generates the study in `dir` (a real run: one thread slot, SQLite); returns the database path. */
export async function bigStudy(dir: string, trials = TRIALS): Promise<string> {
  const spec = specFrom(
    dir,
    `name: bench-big\nseed: 3\nmethod: random\nrun_cap: ${trials}\ntrainer: module\nmodule: ${BOWL}\n` +
      'metric: { name: val_accuracy, goal: maximize }\nparameters:\n' +
      '  learning_rate: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0 }\n' +
      '  beta1: { distribution: one_minus_log_uniform_values, min: 0.5, max: 0.9999 }\n' +
      '  epochs: { value: 3 }\n',
  );
  await timeStudy(spec, dir, 1, join(dir, 'big.db'));
  return join(dir, 'big.db');
}

/** Median wall ms of `hpsearch ARGS` over RUNS runs, and the bytes it printed. */
function timeCli(args: string[]): { ms: number; bytes: number } {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    times.push(performance.now() - start);
    if (r.status !== 0) throw new Error(`hpsearch ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    bytes = Buffer.byteLength(r.stdout);
  }
  return { ms: median(times), bytes };
}

/** See the file comment. */
export async function benchQueries(): Promise<BenchRow[]> {
  const env = benchDir('queries');
  try {
    const db = await bigStudy(env.dir);
    const startup = timeCli(['--version']);
    const best = timeCli(['best', '--top', '5', '--storage', db]);
    const diagnose = timeCli(['diagnose', '--storage', db]);
    const name = `${TRIALS}-trial study (module trainer, 3 epochs each), CLI wall clock`;
    return [
      { name: `hpsearch best --top 5 on a ${name}`, value: best.ms, unit: 'ms', goal: '≤ 200' },
      { name: `hpsearch diagnose on a ${name}`, value: diagnose.ms, unit: 'ms', goal: '≤ 1000' },
      { name: '  bytes diagnose printed', value: diagnose.bytes, unit: 'B' },
      { name: '  of which CLI start-up (hpsearch --version)', value: startup.ms, unit: 'ms' },
    ];
  } finally {
    env.done();
  }
}

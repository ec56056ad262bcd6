/**
 * `npm run bench:scale`: how a study's throughput grows with worker processes, on PostgreSQL and
 * on the journal file. Each trial sleeps (200 ms by default), so the CPUs are not the limit: the
 * ideal is workers ÷ trial time. Prints a markdown table.
 *
 *   node dist/bench/scale.js [--workers 1,2,4,8,16,32] [--trials-per-worker 20] [--trial-ms 200]
 *                            [--storages journal,postgres] [--dir DIR]
 *
 * PostgreSQL comes from HPSEARCH_BENCH_POSTGRES or HPSEARCH_TEST_POSTGRES
 * (scripts/test-postgres.sh start); without it only the journal is measured. The journal lives
 * in a temp dir unless --dir names one (a folder on NFS, say).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { FrozenTrial } from '../src/core/types.js';
import { openStorage } from '../src/store/open.js';
import { openStudy } from '../src/study/open.js';
import { runWorkers, withDatabase } from './postgres.js';
import { specFrom } from './study-env.js';

const SLEEPER = `export async function train(params, ctx) {
  await new Promise((r) => setTimeout(r, Number(process.env.HPSEARCH_BENCH_TRIAL_MS)));
  await ctx.report({ val_loss: params.x });
  return { val_loss: params.x };
}\n`;

interface Row {
  storage: string;
  workers: number;
  trials: number;
  /** Trials/s over the window in which every worker was running trials. */
  steady: number;
  /** Trials/s from the first trial's start to the last one's end. */
  overall: number;
  /** Seconds from the first worker's first trial to the last worker's first. */
  startup: number;
  /** Journal: lines appended; PostgreSQL: transactions committed (each a round trip or more). */
  roundTrips: number;
}

/** Rates from the trials' own times: steady is counted between the last worker's first start and the last trial's start. */
function rates(trials: readonly FrozenTrial[]): Pick<Row, 'steady' | 'overall' | 'startup'> {
  const started = (t: FrozenTrial): number => Date.parse(t.started!);
  const finished = (t: FrozenTrial): number => Date.parse(t.finished!);
  const firstByWorker = new Map<string, number>();
  for (const t of trials) firstByWorker.set(t.worker!, Math.min(firstByWorker.get(t.worker!) ?? Infinity, started(t)));
  const begin = Math.min(...trials.map(started));
  const allIn = Math.max(...firstByWorker.values());
  const lastStart = Math.max(...trials.map(started));
  const end = Math.max(...trials.map(finished));
  const inWindow = trials.filter((t) => finished(t) > allIn && finished(t) <= lastStart).length;
  return {
    steady: lastStart > allIn ? inWindow / ((lastStart - allIn) / 1000) : NaN,
    overall: trials.length / ((end - begin) / 1000),
    startup: (allIn - begin) / 1000,
  };
}

async function measure(location: string, dir: string, workers: number, trials: number, trialMs: number, count: () => Promise<number>): Promise<Omit<Row, 'storage'>> {
  const module = join(dir, 'sleeper.js');
  writeFileSync(module, SLEEPER);
  const spec = specFrom(dir, `name: scale\nmethod: random\nrun_cap: ${trials}\ntrainer: module\nmodule: ${module}\n` +
    'metric: { name: val_loss, goal: minimize }\ntrain: { epochs: 1 }\nparameters:\n  x: { min: 0.0, max: 1.0 }\n');
  const storage = await openStorage(location);
  await openStudy(storage, spec, { name: 'scale', allowSpecChange: false });
  await storage.close();
  const before = await count();
  process.env['HPSEARCH_BENCH_TRIAL_MS'] = String(trialMs);
  await runWorkers(location, 'scale', workers);
  const used = (await count()) - before;
  const after = await openStorage(location, { readOnly: true });
  try {
    const done = await after.listTrials((await after.getStudy('scale'))!.id, { states: ['complete'] });
    if (done.length !== trials) throw new Error(`${location}: ${done.length} of ${trials} trials complete`);
    return { workers, trials, ...rates(done), roundTrips: used / trials };
  } finally {
    await after.close();
  }
}

async function pgTransactions(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(r.rows[0]!.n);
  } finally {
    await client.end();
  }
}

const HEADER =
  '| storage | workers | trials | ideal trials/s | steady trials/s | ÷ ideal | overall trials/s | start-up s | round trips/trial |\n' +
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n';

/** One row of the markdown table, printed as soon as it is measured. */
function tableRow(r: Row, trialMs: number): string {
  const ideal = r.workers / (trialMs / 1000);
  return `| ${r.storage} | ${r.workers} | ${r.trials} | ${ideal.toFixed(1)} | ${r.steady.toFixed(1)} | ${(r.steady / ideal).toFixed(2)} | ` +
    `${r.overall.toFixed(1)} | ${r.startup.toFixed(1)} | ${r.roundTrips.toFixed(1)} |\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workers: { type: 'string', default: '1,2,4,8,16,32' },
      'trials-per-worker': { type: 'string', default: '20' },
      'trial-ms': { type: 'string', default: '200' },
      storages: { type: 'string', default: 'journal,postgres' },
      dir: { type: 'string' },
    },
  });
  const counts = values.workers.split(',').map(Number);
  const perWorker = Number(values['trials-per-worker']);
  const trialMs = Number(values['trial-ms']);
  const storages = values.storages.split(',');
  const server = process.env['HPSEARCH_BENCH_POSTGRES'] ?? process.env['HPSEARCH_TEST_POSTGRES'];
  process.stdout.write(HEADER);
  for (const storage of storages) {
    if (storage === 'postgres' && (server === undefined || server === '')) {
      process.stderr.write('bench:scale: PostgreSQL skipped: set HPSEARCH_BENCH_POSTGRES or HPSEARCH_TEST_POSTGRES (scripts/test-postgres.sh start)\n');
      continue;
    }
    for (const workers of counts) {
      const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'hpsearch-bench-scale-'));
      try {
        process.stderr.write(`bench:scale: ${storage}, ${workers} workers…`);
        const started = performance.now();
        const trials = workers * perWorker;
        let row: Omit<Row, 'storage'>;
        if (storage === 'journal') {
          const path = join(dir, 'study.log');
          const lines = (): Promise<number> => Promise.resolve(readFileSync(path, 'utf8').split('\n').length - 1);
          row = await measure(`journal:${path}`, dir, workers, trials, trialMs, lines);
        } else {
          row = await withDatabase(server!, (url) => measure(url, dir, workers, trials, trialMs, () => pgTransactions(url)));
        }
        process.stdout.write(tableRow({ storage, ...row }, trialMs));
        process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

await main();

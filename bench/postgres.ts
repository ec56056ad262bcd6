/**
 * Bench section: several `hpsearch worker` processes on one study in PostgreSQL (1, 2, 4
 * processes of one slot each), next to one process on SQLite, with trainers that do no
 * work: trials per second (one epoch a trial) and epoch rows per second (many epochs a
 * trial). Figures come from the trials' own times (first start to last finish, by the
 * storage's clock), so process start-up is not counted. Needs a server:
 * $HPSEARCH_BENCH_POSTGRES, else $HPSEARCH_TEST_POSTGRES (scripts/test-postgres.sh); each
 * run gets a database of its own, dropped afterwards. Without one it says so and skips.
 * The 1- and 2-process rows are measured again with `synchronous_commit = off` (through the
 * URL's `options`): the price of commits that survive a crash of the server.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openStorage } from '../src/store/open.js';
import { openStudy } from '../src/study/open.js';
import { benchDir, specFrom } from './study-env.js';
import type { BenchRow } from './types.js';

const CLI = fileURLToPath(new URL('../../bin/hpsearch.js', import.meta.url));
const TRIALS = 300;
const BURST_TRIALS = 30;
const BURST_EPOCHS = 500;

/** A trainer reporting `epochs` epochs at once. */
const BURST = `export function train(params, ctx) {
  for (let e = 0; e < (params.epochs ?? 1); e++) ctx.report({ val_accuracy: params.x, train_loss: 1 - params.x, lr: 0.001 });
  return { val_accuracy: params.x };
}\n`;

function specText(name: string, module: string, trials: number, epochs: number): string {
  return `name: ${name}\nmethod: random\nrun_cap: ${trials}\ntrainer: module\nmodule: ${module}\n` +
    `metric: { name: val_accuracy, goal: maximize }\ntrain: { epochs: ${epochs} }\nparameters:\n  x: { min: 0.0, max: 1.0 }\n`;
}

/** Runs `processes` `hpsearch worker` processes (one slot each) on the study until they all exit. */
export function runWorkers(location: string, study: string, processes: number): Promise<void> {
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'worker', '--storage', location, '--study', study, '--slots', '1', '--quiet'], {
        env: { ...process.env, CI: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${String(code)}: ${stderr}`))));
    });
  return Promise.all(Array.from({ length: processes }, one)).then(() => undefined);
}

/** Runs the study to its cap with `processes` workers; per second: trials, and epoch rows. */
async function measure(location: string, dir: string, name: string, module: string, trials: number, epochs: number, processes: number) {
  const spec = specFrom(dir, specText(name, module, trials, epochs));
  const storage = await openStorage(location);
  await openStudy(storage, spec, { name, allowSpecChange: false });
  await storage.close();
  await runWorkers(location, name, processes);
  const after = await openStorage(location, { mustExist: true });
  try {
    const study = (await after.getStudy(name))!;
    const done = await after.listTrials(study.id, { states: ['complete'] });
    if (done.length !== trials) throw new Error(`${name}: ${done.length} of ${trials} trials complete`);
    const start = Math.min(...done.map((t) => Date.parse(t.started!)));
    const end = Math.max(...done.map((t) => Date.parse(t.finished!)));
    const seconds = (end - start) / 1000;
    return { trials: trials / seconds, rows: (trials * epochs) / seconds };
  } finally {
    await after.close();
  }
}

/** Runs `fn` on a fresh database of the server at `server` (dropped afterwards). */
export async function withDatabase<T>(server: string, fn: (url: string) => Promise<T>, options?: string): Promise<T> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  const name = `hpsearch_bench_${process.pid}_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(server);
    url.pathname = `/${name}`;
    if (options !== undefined) url.searchParams.set('options', options);
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

export async function benchPostgres(): Promise<BenchRow[]> {
  const server = process.env['HPSEARCH_BENCH_POSTGRES'] ?? process.env['HPSEARCH_TEST_POSTGRES'];
  if (server === undefined || server === '') {
    process.stderr.write(' skipped: no PostgreSQL (set HPSEARCH_BENCH_POSTGRES or HPSEARCH_TEST_POSTGRES; scripts/test-postgres.sh start)');
    return [];
  }
  const env = benchDir('postgres');
  try {
    const noop = fileURLToPath(new URL('../../test/fixtures/objectives/noop.js', import.meta.url));
    const burst = join(env.dir, 'burst.js');
    writeFileSync(burst, BURST);
    const rows: BenchRow[] = [];
    const sqlite = join(env.dir, 'bench.db');
    const s1 = await measure(sqlite, env.dir, 'noop', noop, TRIALS, 1, 1);
    const s2 = await measure(sqlite, env.dir, 'burst', burst, BURST_TRIALS, BURST_EPOCHS, 1);
    rows.push({ name: `SQLite, 1 worker process: trials (no-op trainer, ${TRIALS} trials)`, value: s1.trials, unit: 'trials/s' });
    rows.push({ name: `SQLite, 1 worker process: epoch rows (${BURST_EPOCHS} epochs a trial)`, value: s2.rows, unit: 'rows/s' });
    const one: number[] = [];
    for (const processes of [1, 2, 4]) {
      const r = await withDatabase(server, async (url) => ({
        noop: await measure(url, env.dir, 'noop', noop, TRIALS, 1, processes),
        burst: await measure(url, env.dir, 'burst', burst, BURST_TRIALS, BURST_EPOCHS, processes),
      }));
      one.push(r.noop.trials);
      rows.push({ name: `PostgreSQL, ${processes} worker process(es): trials (no-op trainer, ${TRIALS} trials)`, value: r.noop.trials, unit: 'trials/s' });
      rows.push({
        name: `PostgreSQL, ${processes} worker process(es): epoch rows (${BURST_EPOCHS} epochs a trial)`,
        value: r.burst.rows,
        unit: 'rows/s',
        goal: '≥ 20000',
      });
    }
    rows.push({ name: 'PostgreSQL trial throughput, 4 processes ÷ 1', value: one[2]! / one[0]!, unit: '×', goal: '≥ 3' });
    for (const processes of [1, 2]) {
      const off = await withDatabase(server, async (url) => ({
        noop: await measure(url, env.dir, 'noop', noop, TRIALS, 1, processes),
        burst: await measure(url, env.dir, 'burst', burst, BURST_TRIALS, BURST_EPOCHS, processes),
      }), '-c synchronous_commit=off');
      rows.push({ name: `PostgreSQL, synchronous_commit = off, ${processes} worker process(es): trials`, value: off.noop.trials, unit: 'trials/s' });
      rows.push({ name: `PostgreSQL, synchronous_commit = off, ${processes} worker process(es): epoch rows`, value: off.burst.rows, unit: 'rows/s' });
    }
    return rows;
  } finally {
    env.done();
  }
}

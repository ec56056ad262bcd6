/**
 * Several hpsearch processes on one study in a real PostgreSQL: `run` creates it and works
 * as a worker, `worker`s join from the spec stored with it. Skipped (saying so) without a
 * server; see test/store/pg-helpers.ts.
 */
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { loadSpec } from '../../src/spec/index.js';
import { openStorage } from '../../src/store/open.js';
import { openStudy } from '../../src/study/open.js';
import { tempDir } from '../helpers.js';
import { dropCreated, freshDatabaseUrl, pgSkip } from '../store/pg-helpers.js';
import { readStudy, sleepySpec, startCli, type LiveCli } from './live-cli.js';

const skip = await pgSkip();
const dir = tempDir('hpsearch-pgw-');
after(dropCreated);

const worker = (url: string, study: string, slots: number, ...more: string[]): LiveCli =>
  startCli(['worker', '--storage', url, '--study', study, '--slots', String(slots), ...more]);

async function ended(cli: LiveCli): Promise<void> {
  const r = await cli.done;
  assert.equal(r.code, 0, r.stderr);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates the study of the spec at `path` (as `run` would), so that workers can join before any run starts. */
async function createStudy(url: string, path: string): Promise<void> {
  const spec = await loadSpec(path);
  const storage = await openStorage(url);
  try {
    await openStudy(storage, spec, { name: spec.name, allowSpecChange: false });
  } finally {
    await storage.close();
  }
}

describe('PostgreSQL: workers sharing a study', { skip }, () => {
  it('4 processes × 2 slots: exactly run_cap trials, unique numbers, no repeated parameters', async () => {
    const url = await freshDatabaseUrl();
    const spec = sleepySpec(dir, { name: 'four', runCap: 24, epochs: 4, sleepMs: 100 });
    await createStudy(url, spec);
    const run = startCli(['run', spec, '--storage', url, '--parallelism', '2']);
    const workers = [1, 2, 3].map(() => worker(url, 'four', 2));
    await Promise.all([run, ...workers].map(ended));
    const { trials, integrity } = await readStudy(url);
    assert.equal(integrity, 'ok');
    assert.deepEqual(trials.map((t) => t.number), [...Array(24).keys()]);
    assert.ok(trials.every((t) => t.state === 'complete' && t.attempt === 1 && t.epochs.length === 4));
    assert.equal(new Set(trials.map((t) => t.params['lr'])).size, 24, 'no parameters drawn twice');
    const owners = new Set(trials.map((t) => t.worker));
    assert.ok(owners.size >= 2, `trials spread over processes: ${[...owners].join(', ')}`);
    const ran = [run, ...workers].map(async (c) => Number(/this run ran (\d+)/.exec((await c.done).stderr)?.[1]));
    assert.equal((await Promise.all(ran)).reduce((a, b) => a + b, 0), 24, 'every trial ran once');
  });

  it('kill -9 of a worker mid-trial: another re-runs its trial, nothing lost', async () => {
    const url = await freshDatabaseUrl();
    const spec = sleepySpec(dir, { name: 'killed', runCap: 4, epochs: 8, sleepMs: 100 });
    await createStudy(url, spec);
    const victim = worker(url, 'killed', 1, '--stale-after', '2');
    await victim.waitFor(/trial \d+ started/);
    await sleep(400);
    victim.child.kill('SIGKILL');
    await victim.done;
    const run = startCli(['run', spec, '--storage', url, '--parallelism', '1', '--stale-after', '2']);
    await ended(run);
    const { trials } = await readStudy(url);
    assert.equal(trials.length, 4);
    assert.ok(trials.every((t) => t.state === 'complete' && t.epochs.length === 8), 'every trial complete with its whole curve');
    const rerun = trials.filter((t) => t.attempt === 2);
    assert.equal(rerun.length, 1, 'the killed trial ran again');
    assert.ok(rerun[0]!.worker?.endsWith(`:${run.child.pid}`), `re-run by the surviving process, not ${String(rerun[0]!.worker)}`);
  });

  it("a worker cut off past the staleness window: its trial is re-run elsewhere and its late writes refused", async () => {
    const url = await freshDatabaseUrl();
    const spec = sleepySpec(dir, { name: 'frozen', runCap: 3, epochs: 10, sleepMs: 300 });
    await createStudy(url, spec);
    const late = worker(url, 'frozen', 1, '--stale-after', '2');
    await late.waitFor(/trial \d+ started/);
    await sleep(300);
    // Frozen: alive (so not an orphan by pid), but silent: no heartbeats, no writes.
    late.child.kill('SIGSTOP');
    const run = startCli(['run', spec, '--storage', url, '--parallelism', '1', '--stale-after', '2']);
    await run.waitFor(/re-running trial \d+ \(attempt 2\)/);
    late.child.kill('SIGCONT');
    await Promise.all([ended(run), ended(late)]);
    assert.match((await late.done).stderr, /taken over by another process; this run's result is dropped/);
    const { trials } = await readStudy(url);
    assert.equal(trials.length, 3);
    const taken = trials.find((t) => t.attempt === 2);
    assert.ok(taken !== undefined && taken.state === 'complete');
    assert.equal(taken.epochs.length, 10);
    assert.deepEqual(new Set(taken.epochs.map((e) => e.metrics['pid'])), new Set([run.child.pid]), "only the new attempt's epochs");
  });

  it('the database restarted mid-run: the workers reconnect and the study completes', { skip: process.env['HPSEARCH_TEST_PGCTL'] === undefined ? 'PostgreSQL restart test skipped: HPSEARCH_TEST_PGCTL / HPSEARCH_TEST_PGDATA not set' : false }, async () => {
    const url = await freshDatabaseUrl();
    const spec = sleepySpec(dir, { name: 'restart', runCap: 16, epochs: 4, sleepMs: 100 });
    const run = startCli(['run', spec, '--storage', url, '--parallelism', '2']);
    await run.waitFor(/trial \d+ started/);
    const other = worker(url, 'restart', 2);
    await run.waitFor(/trial \d+ started/, 3);
    execSync(`${process.env['HPSEARCH_TEST_PGCTL']} -D ${process.env['HPSEARCH_TEST_PGDATA']} restart -m fast -w`, { stdio: 'ignore' });
    await Promise.all([ended(run), ended(other)]);
    const { trials, integrity } = await readStudy(url);
    assert.equal(integrity, 'ok');
    assert.equal(trials.length, 16);
    assert.ok(trials.every((t) => t.state === 'complete' && t.epochs.length === 4), trials.map((t) => `${t.number}:${t.state}`).join(' '));
  });
});

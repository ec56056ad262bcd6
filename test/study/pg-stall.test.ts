/**
 * A worker stopped (SIGSTOP: a laptop lid, a paused VM) at any moment of its work holds
 * up no other process: it holds no lock while it waits. Trials of 0 ms keep it allocating
 * most of the time, where a lock held across its round trips would freeze everyone.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { tempDir } from '../helpers.js';
import { dropCreated, freshDatabaseUrl, pgSkip } from '../store/pg-helpers.js';
import { readStudy, sleepySpec, startCli } from './live-cli.js';

const skip = await pgSkip();
const dir = tempDir('hpsearch-pgstall-');
after(dropCreated);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL: a stopped worker', { skip }, () => {
  it('five 1.5 s stops of a worker: the others complete trials during each', async () => {
    const url = await freshDatabaseUrl();
    const spec = sleepySpec(dir, { name: 'stall', runCap: 100_000, epochs: 1, sleepMs: 0 });
    const run = startCli(['run', spec, '--storage', url, '--parallelism', '1']);
    await run.waitFor(/trial \d+ complete/);
    const stopped = startCli(['worker', '--storage', url, '--study', 'stall', '--slots', '1']);
    const third = startCli(['worker', '--storage', url, '--study', 'stall', '--slots', '1']);
    const done = /trial \d+ complete/;
    const during: number[] = [];
    try {
      await stopped.waitFor(done, 20);
      for (let i = 0; i < 5; i += 1) {
        await sleep(50 + 37 * i);
        stopped.child.kill('SIGSTOP');
        const before = run.count(done) + third.count(done);
        await sleep(1_500);
        during.push(run.count(done) + third.count(done) - before);
        stopped.child.kill('SIGCONT');
        await stopped.waitFor(done, stopped.count(done) + 5);
      }
    } finally {
      stopped.child.kill('SIGCONT');
      for (const cli of [run, stopped, third]) cli.child.kill('SIGINT');
    }
    const ends = await Promise.all([run.done, stopped.done, third.done]);
    for (const r of ends) assert.equal(r.code, 130, r.stderr.slice(-2000));
    assert.ok(during.every((n) => n > 0), `trials completed elsewhere during each stop: ${during.join(', ')}`);
    const { trials, integrity } = await readStudy(url);
    assert.equal(integrity, 'ok');
    assert.deepEqual(trials.map((t) => t.number), [...Array(trials.length).keys()], 'each number once');
  });
});

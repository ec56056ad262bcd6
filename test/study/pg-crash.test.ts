/**
 * `run` and a `worker` on one study while the PostgreSQL server crashes and restarts
 * (`pg_ctl restart -m immediate`) five times, on a cluster of the test's own. Every
 * process reconnects and goes on; the study ends with every trial complete, whole and
 * numbered once, and no finish or claim is lost (a lost one would wait out --stale-after).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../helpers.js';
import { pgSkip } from '../store/pg-helpers.js';
import { readStudy, sleepySpec, startCli } from './live-cli.js';
import { ownServerSkip, startOwnServer, type OwnServer } from './pg-server.js';

const skip = (await pgSkip()) || ownServerSkip();
const dir = tempDir('hpsearch-pgcrash-');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL: the server crashes mid-study', { skip }, () => {
  let server: OwnServer | undefined;
  before(async () => (server = await startOwnServer()));
  after(() => server?.stop());

  it('five crash restarts: no process exits, every trial complete and whole, numbers unique, nothing waits for staleness', async () => {
    const { url, crashRestart } = server!;
    const cap = 60;
    const spec = sleepySpec(dir, { name: 'crash', runCap: cap, epochs: 4, sleepMs: 60 });
    const started = Date.now();
    const run = startCli(['run', spec, '--storage', url, '--parallelism', '2']);
    await run.waitFor(/trial \d+ started/);
    const other = startCli(['worker', '--storage', url, '--study', 'crash', '--slots', '2']);
    try {
      for (let crashes = 0, seen = 4; crashes < 5; crashes += 1, seen += 5) {
        // Progress between crashes, so each one meets trials mid-flight.
        await run.waitFor(/trial \d+ started/, seen);
        await sleep(100 + 150 * crashes);
        crashRestart();
      }
    } catch (error) {
      for (const cli of [run, other]) cli.child.kill('SIGKILL');
      throw error;
    }
    const [a, b] = await Promise.all([run.done, other.done]);
    const seconds = (Date.now() - started) / 1000;
    for (const r of [a, b]) {
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /could not be stored|unexpected error|Cannot read/);
    }
    const { trials, integrity } = await readStudy(url);
    assert.equal(integrity, 'ok');
    assert.deepEqual(trials.map((t) => t.number), [...Array(cap).keys()], 'each number once');
    const broken = trials.filter((t) => t.state !== 'complete' || t.epochs.map((e) => e.epoch).join() !== '0,1,2,3');
    assert.deepEqual(broken.map((t) => `${t.number}:${t.state}:[${t.epochs.map((e) => e.epoch).join()}]`), []);
    // A lost finish or claim leaves its trial running until --stale-after (120 s) passes.
    assert.ok(seconds < 60, `the study took ${seconds.toFixed(1)} s`);
  });
});

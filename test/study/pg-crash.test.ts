/**
 * `run` and a `worker` on one study while the PostgreSQL server crashes and restarts
 * (`pg_ctl restart -m immediate`) five times, on a cluster of the test's own. Every
 * process reconnects and goes on; the study ends with every trial complete, whole and
 * numbered once, and no finish or claim is lost (a lost one would wait out --stale-after).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StorageError } from '../../src/core/errors.js';
import { PgStorage } from '../../src/store/pg.js';
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
    const cap = 40;
    const spec = sleepySpec(dir, { name: 'crash', runCap: cap, epochs: 4, sleepMs: 60 });
    const began = Date.now();
    const run = startCli(['run', spec, '--storage', url, '--parallelism', '2']);
    await run.waitFor(/trial \d+ started/);
    const other = startCli(['worker', '--storage', url, '--study', 'crash', '--slots', '2']);
    try {
      const started = /trial \d+ started/;
      for (let crashes = 0, seen = 4; crashes < 5; crashes += 1, seen += 5) {
        // Progress between crashes (in either process), so each one meets trials mid-flight.
        while (run.count(started) + other.count(started) < seen) {
          if (run.child.exitCode !== null) throw new Error(`run ended after ${crashes} crashes:\n${(await run.done).stderr}`);
          await sleep(50);
        }
        await sleep(100 + 150 * crashes);
        crashRestart();
      }
    } catch (error) {
      for (const cli of [run, other]) cli.child.kill('SIGKILL');
      throw error;
    }
    const [a, b] = await Promise.all([run.done, other.done]);
    const seconds = (Date.now() - began) / 1000;
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
    assert.ok(seconds < 100, `the study took ${seconds.toFixed(1)} s`);
  });

  it('an outage has one retry budget for every operation, said once when it starts and once when it ends', async () => {
    const { url, stop, start } = server!;
    const notices: string[] = [];
    const storage = await PgStorage.open(url, { retryMs: 1_500, notify: (line) => notices.push(line) });
    try {
      assert.deepEqual(await storage.listStudies().then((s) => s.length > 0), true);
      stop();
      const first = Date.now();
      await assert.rejects(storage.listStudies(), (e) => e instanceof StorageError && /could not be reached for \d+ s; gave up/.test(e.message));
      const firstMs = Date.now() - first;
      assert.ok(firstMs >= 1_000 && firstMs < 6_000, `the first operation gave up after ${firstMs} ms`);
      // The outage has used its budget: the next operation tries once, not for another 1.5 s.
      const second = Date.now();
      await assert.rejects(storage.getStudy('crash'), StorageError);
      assert.ok(Date.now() - second < 1_000, `the second operation gave up after ${Date.now() - second} ms`);
      start();
      assert.equal((await storage.getStudy('crash'))?.name, 'crash');
      assert.equal(notices.length, 2, notices.join('\n'));
      assert.match(notices[0]!, /^cannot reach postgresql:\/\/hpsearch:\*\*\*@127\.0\.0\.1:\d+\/postgres \(.*\): retrying for up to 2 s$/);
      assert.match(notices[1]!, /^postgresql:\/\/hpsearch:\*\*\*@.* is back after \d+\.\d s$/);
    } finally {
      await storage.close();
    }
  });
});

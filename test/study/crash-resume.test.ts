import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';
import { readStudy, sleepySpec, startCli, type StoredTrial } from './live-cli.js';

const FINISHED = new Set(['complete', 'pruned', 'diverged', 'failed']);

/** What must never change about a finished trial. */
function fingerprint(t: StoredTrial): string {
  return JSON.stringify([t.number, t.state, t.value, t.params, t.seed, t.attempt, t.finished, t.attrs, t.epochs]);
}

describe('a study that survives kill -9', () => {
  it('ends with exactly 20 finished trials, none repeated or changed, after three kills and resumes', async () => {
    const dir = tempDir();
    const db = join(dir, 'crash.db');
    // max_retries covers a trial that happens to be running at every kill.
    const spec = sleepySpec(dir, { runCap: 20, epochs: 6, sleepMs: 15, extra: 'parallelism: 2\nmax_retries: 5' });
    const finished = new Map<number, string>();
    let killedRunning = 0;
    for (let kill = 0; kill < 3; kill++) {
      const run = startCli(['run', spec, '--storage', db]);
      // A random moment: after 1–3 trials of this run finished, plus up to 40 ms.
      await run.waitFor(/^trial \d+ complete/, 1 + Math.floor(Math.random() * 3));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
      run.child.kill('SIGKILL');
      const ended = await run.done;
      assert.equal(ended.signal, 'SIGKILL', `run ${kill} ended on its own:\n${ended.stderr}`);
      const { trials, integrity } = await readStudy(db);
      assert.equal(integrity, 'ok');
      killedRunning += trials.filter((t) => t.state === 'running').length;
      for (const t of trials.filter((x) => FINISHED.has(x.state))) {
        const before = finished.get(t.number);
        if (before !== undefined) assert.equal(fingerprint(t), before, `trial ${t.number} changed after a resume`);
        finished.set(t.number, fingerprint(t));
      }
    }
    assert.ok(killedRunning > 0, 'some kill caught a trial running');

    const last = await runCli(['run', spec, '--storage', db]);
    assert.equal(last.code, 0, last.stderr);
    const { trials, integrity } = await readStudy(db);
    assert.equal(integrity, 'ok');
    assert.deepEqual(trials.map((t) => t.number), Array.from({ length: 20 }, (_, i) => i));
    assert.deepEqual(trials.filter((t) => t.state !== 'complete'), [], 'every trial completed');
    assert.equal(new Set(trials.map((t) => JSON.stringify(t.params))).size, 20, 'no parameters repeated');
    assert.ok(trials.some((t) => t.attempt > 1), 'the trials caught running were re-run');
    for (const t of trials) {
      assert.deepEqual(t.epochs.map((e) => e.epoch), [0, 1, 2, 3, 4, 5], `trial ${t.number} has one full curve`);
      const before = finished.get(t.number);
      if (before !== undefined) assert.equal(fingerprint(t), before, `trial ${t.number} changed after a resume`);
    }
  });
});

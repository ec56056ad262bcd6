import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';
import { unrulySpec } from '../pool/workers.js';
import { readStudy, sleepySpec, startCli } from '../study/live-cli.js';

/** Trials of `epochs` epochs of 10 ms on 2 slots; they end at the next epoch when asked to stop. */
function slowSpec(dir: string, runCap: number, epochs: number, extra = ''): string {
  return sleepySpec(dir, { runCap, epochs, sleepMs: 10, extra: `parallelism: 2\n${extra}` });
}

describe('signals', () => {
  it('one SIGINT stops the trials after the grace period and exits 130 with none left running; a resume completes', async () => {
    const dir = tempDir();
    const db = join(dir, 'sigint.db');
    // No retries: an interruption is not a crash, and does not use one up.
    const spec = slowSpec(dir, 2, 300, 'max_retries: 0');
    const run = startCli(['run', spec, '--storage', db, '--grace', '0']);
    await run.waitFor(/^trial \d+ started/, 2);
    run.child.kill('SIGINT');
    const ended = await run.done;
    assert.equal(ended.code, 130, ended.stderr);
    assert.match(ended.stderr, /SIGINT: launching nothing new; running trials get 0 s to finish, then are asked to stop and are ended within 0.5 s in all/);
    assert.match(ended.stderr, /rerun the same command to resume/);
    const stopped = await readStudy(db);
    assert.deepEqual(stopped.trials.filter((t) => t.state === 'running'), []);
    assert.deepEqual(stopped.trials.map((t) => t.state), ['interrupted', 'interrupted'], 'the running trials were stopped');
    assert.equal(stopped.integrity, 'ok');

    const resume = await runCli(['run', spec, '--storage', db]);
    assert.equal(resume.code, 0, resume.stderr);
    const { trials } = await readStudy(db);
    assert.deepEqual(trials.map((t) => [t.number, t.state, t.attempt]), [[0, 'complete', 2], [1, 'complete', 2]]);
  });

  it('lets running trials finish within the grace period, and launches nothing new', async () => {
    const dir = tempDir();
    const db = join(dir, 'grace.db');
    const run = startCli(['run', slowSpec(dir, 6, 100), '--storage', db, '--grace', '30']);
    await run.waitFor(/^trial \d+ started/, 2);
    run.child.kill('SIGINT');
    const ended = await run.done;
    assert.equal(ended.code, 130, ended.stderr);
    const { trials } = await readStudy(db);
    assert.deepEqual(trials.map((t) => [t.number, t.state]), [[0, 'complete'], [1, 'complete']]);
  });

  it('kills a trial that ignores the stop message; it ends interrupted', async () => {
    const dir = tempDir();
    const db = join(dir, 'hang.db');
    const spec = unrulySpec(dir, { pool: 'thread', modes: ['hang'], extra: 'parallelism: 1' });
    const run = startCli(['run', spec, '--storage', db, '--grace', '0']);
    // Asked before its first report, the trial would stop cleanly at that report: wait for the loop.
    await run.waitFor(/unruly: hang from now on/);
    run.child.kill('SIGINT');
    const ended = await run.done;
    assert.equal(ended.code, 130, ended.stderr);
    const [trial] = (await readStudy(db)).trials;
    assert.equal(trial?.state, 'interrupted');
    assert.match(trial.error ?? '', /did not stop within 0\.5 s of being asked/);
  });

  it('a second SIGINT stops the running trials at once', async () => {
    const dir = tempDir();
    const db = join(dir, 'twice.db');
    const run = startCli(['run', slowSpec(dir, 4, 1000), '--storage', db, '--grace', '60']);
    await run.waitFor(/^trial \d+ started/, 2);
    run.child.kill('SIGINT');
    await run.waitFor(/SIGINT: launching nothing new/);
    run.child.kill('SIGINT');
    const ended = await run.done;
    assert.equal(ended.code, 130, ended.stderr);
    const { trials, integrity } = await readStudy(db);
    assert.equal(integrity, 'ok');
    assert.deepEqual(trials.map((t) => t.state), ['interrupted', 'interrupted']);
    assert.ok(trials.every((t) => /killed by a second signal/.test(t.error ?? '')));
  });

  it('SIGTERM exits 143', async () => {
    const dir = tempDir();
    const db = join(dir, 'sigterm.db');
    const run = startCli(['run', slowSpec(dir, 4, 300), '--storage', db, '--grace', '0']);
    await run.waitFor(/^trial \d+ started/);
    run.child.kill('SIGTERM');
    const ended = await run.done;
    assert.equal(ended.code, 143, ended.stderr);
    assert.deepEqual((await readStudy(db)).trials.filter((t) => t.state === 'running'), []);
  });
});

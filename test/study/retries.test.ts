import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';
import { readStudy, sleepySpec, startCli } from './live-cli.js';

describe('max_retries counts deaths, not interruptions', () => {
  it('with max_retries 1, a Ctrl-C then one dead worker leaves the trial to re-run, and it completes', async () => {
    const dir = tempDir();
    const db = join(dir, 'retries.db');
    const spec = sleepySpec(dir, { runCap: 1, epochs: 150, sleepMs: 10, extra: 'parallelism: 1\nmax_retries: 1' });

    const first = startCli(['run', spec, '--storage', db, '--grace', '0']);
    await first.waitFor(/^trial 0 started/);
    first.child.kill('SIGINT');
    assert.equal((await first.done).code, 130);

    const second = startCli(['run', spec, '--storage', db]);
    await second.waitFor(/^trial 0 started/);
    second.child.kill('SIGKILL'); // the worker (this whole run) dies
    await second.done;
    const dead = (await readStudy(db)).trials[0];
    assert.deepEqual([dead?.state, dead?.attempt], ['running', 2]);

    const third = await runCli(['run', spec, '--storage', db]);
    assert.equal(third.code, 0, third.stderr);
    const [trial] = (await readStudy(db)).trials;
    assert.equal(trial?.state, 'complete', trial?.error ?? '');
    assert.equal(trial.attempt, 3);
    assert.equal(trial.attrs['interruptions'], 1);
  });
});

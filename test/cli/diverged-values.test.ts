import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStorage } from '../../src/store/open.js';
import { fixturesDir, runCli, tempDir, type TrialJson } from '../helpers.js';
import { newStudy, studyWithTrials } from '../store/fixtures.js';

describe('diverged and failed trials have no value', () => {
  it('in the finish line, the tables and JSON; their last finite figure is named as such', async () => {
    const db = join(tempDir(), 'flaky.db');
    const run = await runCli(['run', join(fixturesDir, 'cli', 'flaky.yaml'), '--storage', db]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^trial 3 diverged \(\d+\.\d s\): train_loss became NaN at epoch 1: .* \(last finite val_accuracy=0\.1\)$/m);
    assert.doesNotMatch(run.stderr, /diverged: val_accuracy=/);
    const trials = JSON.parse((await runCli(['trials', '--storage', db, '--json'])).stdout) as TrialJson[];
    for (const t of trials.filter((x) => x.state === 'diverged' || x.state === 'failed')) assert.equal(t.value, null, `trial ${t.number}`);
    assert.deepEqual(trials.find((t) => t.number === 3)?.attrs['last_finite'], { val_accuracy: 0.1 });
    const table = await runCli(['trials', '--storage', db, '--state', 'diverged', '--csv']);
    assert.match(table.stdout, /^3,diverged,,nan_loss,.*last finite val_accuracy=0\.1/m);
  });

  it('and sort last by value, even one stored as Infinity by an older version', async () => {
    const db = join(tempDir(), 'old.db');
    const storage = await openStorage(db);
    const study = await studyWithTrials(storage, 3, 'old');
    await storage.finishTrial(study.id, 0, { state: 'complete', value: 0.5, error: null });
    await storage.finishTrial(study.id, 1, { state: 'diverged', value: -Infinity, error: 'loss is not finite' });
    await storage.finishTrial(study.id, 2, { state: 'complete', value: 0.2, error: null });
    await storage.close();
    assert.equal(newStudy('x').direction, 'minimize', 'the fixture study minimizes: -Infinity would rank first');
    const res = await runCli(['trials', '--storage', db, '--sort', 'value', '--json']);
    assert.equal(res.code, 0, res.stderr);
    const sorted = JSON.parse(res.stdout) as TrialJson[];
    assert.deepEqual(sorted.map((t) => [t.number, t.value]), [[2, 0.2], [0, 0.5], [1, null]]);
  });
});

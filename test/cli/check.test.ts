import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fixturesDir, runCli, tempDir } from '../helpers.js';

describe('hpsearch check (CI gate) and diagnose', () => {
  const db = join(tempDir(), 'gate.db');
  before(async () => {
    const run = await runCli(['run', join(fixturesDir, 'cli', 'bowl.yaml'), '--storage', db, '--run-cap', '12', '--quiet']);
    assert.equal(run.code, 0, run.stderr);
  });

  it('exits 0 when the best trial meets every requirement', async () => {
    const res = await runCli(['check', '--storage', db, '--require', 'val_accuracy>=0.5', '--require', 'val_loss<0.5']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /check passed/);
  });

  it('exits 1 and names the failed requirement otherwise', async () => {
    const res = await runCli(['check', '--storage', db, '--require', 'val_accuracy>=0.5', '--require', 'val_accuracy>=1.5']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /FAIL val_accuracy>=1\.5/);
    assert.doesNotMatch(res.stderr, /FAIL val_accuracy>=0\.5/);
  });

  it('reports results as JSON, and fails a metric the trial never recorded', async () => {
    const res = await runCli(['check', '--storage', db, '--json', '--require', 'test_accuracy>=0.1']);
    assert.equal(res.code, 1);
    const body = JSON.parse(res.stdout) as { passed: boolean; requirements: { actual: number | null; passed: boolean }[] };
    assert.equal(body.passed, false);
    assert.equal(body.requirements[0]?.actual, null);
  });

  it('exits 2 on a malformed requirement and 3 on an unknown study', async () => {
    assert.equal((await runCli(['check', '--storage', db, '--require', 'val_accuracy=>0.5'])).code, 2);
    assert.equal((await runCli(['check', '--storage', db])).code, 2);
    assert.equal((await runCli(['check', '--storage', db, '--study', 'nope', '--require', 'val_accuracy>0'])).code, 3);
  });

  it('diagnoses the study and one trial (JSON and text with a loss chart)', async () => {
    const study = await runCli(['diagnose', '--storage', db, '--json']);
    assert.equal(study.code, 0, study.stderr);
    const body = JSON.parse(study.stdout) as { counts: Record<string, number>; trials: { verdict: string }[] };
    assert.equal(body.trials.length, 12);
    assert.equal(Object.values(body.counts).reduce((a, b) => a + b, 0), 12);
    const one = await runCli(['diagnose', '3', '--storage', db]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^trial 3: /);
    assert.match(one.stdout, /hint: /);
    assert.match(one.stdout, /loss by epoch/);
    const trials = JSON.parse((await runCli(['trials', '--storage', db, '--json'])).stdout) as { attrs: { verdict?: { verdict: string } } }[];
    assert.ok(trials.every((t) => typeof t.attrs.verdict?.verdict === 'string'), 'each trial stores its verdict when it ends');
  });
});

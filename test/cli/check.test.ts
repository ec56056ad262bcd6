import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fixturesDir, repoRoot, runCli, tempDir } from '../helpers.js';

describe('hpsearch check (CI gate) and diagnose', () => {
  const db = join(tempDir(), 'gate.db');
  before(async () => {
    const run = await runCli(['run', join(fixturesDir, 'cli', 'bowl.yaml'), '--storage', db, '--run-cap', '12', '--quiet']);
    assert.equal(run.code, 0, run.stderr);
  });

  it('exits 0 when the best trial meets every requirement', async () => {
    const res = await runCli(['check', '--storage', db, '--require', 'val_accuracy>=0.5', '--require', 'val_loss<0.5']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /check passed/);
  });

  it('exits 1 and names the failed requirement otherwise', async () => {
    const res = await runCli(['check', '--storage', db, '--require', 'val_accuracy>=0.5', '--require', 'val_accuracy>=1.5']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /FAIL val_accuracy>=1\.5/);
    assert.doesNotMatch(res.stderr, /FAIL val_accuracy>=0\.5/);
  });

  it('reports results as JSON', async () => {
    const res = await runCli(['check', '--storage', db, '--json', '--require', 'val_accuracy>=0.1', '--require', 'val_loss<0.01']);
    assert.equal(res.code, 1);
    const body = JSON.parse(res.stdout) as { passed: boolean; requirements: { actual: number | null; passed: boolean }[] };
    assert.equal(body.passed, false);
    assert.deepEqual(body.requirements.map((r) => r.passed), [true, false]);
  });

  it('treats a metric the trial never recorded as a usage error (exit 2), listing the known ones', async () => {
    const res = await runCli(['check', '--storage', db, '--require', 'val_acc>=0.1']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /names no metric the best trial recorded: `val_acc`; did you mean `val_accuracy`\? \(known: val_accuracy, /);
    const field = await runCli(['check', '--storage', db, '--require', 'score_extr>=1']);
    assert.equal(field.code, 2);
    assert.match(field.stderr, /`score_extr`; did you mean `score_extra`\?/);
  });

  it('run --require: a misspelled metric is refused before anything starts (exit 2, no database)', async () => {
    const dir = tempDir();
    const tfjs = await runCli(['run', join(repoRoot, 'configs', 'spirals.yaml'), '--storage', join(dir, 't.db'), '--require', 'val_acuracy>=0.9']);
    assert.equal(tfjs.code, 2, tfjs.stderr);
    assert.match(tfjs.stderr, /--require names no metric the tfjs trainer reports: `val_acuracy`; did you mean `val_accuracy`\?/);
    const bowl = join(fixturesDir, 'cli', 'bowl.yaml');
    const module = await runCli(['run', bowl, '--storage', join(dir, 'm.db'), '--require', 'val_acuracy>=0.9']);
    assert.equal(module.code, 2, module.stderr);
    assert.match(module.stderr, /names no metric the spec names: `val_acuracy`; did you mean `val_accuracy`\?/);
    assert.deepEqual(readdirSync(dir), [], 'nothing is created');
    // A module's objective may report any name: one that is no near miss is checked after the run.
    const other = await runCli(['run', bowl, '--storage', join(dir, 'm.db'), '--run-cap', '1', '--quiet', '--require', 'train_accuracy>=0']);
    assert.equal(other.code, 2, other.stderr);
    assert.match(other.stderr, /names no metric the best trial recorded: `train_accuracy`/);
  });

  it('exits 2 on a malformed requirement and 3 on an unknown study', async () => {
    assert.equal((await runCli(['check', '--storage', db, '--require', 'val_accuracy=>0.5'])).code, 2);
    assert.equal((await runCli(['check', '--storage', db])).code, 2);
    assert.equal((await runCli(['check', '--storage', db, '--study', 'nope', '--require', 'val_accuracy>0'])).code, 3);
  });

  it('diagnoses the study and one trial (JSON and text with a loss chart)', async () => {
    const study = await runCli(['diagnose', '--storage', db, '--json', '--all']);
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
    assert.ok(trials.every((t) => typeof t.attrs.verdict?.verdict === 'string'), 'each trial has a verdict');
    assert.deepEqual(
      trials.map((t) => t.attrs.verdict?.verdict),
      body.trials.map((t) => t.verdict),
      'trials and diagnose judge every trial against the same study',
    );
  });

  it('diagnose of a study lists the best 10 complete trials unless --all, and says so', async () => {
    const best = JSON.parse((await runCli(['best', '--storage', db, '--top', '10', '--json'])).stdout) as { number: number }[];
    const summary = await runCli(['diagnose', '--storage', db, '--json']);
    const body = JSON.parse(summary.stdout) as { total: number; counts: Record<string, number>; trials: { number: number }[] };
    assert.equal(body.total, 12);
    assert.equal(Object.values(body.counts).reduce((a, b) => a + b, 0), 12, 'the counts cover every trial');
    assert.deepEqual(body.trials.map((t) => t.number), best.map((t) => t.number), 'the listed trials are the best, best first');
    const text = await runCli(['diagnose', '--storage', db]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /\(10 of 12 trials listed: .*hpsearch diagnose --all lists every trial\)/);
    const rows = (out: string): number => out.split('\n').filter((l) => /^│ \d+ /.test(l)).length;
    assert.equal(rows(text.stdout), 10);
    const all = await runCli(['diagnose', '--storage', db, '--all']);
    assert.equal(rows(all.stdout), 12);
    assert.doesNotMatch(all.stdout, /trials listed/);
  });
});

describe('hpsearch run --require and preflight', () => {
  it('exits 0 when the run meets its requirements and 1 when it does not', async () => {
    const dir = tempDir();
    const spec = join(fixturesDir, 'cli', 'bowl.yaml');
    const ok = await runCli(['run', spec, '--storage', join(dir, 'a.db'), '--run-cap', '6', '--require', 'val_accuracy>=0.3', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as { ran: number }).ran, 6, 'stdout stays pure JSON');
    const bad = await runCli(['run', spec, '--storage', join(dir, 'b.db'), '--run-cap', '3', '--require', 'val_accuracy>=2']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /FAIL val_accuracy>=2/);
  });

  it('stops a tfjs run whose preflight fails before any trial, unless --no-preflight', async () => {
    const dir = tempDir();
    const spec = join(dir, 'spec.yaml');
    const data = 'data: { source: synthetic, kind: blobs, classes: 3, points: 60 }';
    writeFileSync(spec, `name: pf\nmethod: random\nrun_cap: 1\n${data}\ntrain: { epochs: 1, init: zeros }\nparameters:\n  learning_rate: { value: 0.01 }\n`);
    const stopped = await runCli(['run', spec, '--storage', join(dir, 'pf.db')]);
    assert.equal(stopped.code, 1, stopped.stderr);
    assert.match(stopped.stderr, /FAIL regularization: /);
    assert.equal(existsSync(join(dir, 'pf.db')), false, 'no trial ran, no database was made');
    const forced = await runCli(['run', spec, '--storage', join(dir, 'pf.db'), '--no-preflight']);
    assert.match(forced.stderr, /trial 0 started/, 'without preflight the trials run');
    assert.equal(existsSync(join(dir, 'pf.db')), true);
  });
});

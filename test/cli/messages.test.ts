import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { table, wrap } from '../../src/cli/output.js';
import { fixturesDir, runCli, tempDir } from '../helpers.js';

function c2fSpec(dir: string): string {
  const spec = join(dir, 'c2f.yaml');
  writeFileSync(
    spec,
    `name: c2f
method: coarse-to-fine
parallelism: 2
trainer: module
module: ${join(fixturesDir, 'objectives', 'bowl.js')}
parameters:
  learning_rate: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1 }
  beta1: { distribution: one_minus_log_uniform_values, min: 0.9, max: 0.999 }
stages:
  - trials: 4
  - { trials: 2, top_k: 2, margin: 0.1 }
`,
  );
  return spec;
}

describe('messages that agree with each other', () => {
  it("announces each coarse-to-fine stage once; validate shows the stage plan and show a trial's stage ranges", async () => {
    const dir = tempDir();
    const spec = c2fSpec(dir);
    const plan = await runCli(['validate', spec]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /^ {2}stage 0: trials 0–3, over the ranges above$/m);
    assert.match(plan.stdout, /^ {2}stage 1: trials 4–5, in the box of the best 2 trials before it, widened by 0\.1 of its width on each side/m);
    const run = await runCli(['run', spec, '--storage', join(dir, 'c2f.db')]);
    assert.equal(run.code, 0, run.stderr);
    for (const stage of [0, 1]) {
      const lines = run.stderr.split('\n').filter((l) => l.startsWith(`stage ${stage} decided`));
      assert.equal(lines.length, 1, `stage ${stage} once in:\n${run.stderr}`);
      assert.match(lines[0] ?? '', /\(hpsearch studies shows its ranges\)$/);
    }
    const show = await runCli(['show', '5', '--storage', join(dir, 'c2f.db')]);
    assert.match(show.stdout, /^c2f stage 1 \(trials 4–5, fitted to trials \d+, \d+\): learning_rate \S+…\S+; beta1 /m, 'show gives the trial its stage ranges');
  });

  it('studies takes --study; diagnose prints CSV like the other queries', async () => {
    const dir = tempDir();
    const db = join(dir, 'flaky.db');
    assert.equal((await runCli(['run', join(fixturesDir, 'cli', 'flaky.yaml'), '--storage', db])).code, 0);
    const one = await runCli(['studies', '--storage', db, '--study', 'flaky', '--json']);
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual((JSON.parse(one.stdout) as { name: string }[]).map((s) => s.name), ['flaky']);
    const none = await runCli(['studies', '--storage', db, '--study', 'nope']);
    assert.equal(none.code, 3);
    assert.match(none.stderr, /no study named 'nope' \(studies: flaky\)/);
    const res = await runCli(['diagnose', '--storage', db, '--csv']);
    assert.equal(res.code, 0, res.stderr);
    const rows = parse<Record<string, string>>(res.stdout, { columns: true });
    assert.equal(rows.length, 6);
    assert.deepEqual(Object.keys(rows[0] ?? {}), ['trial', 'state', 'val_accuracy', 'verdict', 'also', 'summary', 'hint']);
    const diverged = rows.find((r) => r['trial'] === '3');
    assert.equal(diverged?.['verdict'], 'diverged');
    assert.equal(diverged?.['val_accuracy'], '', 'a diverged trial has no value');
  });

  it('wraps long table cells onto a few lines, then cuts them with an ellipsis', () => {
    const reason = 'early stopping: val_loss has not improved for 5 epochs (best val_loss 0.0937 at epoch 8, epochs counted from 0)';
    const wrapped = wrap(reason, 60, 4);
    assert.ok(wrapped.split('\n').every((l) => l.length <= 60), wrapped);
    assert.equal(wrapped.replaceAll('\n', ' '), reason, 'a cell that fits four lines loses nothing');
    const long = wrap('x'.repeat(4000), 60, 4).split('\n');
    assert.equal(long.length, 4);
    assert.ok(long.every((l) => l.length <= 60));
    assert.equal(long[3], `${'x'.repeat(59)}…`);
  });

  it('lays out a table of 4000-character cells at once, compact (a rule under the head only)', () => {
    const started = Date.now();
    const text = table(['a', 'b'], [['y'.repeat(4000), 'z '.repeat(2000)], [1, 2], [3, 4]]);
    assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    const lines = text.split('\n');
    assert.ok(lines.every((l) => l.length <= 2 * 60 + 7), 'cells are cut');
    assert.equal(lines.filter((l) => l.startsWith('├')).length, 1, text);
    assert.equal(lines.length, 1 + 1 + 1 + 4 + 2 + 1);
  });
});

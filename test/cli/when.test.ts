// Conditional parameters end to end: an inactive parameter is absent from storage and outputs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { fixturesDir, runCli, tempDir, type TrialJson } from '../helpers.js';

const spec = join(fixturesDir, 'cli', 'when.yaml');

describe('when: (conditional parameters)', () => {
  it('validate prints the conditions', async () => {
    const res = await runCli(['validate', spec]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /beta1: .* when optimizer ∈ \{momentum, adam\}/);
  });

  it('leaves beta1 out of sgd trials: not given to the trainer, not stored, not shown', async () => {
    const db = join(tempDir(), 'when.db');
    const run = await runCli(['run', spec, '--storage', db]);
    assert.equal(run.code, 0, run.stderr);
    const trials = JSON.parse((await runCli(['trials', '--storage', db, '--json'])).stdout) as TrialJson[];
    assert.equal(trials.length, 12);
    const sgd = trials.filter((t) => t.params['optimizer'] === 'sgd');
    const other = trials.filter((t) => t.params['optimizer'] !== 'sgd');
    assert.ok(sgd.length > 0 && other.length > 0, 'both kinds of trial ran');
    assert.ok(trials.every((t) => t.state === 'complete'));
    for (const t of sgd) assert.ok(!('beta1' in t.params), `trial ${t.number} shows beta1`);
    for (const t of other) assert.equal(typeof t.params['beta1'], 'number');
    const first = sgd[0] as TrialJson;
    const show = JSON.parse((await runCli(['show', String(first.number), '--storage', db, '--json'])).stdout) as TrialJson & { epochs: { metrics: Record<string, number> }[] };
    assert.ok(!('beta1' in show.params));
    assert.equal(show.epochs[0]?.metrics['given_b1'], 0, 'the trainer was not given beta1');
    const text = (await runCli(['show', String(first.number), '--storage', db])).stdout;
    assert.doesNotMatch(text, /beta1/);
    const listed = (await runCli(['trials', '--storage', db])).stdout.split('\n');
    const row = listed.find((l) => new RegExp(`^│ ${first.number} +│`).test(l)) ?? '';
    assert.match(row, /│ sgd +│/);
    assert.match(row, /│ inactive +│/, 'beta1 of an sgd trial shows as inactive');
    const sqlite = new Database(db, { readonly: true });
    const rows = sqlite
      .prepare("SELECT t.number FROM trial_params p JOIN trials t ON t.id = p.trial_id WHERE p.name = 'beta1' ORDER BY t.number")
      .all() as { number: number }[];
    sqlite.close();
    assert.deepEqual(rows.map((r) => r.number), other.map((t) => t.number));
  });

  it('repeats a TPE study exactly with one slot (same seed, spec and order of finished trials)', async () => {
    const dir = tempDir();
    const params = async (db: string): Promise<TrialJson['params'][]> => {
      const run = await runCli(['run', spec, '--storage', db, '--parallelism', '1']);
      assert.equal(run.code, 0, run.stderr);
      return (JSON.parse((await runCli(['trials', '--storage', db, '--json'])).stdout) as TrialJson[]).map((t) => t.params);
    };
    const first = await params(join(dir, 'a.db'));
    assert.deepEqual(await params(join(dir, 'b.db')), first);
    assert.equal(new Set(first.map((p) => JSON.stringify(p))).size, first.length, 'no two trials drew the same parameters');
  });
});

// Pruning end to end: the real CLI runs a study with the median rule and every output says why.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { fixturesDir, runCli, tempDir, type TrialJson } from '../helpers.js';

describe('early_terminate: median (module trainer, end to end)', () => {
  it('prunes worse-than-median trials with their reasons in trials, show and diagnose', async () => {
    const db = join(tempDir(), 'median.db');
    const run = await runCli(['run', join(fixturesDir, 'cli', 'bowl-median.yaml'), '--storage', db]);
    assert.equal(run.code, 0, run.stderr);
    const trials = JSON.parse((await runCli(['trials', '--storage', db, '--json'])).stdout) as TrialJson[];
    assert.equal(trials.length, 16, 'pruned trials count toward run_cap');
    const pruned = trials.filter((t) => t.state === 'pruned');
    assert.ok(pruned.length >= 3, `only ${pruned.length} trials pruned`);
    for (const t of pruned) {
      assert.match(t.error ?? '', /^median rule, epoch \d: val_accuracy [\d.]+ < median [\d.]+ of \d+ trials$/);
      assert.ok(t.number >= 3, 'no trial is pruned before 3 have completed');
    }
    const first = pruned[0] as TrialJson;
    const show = await runCli(['show', String(first.number), '--storage', db]);
    assert.match(show.stdout, /pruned/);
    assert.ok(show.stdout.includes(`reason: ${first.error ?? ''}`), show.stdout);
    const table = await runCli(['trials', '--storage', db, '--state', 'pruned']);
    assert.match(table.stdout, /median rule, epoch/);
    const diagnose = await runCli(['diagnose', '--storage', db]);
    assert.equal(diagnose.code, 0, diagnose.stderr);
    assert.match(diagnose.stdout, new RegExp(`pruning: ${pruned.length} trials pruned, \\d+ epochs saved \\(\\d+ % of the 80 planned\\)`));
    const json = JSON.parse((await runCli(['diagnose', '--storage', db, '--json'])).stdout) as { pruning: { pruned: number; saved: number } };
    assert.equal(json.pruning.pruned, pruned.length);
    const sqlite = new Database(db, { readonly: true });
    const trained = sqlite.prepare("SELECT count(*) AS n FROM trial_epochs e JOIN trials t ON t.id = e.trial_id WHERE t.state = 'pruned'").get() as { n: number };
    sqlite.close();
    assert.equal(json.pruning.saved, 5 * pruned.length - trained.n, 'saved = planned − trained epochs of the pruned trials');
    assert.ok(json.pruning.saved > 0);
    const best = JSON.parse((await runCli(['best', '--storage', db, '--json', '--top', '20'])).stdout) as TrialJson[];
    assert.ok(best.every((t) => t.state === 'complete'), 'best ranks complete trials only');
  });

  it('stops trials with hyperband in the W&B spelling', async () => {
    const dir = tempDir();
    const spec = join(dir, 'hb.yaml');
    const { readFileSync, writeFileSync } = await import('node:fs');
    const text = readFileSync(join(fixturesDir, 'cli', 'bowl-median.yaml'), 'utf8')
      .replace('name: bowl-median', 'name: bowl-hyperband')
      .replace('../objectives/sleepy.js', join(fixturesDir, 'objectives', 'sleepy.js'))
      .replace(/early_terminate: .*/, 'early_terminate: { type: hyperband, min_iter: 1, max_iter: 5, eta: 2, s: 2 }');
    writeFileSync(spec, text);
    const run = await runCli(['run', spec, '--storage', join(dir, 'hb.db')]);
    assert.equal(run.code, 0, run.stderr);
    const trials = JSON.parse((await runCli(['trials', '--storage', join(dir, 'hb.db'), '--json'])).stdout) as TrialJson[];
    const pruned = trials.filter((t) => t.state === 'pruned');
    assert.ok(pruned.length > 0, 'hyperband stopped nothing');
    for (const t of pruned) assert.match(t.error ?? '', /^hyperband bracket \d, epoch \d \(rung \d, \d epochs\): val_accuracy/);
  });
});

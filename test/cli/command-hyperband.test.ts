// Hyperband in a W&B sweep file run by trainer: command really stops trials (W&B users
// report hyperband that silently stops nothing).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixturesDir, runCli, type ShowJson, tempDir, type TrialJson } from '../helpers.js';

describe('early_terminate: { type: hyperband, min_iter, eta } in a W&B sweep file', () => {
  it('stops the weak scripts at a rung, says why, and lets the best finish', async () => {
    const db = join(tempDir(), 'hyperband.db');
    const run = await runCli(['run', join(fixturesDir, 'command', 'sweep-hyperband.yaml'), '--storage', db, '--parallelism', '1'], { timeoutMs: 60_000 });
    assert.equal(run.code, 0, run.stderr);
    const trials = JSON.parse((await runCli(['trials', '--storage', db, '--json'])).stdout) as TrialJson[];
    assert.equal(trials.length, 8);
    const pruned = trials.filter((t) => t.state === 'pruned');
    assert.ok(pruned.length >= 2, `pruned: ${pruned.length} of ${trials.length}`);
    for (const t of pruned) {
      assert.match(t.error ?? '', /^hyperband bracket \d+, epoch \d+ \(rung \d+, \d+ epochs\): val_accuracy [\d.]+ is not in the top/);
      const show = JSON.parse((await runCli(['show', String(t.number), '--storage', db, '--json'])).stdout) as ShowJson;
      assert.ok(show.epochs.length < 9, `trial ${t.number} trained all ${show.epochs.length} epochs`);
    }
    const best = trials.find((t) => t.params['lr'] === 0.01);
    assert.equal(best?.state, 'complete', 'the best learning rate was stopped');
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, runCli, tempDir, type TrialJson } from '../helpers.js';
import { noBlas, noNativeBackend } from '../train/helpers.js';

describe('hpsearch run with the TensorFlow.js trainer (end to end)', () => {
  it('trains the shipped mnist example to ≥ 0.95 validation accuracy, on blas or wasm, saying which backend runs', async () => {
    const db = join(tempDir(), 'mnist.db');
    const run = await runCli(['run', join(repoRoot, 'configs', 'mnist-mlp.yaml'), '--storage', db], { timeoutMs: 240_000 });
    assert.equal(run.code, 0, run.stderr);
    // backend: auto — blas where OpenBLAS is installed, else wasm, unless a native package is installed here.
    const fallback = noBlas() === false ? 'blas' : 'wasm';
    const expected = noNativeBackend() ? new RegExp(`^${fallback}$`) : /^tfjs-node/;
    if (noNativeBackend()) assert.match(run.stderr, new RegExp(`backend ${fallback}\\b.*tfjs-node not installed`), 'the fallback is visible');
    const best = JSON.parse((await runCli(['best', '--storage', db, '--json'])).stdout) as TrialJson[];
    const [top] = best;
    assert.ok(top !== undefined && top.value !== null && top.value >= 0.95, `val_accuracy ${top?.value}`);
    assert.match(String(top.attrs['backend']), expected);
    assert.equal(typeof top.attrs['test_accuracy'], 'number');
  });

  it('runs the shipped spirals search on parallel slots', async () => {
    const dir = tempDir();
    const run = await runCli(['run', join(repoRoot, 'configs', 'spirals.yaml'), '--storage', join(dir, 's.db'), '--run-cap', '4', '--json'], {
      timeoutMs: 240_000,
    });
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { counts: Record<string, number>; best: TrialJson | null };
    assert.equal((summary.counts['complete'] ?? 0) + (summary.counts['diverged'] ?? 0), 4);
    // What the example's comment says: one of the first four trials reaches 0.97.
    assert.ok(summary.best !== null && (summary.best.value ?? 0) >= 0.97, `best val_accuracy ${summary.best?.value}`);
  });

  it('ends α = 10 as diverged within its first epoch, with the reason', async () => {
    const dir = tempDir();
    const spec = join(dir, 'hot.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      spec,
      'name: hot\nmethod: random\nrun_cap: 1\ndata: { source: synthetic, kind: blobs, classes: 3, points: 300 }\ntrain: { epochs: 5, learning_rate: 10, optimizer: adam }\n',
    );
    const run = await runCli(['run', spec, '--storage', join(dir, 'hot.db'), '--no-preflight']);
    assert.equal(run.code, 1, 'no trial completed');
    const [trial] = JSON.parse((await runCli(['trials', '--storage', join(dir, 'hot.db'), '--json'])).stdout) as (TrialJson & { error: string })[];
    assert.equal(trial?.state, 'diverged');
    assert.match(trial?.error ?? '', /loss/);
    const show = JSON.parse((await runCli(['show', '0', '--storage', join(dir, 'hot.db'), '--json'])).stdout) as { epochs: unknown[] };
    assert.ok(show.epochs.length <= 1, `diverged after ${show.epochs.length} epochs`);
  });
});

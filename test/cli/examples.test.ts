// The examples in configs/ run as shipped (shortened with --run-cap) and reach the figure
// their comments state.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, runCli, tempDir, type TrialJson } from '../helpers.js';

interface Summary {
  counts: Record<string, number>;
  best: TrialJson | null;
}

/** Runs configs/<name>.yaml for `trials` trials; returns the summary and the trials. */
async function runExample(name: string, trials: number, env: Record<string, string> = {}): Promise<{ summary: Summary; trials: TrialJson[] }> {
  const db = join(tempDir(), `${name}.db`);
  const run = await runCli(['run', join(repoRoot, 'configs', `${name}.yaml`), '--storage', db, '--run-cap', String(trials), '--json'], {
    env,
    timeoutMs: 180_000,
  });
  assert.equal(run.code, 0, run.stderr);
  const listed = JSON.parse((await runCli(['trials', '--storage', db, '--json'])).stdout) as TrialJson[];
  assert.equal(listed.length, trials);
  return { summary: JSON.parse(run.stdout) as Summary, trials: listed };
}

function bestAtLeast(summary: Summary, figure: number): void {
  const value = summary.best?.value ?? null;
  assert.ok(value !== null && value >= figure, `best val_accuracy ${value}, the comment says about ${figure}`);
}

/** A python3 with torch, from HPSEARCH_TEST_TORCH_PYTHON or /usr/bin/python3; null when none. */
function torchPython(): string | null {
  const python = process.env['HPSEARCH_TEST_TORCH_PYTHON'] ?? '/usr/bin/python3';
  return spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0 ? python : null;
}

describe('the examples in configs/', () => {
  it('tpe-hyperband.yaml: hyperband stops weak trials at a rung; one of the first five reaches 0.97', async () => {
    const { summary, trials } = await runExample('tpe-hyperband', 5);
    const pruned = trials.filter((t) => t.state === 'pruned');
    assert.ok(pruned.length >= 1, 'hyperband stopped nothing');
    for (const t of pruned) assert.match(t.error ?? '', /^hyperband bracket \d+, epoch \d+ \(rung \d+/);
    bestAtLeast(summary, 0.97);
  });

  it('csv-own-data.yaml: trains on the shipped CSV; one of the first three reaches 0.96', async () => {
    const { summary, trials } = await runExample('csv-own-data', 3);
    assert.ok(trials.every((t) => t.state === 'complete'));
    bestAtLeast(summary, 0.96);
  });

  it('tfjs-module.yaml: a tfjs loop of its own as a module objective; one of the first two reaches 0.96', async () => {
    const { summary } = await runExample('tfjs-module', 2);
    bestAtLeast(summary, 0.96);
  });

  it('pytorch-sweep.yaml: the W&B sweep file runs the PyTorch script; one of the first three reaches 0.98', async (t) => {
    const python = torchPython();
    if (python === null) {
      t.skip('PyTorch (torch) is not installed for /usr/bin/python3: set HPSEARCH_TEST_TORCH_PYTHON to a python3 that has it');
      return;
    }
    // `${interpreter}` is python3 on PATH: this one.
    const bin = join(tempDir(), 'bin');
    mkdirSync(bin);
    symlinkSync(python, join(bin, 'python3'));
    const { summary, trials } = await runExample('pytorch-sweep', 3, { PATH: `${bin}:${process.env['PATH'] ?? ''}` });
    assert.deepEqual(trials.filter((trial) => trial.state === 'failed').map((trial) => trial.error), []);
    bestAtLeast(summary, 0.98);
  });
});

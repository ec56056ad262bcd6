// A pruned trial stops at the epoch of its verdict: the trainer waits for each epoch's verdict,
// so it trains (and stores) no epoch past it, in thread and process slots alike. A loop that
// does not wait stores nothing past it either, and in a thread slot it is stopped.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixturesDir, runCli, tempDir } from '../helpers.js';
import { readStudy, type StoredTrial } from '../study/live-cli.js';

/** The epoch a stop rule judged, from its reason ("median rule, epoch 2: …"). */
function verdictEpoch(trial: StoredTrial): number {
  const epoch = /\bepoch (\d+)\b/.exec(trial.error ?? '')?.[1];
  assert.ok(epoch !== undefined, `trial ${trial.number}: no epoch in its reason ${trial.error}`);
  return Number(epoch);
}

/** Runs `yaml` and checks every pruned trial's epochs end at its verdict; returns the trials. */
async function prunedExactly(dir: string, yaml: string): Promise<StoredTrial[]> {
  const spec = join(dir, 'spec.yaml');
  writeFileSync(spec, yaml);
  const db = join(dir, 'prune.db');
  const run = await runCli(['run', spec, '--storage', db]);
  assert.equal(run.code, 0, run.stderr);
  const pruned = (await readStudy(db)).trials.filter((t) => t.state === 'pruned');
  assert.ok(pruned.length >= 2, `only ${pruned.length} trials pruned`);
  for (const t of pruned) {
    const epoch = verdictEpoch(t);
    assert.deepEqual(
      t.epochs.map((e) => e.epoch),
      Array.from({ length: epoch + 1 }, (_, i) => i),
      `trial ${t.number} (${t.error}): epochs stored past its verdict`,
    );
  }
  return pruned;
}

describe('a pruned trial trains no epoch past its verdict', () => {
  for (const pool of ['thread', 'process'] as const) {
    it(`module trainer, pool: ${pool}`, async () => {
      const yaml = readFileSync(join(fixturesDir, 'cli', 'bowl-median.yaml'), 'utf8')
        .replace('../objectives/sleepy.js', join(fixturesDir, 'objectives', 'sleepy.js'))
        .replace('sleep_ms: 40', 'sleep_ms: 10')
        .concat(`pool: ${pool}\n`);
      await prunedExactly(tempDir(), yaml);
    });
  }

  for (const pool of ['thread', 'process'] as const) {
    it(`module trainer with a synchronous 600-epoch loop, pool: ${pool}`, async () => {
      const dir = tempDir();
      const yaml = `
name: sync-loop
seed: 11
method: random
metric: { name: val_accuracy, goal: maximize }
run_cap: 6
parallelism: 1
trainer: module
module: ${join(fixturesDir, 'objectives', 'sync-loop.js')}
pool: ${pool}
train: { epochs: 600, spin_ms: ${pool === 'thread' ? 1 : 0.1}, out_dir: ${JSON.stringify(dir)} }
parameters:
  lr: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0 }
early_terminate: { type: median, n_startup_trials: 2, n_warmup_steps: 1 }
`;
      for (const t of await prunedExactly(dir, yaml)) {
        const last = t.epochs.at(-1);
        assert.equal(t.value, last?.metrics['val_accuracy'], `trial ${t.number}: its value is not its last stored epoch's`);
        // A process slot cannot be reached inside the loop (its messages wait for it): it runs on.
        if (pool === 'thread') {
          const ran = Number(readFileSync(join(dir, `trial-${t.number}`), 'utf8'));
          assert.ok(ran < 300, `trial ${t.number}: its loop ran ${ran} of 600 epochs after a verdict at epoch ${verdictEpoch(t)}`);
        }
      }
    });
  }

  it('tfjs trainer: epochs_trained is the verdict epoch + 1', async () => {
    const yaml = `
name: prune-tfjs
seed: 4
method: random
run_cap: 8
parallelism: 1
data: { source: synthetic, kind: blobs, classes: 3, features: 4, points: 150, noise: 1.5, split: { train: 0.6, val: 0.2, test: 0.2 } }
train: { epochs: 6, hidden_layers: 1, hidden_units: 8, batch_size: 30, backend: cpu }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 0.00001, max: 0.3 }
early_terminate: { type: median, metric: val_accuracy, n_startup_trials: 2, n_warmup_steps: 0 }
`;
    for (const t of await prunedExactly(tempDir(), yaml)) assert.equal(t.attrs['epochs_trained'], verdictEpoch(t) + 1);
  });
});

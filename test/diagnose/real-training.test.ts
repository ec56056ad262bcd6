/**
 * The verdicts on real training runs (tfjs on wasm, synthetic data): the four cases of the
 * playbook, each made deterministic by its seeds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FrozenTrial, EpochRecord } from '../../src/core/types.js';
import { diagnoseTrial, type Diagnosis } from '../../src/diagnose/index.js';
import { train } from '../../src/train/tfjs-trainer.js';
import { dataSpec, recorder, task } from '../train/helpers.js';

async function trainAndJudge(t: ReturnType<typeof task>, targetAccuracy: number | null): Promise<{ d: Diagnosis; epochs: EpochRecord[] }> {
  const ctx = recorder(t.seed);
  const result = await train(t, ctx);
  const epochs = ctx.reports.map((metrics, epoch) => ({ epoch, metrics }));
  const trial: FrozenTrial = {
    studyId: 1,
    number: 0,
    state: result.diverged === undefined ? 'complete' : 'diverged',
    params: { ...t.params, learning_rate: Number(t.train['learning_rate'] ?? 0.001) },
    distributions: {},
    value: result.metrics['val_accuracy'] ?? null,
    seed: t.seed,
    attempt: 1,
    started: null,
    finished: null,
    heartbeat: null,
    worker: null,
    error: result.diverged ?? null,
    attrs: {},
  };
  return { d: diagnoseTrial({ trial, epochs, reference: { bestTrainAccuracy: null, targetAccuracy } }), epochs };
}

describe('verdicts on real training', () => {
  it('α far too high → diverged, quoting α', async () => {
    const { d } = await trainAndJudge(task({ learning_rate: 10, optimizer: 'adam', epochs: 3 }), null);
    assert.equal(d.verdict, 'diverged');
    assert.match(d.hint, /10/);
  });

  it('α far too low → stalled', async () => {
    const { d } = await trainAndJudge(task({ learning_rate: 1e-7, optimizer: 'sgd', epochs: 5 }), 0.9);
    assert.equal(d.verdict, 'stalled');
  });

  it('a tiny network on spirals → high bias', async () => {
    const spirals = dataSpec({ kind: 'spirals', classes: 3, points: 600, noise: 0.05, features: null });
    const { d } = await trainAndJudge(task({ layers: [2], learning_rate: 0.01, epochs: 15 }, { data: spirals }), 0.9);
    assert.equal(d.verdict, 'high_bias', d.summary);
  });

  it('a large unregularised network on a few noisy samples → high variance, onset within one epoch of the minimum', async () => {
    const few = dataSpec({ kind: 'blobs', classes: 3, features: 20, points: 90, noise: 10, split: { train: 0.4, val: 0.6, test: 0 } });
    const { d, epochs } = await trainAndJudge(
      task({ layers: [256, 256], learning_rate: 0.0006, optimizer: 'adam', epochs: 40, batch_size: 16 }, { data: few }),
      null,
    );
    assert.equal(d.verdict, 'high_variance', d.summary);
    const val = epochs.map((e) => e.metrics['val_loss'] ?? Infinity);
    const trueMin = val.indexOf(Math.min(...val));
    assert.ok(d.overfitOnset !== null && Math.abs(d.overfitOnset - trueMin) <= 1, `onset ${d.overfitOnset}, val_loss minimum at ${trueMin}`);
  });
});

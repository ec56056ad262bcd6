/**
 * The epoch loop both tfjs trainers share (trainEpochs), over a scripted trainer: reports,
 * restore_best, divergence and stopping, and that every snapshot it takes is released once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EarlyTerminate } from '../../src/core/spec.js';
import type { Attrs } from '../../src/core/types.js';
import type { EpochNumbers } from '../../src/train/loop/epoch.js';
import { keepBestOf, trainEpochs } from '../../src/train/loop/epochs.js';
import type { EpochTrainer } from '../../src/train/loop/epochs.js';
import { resolveSettings } from '../../src/train/settings.js';
import { recorder } from './helpers.js';

function numbers(valLoss: number, trainLoss = 1): EpochNumbers {
  return {
    trainLoss,
    trainAccuracy: 0.5,
    evalTrainLoss: trainLoss,
    evalTrainAccuracy: 0.5,
    worstBatchLoss: trainLoss,
    valLoss,
    valAccuracy: 1 - valLoss,
    updateRatio: 1e-3,
    trainSeconds: 0.01,
  };
}

/** A trainer whose epochs give `script` in turn (null: stopped); its weights are the epoch count. */
function scripted(script: Array<EpochNumbers | null>): EpochTrainer<number> & { weights: number; live: Set<number>; released: number[] } {
  let taken = 0;
  const t = {
    weights: 0,
    live: new Set<number>(),
    released: [] as number[],
    epoch: (): Promise<{ numbers: EpochNumbers; extra: Record<string, number> } | null> => {
      const next = script.shift() ?? null;
      if (next === null) return Promise.resolve(null);
      t.weights++;
      return Promise.resolve({ numbers: next, extra: { 'layer1.act_mean': t.weights } });
    },
    snapshot: (): number => {
      const id = t.weights * 100 + taken++;
      t.live.add(id);
      return id;
    },
    restore: (id: number): void => {
      assert.ok(t.live.has(id), 'restores a live snapshot');
      t.weights = Math.floor(id / 100);
    },
    release: (id: number): void => {
      assert.ok(t.live.delete(id), `snapshot ${id} released once`);
      t.released.push(id);
    },
  };
  return t;
}

const PATIENCE: EarlyTerminate = { type: 'patience', metric: 'val_loss', patience: 10, min_delta: 0, restore_best: true };
const BEST = keepBestOf(PATIENCE, { name: 'val_accuracy', goal: 'maximize' });

describe('restore_best: which way is better', () => {
  it("the study's own metric follows the study's goal; another metric its name", () => {
    assert.deepEqual(keepBestOf(PATIENCE, { name: 'val_accuracy', goal: 'maximize' }), { metric: 'val_loss', minimize: true });
    const score: EarlyTerminate = { ...PATIENCE, metric: 'val_score' };
    assert.deepEqual(keepBestOf(score, { name: 'val_score', goal: 'minimize' }), { metric: 'val_score', minimize: true });
    assert.deepEqual(keepBestOf(score, { name: 'val_score', goal: 'maximize' }), { metric: 'val_score', minimize: false });
    assert.deepEqual(keepBestOf(score, { name: 'val_accuracy', goal: 'minimize' }), { metric: 'val_score', minimize: false });
    assert.equal(keepBestOf({ ...PATIENCE, restore_best: false }, { name: 'val_loss', goal: 'minimize' }), null);
    assert.equal(keepBestOf(null, { name: 'val_loss', goal: 'minimize' }), null);
  });

  it('a minimised study metric whose name says nothing ends on its lowest epoch', async () => {
    // val_accuracy is 1 − val_loss here: minimising it keeps epoch 0 (0.1), maximising epoch 1 (0.6).
    const run = async (goal: 'minimize' | 'maximize'): Promise<number> => {
      const trainer = scripted([numbers(0.9), numbers(0.4), numbers(0.6)]);
      const keep = keepBestOf({ ...PATIENCE, metric: 'val_accuracy' }, { name: 'val_accuracy', goal });
      const { metrics } = await trainEpochs(trainer, 2, resolveSettings({ train: { epochs: 3 }, params: {} }), keep, recorder(), {}, 100);
      return metrics['val_accuracy']!;
    };
    assert.ok(Math.abs((await run('minimize')) - 0.1) < 1e-12);
    assert.ok(Math.abs((await run('maximize')) - 0.6) < 1e-12);
  });
});

describe('the shared epoch loop', () => {
  it('reports each epoch with its extra metrics, and with restore_best ends on the best epoch', async () => {
    const trainer = scripted([numbers(0.9), numbers(0.4), numbers(0.6), numbers(0.5)]);
    const ctx = recorder();
    const attrs: Attrs = {};
    const { metrics, diverged } = await trainEpochs(trainer, 2, resolveSettings({ train: { epochs: 4 }, params: {} }), BEST, ctx, attrs, 100);
    assert.equal(diverged, undefined);
    assert.deepEqual(ctx.reports.map((m) => m['val_loss']), [0.9, 0.4, 0.6, 0.5]);
    assert.deepEqual(ctx.reports.map((m) => m['layer1.act_mean']), [1, 2, 3, 4]);
    assert.equal(trainer.weights, 2, 'the weights of epoch 1 are put back');
    assert.equal(metrics['val_loss'], 0.4);
    assert.deepEqual({ best: attrs['best_epoch'], trained: attrs['epochs_trained'] }, { best: 1, trained: 4 });
    assert.equal(trainer.live.size, 0, 'every snapshot is released');
  });

  it('without restore_best keeps the last epoch and takes no snapshot', async () => {
    const trainer = scripted([numbers(0.9), numbers(0.4), numbers(0.6)]);
    const attrs: Attrs = {};
    const { metrics } = await trainEpochs(trainer, 2, resolveSettings({ train: { epochs: 3 }, params: {} }), null, recorder(), attrs, 100);
    assert.equal(metrics['val_loss'], 0.6);
    assert.equal(trainer.weights, 3);
    assert.deepEqual(trainer.released, []);
    assert.equal(attrs['best_epoch'], undefined);
  });

  it('stops at a diverged epoch, with its reason and without restoring', async () => {
    const trainer = scripted([numbers(0.5), numbers(0.7, Number.NaN), numbers(0.1)]);
    const ctx = recorder();
    const attrs: Attrs = {};
    const { metrics, diverged } = await trainEpochs(trainer, 2, resolveSettings({ train: { epochs: 3 }, params: {} }), BEST, ctx, attrs, 100);
    assert.match(diverged ?? '', /training loss is NaN at epoch 1/);
    assert.equal(ctx.reports.length, 2);
    assert.equal(metrics['val_loss'], 0.7);
    assert.equal(trainer.weights, 2);
    assert.deepEqual({ best: attrs['best_epoch'], trained: attrs['epochs_trained'] }, { best: undefined, trained: 2 });
    assert.equal(trainer.live.size, 0);
  });

  it('ends when an epoch is stopped before its end, and counts only finished epochs', async () => {
    const trainer = scripted([numbers(0.5), null, numbers(0.1)]);
    const attrs: Attrs = {};
    const { metrics } = await trainEpochs(trainer, 2, resolveSettings({ train: { epochs: 3 }, params: {} }), BEST, recorder(), attrs, 100);
    assert.equal(metrics['val_loss'], 0.5);
    assert.equal(attrs['epochs_trained'], 1);
  });
});

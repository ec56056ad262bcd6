import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SettingValue } from '../../src/core/spec.js';
import type { FrozenTrial } from '../../src/core/types.js';
import { diagnoseTrial, type Diagnosis } from '../../src/diagnose/index.js';
import { train } from '../../src/train/tfjs-trainer.js';
import { dataSpec, recorder, task } from '../train/helpers.js';

const LAYER_VERDICTS = ['dead_relu', 'saturated', 'vanishing_gradients', 'exploding_gradients'];
/** configs/spirals.yaml's data. */
const SPIRALS = dataSpec({ kind: 'spirals', classes: 5, points: 1000, noise: 0.3, features: 2 });

async function diagnosed(settings: Record<string, SettingValue>, data = SPIRALS): Promise<{ d: Diagnosis; verdicts: string[]; last: Record<string, number>; attrs: Record<string, unknown> }> {
  const ctx = recorder();
  const result = await train(task(settings, { data }), ctx);
  const trial: FrozenTrial = {
    studyId: 1, number: 0, state: result.diverged === undefined ? 'complete' : 'diverged', params: {}, distributions: {}, value: result.metrics['val_accuracy'] ?? null,
    seed: 7, attempt: 1, started: null, finished: null, heartbeat: null, worker: null, error: result.diverged ?? null, attrs: {},
  };
  const d = diagnoseTrial({ trial, epochs: ctx.reports.map((metrics, epoch) => ({ epoch, metrics })), reference: { bestTrainAccuracy: null, targetAccuracy: 0.9 } });
  return { d, verdicts: [d.verdict, ...d.also], last: ctx.reports.at(-1) ?? {}, attrs: result.attrs };
}

describe('layer health', () => {
  it('is recorded per hidden layer each epoch', async () => {
    const { last, attrs } = await diagnosed({ epochs: 2, layers: [16, 8], activation: 'tanh' }, dataSpec());
    for (const k of ['layer1', 'layer2']) {
      for (const m of ['act_mean', 'act_std', 'weight_norm', 'grad_norm', 'update_ratio', 'saturated_fraction']) assert.ok(Number.isFinite(last[`${k}.${m}`]), `${k}.${m}`);
      assert.ok(last[`${k}.saturated_fraction`]! >= 0 && last[`${k}.saturated_fraction`]! <= 1);
    }
    assert.equal(last['layer3.grad_norm'], undefined, 'the output layer is not a hidden layer');
    const histograms = attrs['layer_histograms'] as { layer: number; first: number[]; last: number[]; lastEpoch: number }[];
    assert.deepEqual(histograms.map((h) => h.layer), [1, 2]);
    const rows = Math.min(256, 210); // the monitoring batch: the training split's 70 % of 300 points
    assert.equal(histograms[0]!.first.reduce((a, b) => a + b, 0), rows * 16);
    assert.equal(histograms[1]!.last.reduce((a, b) => a + b, 0), rows * 8);
    assert.equal(histograms[0]!.lastEpoch, 1);
  });

  it('dead_relu: ReLU with α far too high', async () => {
    const { verdicts, d } = await diagnosed({ epochs: 4, layers: [32, 32], activation: 'relu', optimizer: 'sgd', learning_rate: 3, divergence_factor: 1e9 });
    assert.ok(verdicts.includes('dead_relu'), d.summary);
    assert.match(d.hint, /lower α, use He initialisation/);
  });

  it('saturated: sigmoid with large initial weights', async () => {
    const { verdicts, d } = await diagnosed({ epochs: 3, layers: [32, 32], activation: 'sigmoid', init: 'small_normal', init_scale: 4 });
    assert.ok(verdicts.includes('saturated'), d.summary);
    assert.match(d.hint, /don't use sigmoid/);
  });

  it('vanishing_gradients: a deep sigmoid network with tiny initial weights', async () => {
    const { verdicts, d } = await diagnosed({ epochs: 3, layers: [32, 32, 32, 32, 32, 32], activation: 'sigmoid', init: 'small_normal', init_scale: 0.1 });
    assert.ok(verdicts.includes('vanishing_gradients'), d.summary);
  });

  it('exploding_gradients: a deep tanh network with large initial weights', async () => {
    const { verdicts, d } = await diagnosed({ epochs: 3, layers: Array(10).fill(32) as number[], activation: 'tanh', init: 'small_normal', init_scale: 1, learning_rate: 1e-6, divergence_factor: 1e12 });
    assert.ok(verdicts.includes('exploding_gradients'), d.summary);
  });

  it("does not fire on the shipped spirals example's good settings", async () => {
    for (const activation of ['relu', 'tanh']) {
      const { verdicts, d, last } = await diagnosed({ epochs: 12, hidden_layers: 3, hidden_units: 64, activation, optimizer: 'adam', learning_rate: 0.003, batch_size: 16, init: 'he' });
      assert.deepEqual(verdicts.filter((v) => LAYER_VERDICTS.includes(v)), [], `${activation}: ${d.summary}`);
      // A good trial: it learns the spirals (chance is 0.2), whatever its bias/variance verdict.
      assert.ok((last['val_accuracy'] ?? 0) > 0.8, `${activation} trains well: val_accuracy ${last['val_accuracy']}, ${d.summary}`);
    }
  });
});

// method: pbt with a user model (train.model): the exploit hands over the donor's weights,
// moving statistics and optimiser state; a shape-changing parameter is refused clearly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runStudyIn } from '../helpers.js';
import { lineage, loadStudy as load } from './pbt-helpers.js';

const MODEL = `export function build(params, tf) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: params.input_shape, units: params.width, activation: 'relu' }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.dense({ units: params.classes, activation: 'softmax' }));
  return m;
}
`;

const SPEC = `name: own-pbt
method: pbt
seed: 3
parallelism: 2
pbt: { population: 4, perturbation_interval: 2, quantile_fraction: 0.5, resample_probability: 0 }
data: { source: synthetic, kind: blobs, classes: 3, points: 240, features: 4, noise: 1.5, split: { train: 0.7, val: 0.3, test: 0 }, preprocess: standardize }
train: { model: ./model.mjs, epochs: 6, optimizer: adam, batch_size: 32, width: 8 }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 1.0e-3, max: 5.0e-3 }
`;


describe('method: pbt with a user model', () => {
  it('a member’s first epoch after an exploit starts from the donor’s weights, not from scratch', async () => {
    const { db, run } = await runStudyIn({ 'model.mjs': MODEL }, SPEC, 'own.db');
    assert.equal(run.code, 0, run.stderr);
    const { trials, epochs } = await load(db);
    assert.equal(trials.every((t) => t.state === 'complete'), true, JSON.stringify(trials.map((t) => t.error)));
    const exploits = trials.filter((t) => lineage(t).exploited !== null);
    assert.ok(exploits.length >= 1, JSON.stringify(trials.map(lineage)));
    for (const t of exploits) {
      const donor = epochs.get(lineage(t).exploited!.trial)!.at(-1)!;
      const first = epochs.get(t.number)![0]!;
      assert.equal(first.epoch, lineage(t).exploited!.epoch, 'numbered on from the donor’s epoch count');
      // The donor member's very first epoch, from the initialiser: where a member starting afresh would be.
      const scratch = epochs.get(lineage(t).exploited!.member)![0]!.metrics['train_loss']!;
      const loss = first.metrics['train_loss']!;
      assert.ok(loss < (scratch + donor.metrics['train_loss']!) / 2, `trial ${t.number}: ${loss} vs donor ${donor.metrics['train_loss']} and scratch ${scratch}`);
    }
  });

  it('a searched parameter that changes the model’s shape fails the segment that cannot take the weights, saying why', async () => {
    const spec = SPEC.replace('width: 8 }', '}').replace('parameters:', 'parameters:\n  width: { values: [4, 8] }');
    const { db, run } = await runStudyIn({ 'model.mjs': MODEL }, spec, 'shape.db');
    assert.equal(run.code, 0, run.stderr);
    const { trials } = await load(db);
    const failed = trials.filter((t) => t.state === 'failed');
    assert.ok(failed.length >= 1, JSON.stringify(trials.map((t) => [t.state, t.params])));
    for (const t of failed) assert.match(t.error ?? '', /holds weights of shapes .*; the model this segment built needs .*cannot be perturbed under method pbt/);
  });
});

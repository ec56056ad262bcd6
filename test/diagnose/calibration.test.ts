import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EpochRecord } from '../../src/core/types.js';
import { checkRequirements, parseRequirement } from '../../src/diagnose/requirements.js';
import { diagnoseTrial } from '../../src/diagnose/index.js';
import { makeEpochs, trialOf } from './synthetic.js';

describe('diagnoseTrial: variance is the train–validation error gap', () => {
  // configs/mnist-mlp.yaml's figures: train/val accuracy 0.998/0.960, train/val loss 0.014/0.135.
  const mnist = makeEpochs(
    10,
    {
      train_loss: (e) => 0.014 + 0.17 * Math.exp(-e),
      val_loss: () => 0.135,
      train_accuracy: (e) => 0.998 - 0.05 * Math.exp(-e),
      val_accuracy: () => 0.96,
    },
    0,
    1,
  );

  it('a confident classifier with a 4-point error gap is a good fit, whatever its loss ratio', () => {
    const d = diagnoseTrial({ trial: trialOf(), epochs: mnist, reference: { bestTrainAccuracy: 0.998, targetAccuracy: null } });
    assert.equal(d.verdict, 'good_fit', d.summary);
    assert.ok(Number(d.evidence['val_loss_final']) > 5 * Number(d.evidence['train_loss_final']));
  });

  it('without accuracies the loss ratio still judges variance (regression)', () => {
    const regression = mnist.map((e) => ({ epoch: e.epoch, metrics: { train_loss: e.metrics['train_loss'] ?? 0, val_loss: e.metrics['val_loss'] ?? 0 } }));
    const d = diagnoseTrial({ trial: trialOf(), epochs: regression, reference: { bestTrainAccuracy: null, targetAccuracy: null } });
    assert.equal(d.verdict, 'high_variance', d.summary);
    assert.match(d.evidence['variance_reasons'] as string, /loss_ratio/);
  });

  it('high bias names the avoidable bias: the gap from the reference accuracy', () => {
    const weak = makeEpochs(10, { train_loss: (e) => 0.9 + Math.exp(-e), val_loss: (e) => 0.9 + Math.exp(-e), train_accuracy: () => 0.8, val_accuracy: () => 0.8 }, 0, 1);
    const d = diagnoseTrial({ trial: trialOf(), epochs: weak, reference: { bestTrainAccuracy: 0.97, targetAccuracy: null } });
    assert.equal(d.verdict, 'high_bias');
    assert.equal(d.evidence['avoidable_bias'], 0.17);
    assert.match(d.labels['avoidable_bias'] ?? '', /reference accuracy 0\.97 − train_accuracy \(mean of epochs 7–9\)/);
  });
});

describe('one result epoch: restore_best’s best epoch, else the last', () => {
  // Good until epoch 10 (the best by val_loss), then the validation side falls apart.
  const epochs: EpochRecord[] = Array.from({ length: 19 }, (_, e) => ({
    epoch: e,
    metrics: {
      train_loss: 1 / (e + 1),
      val_loss: e <= 10 ? 1.1 / (e + 1) : 0.1 + 0.2 * (e - 10),
      train_accuracy: e <= 10 ? 0.9 + 0.005 * e : 0.97,
      val_accuracy: e <= 10 ? 0.9 + 0.004 * e : 0.7,
    },
  }));
  const trial = { ...trialOf({ value: 0.94 }), attrs: { best_epoch: 10 } };

  it('diagnose measures levels up to the kept epoch and labels them', () => {
    const d = diagnoseTrial({ trial, epochs, reference: { bestTrainAccuracy: 0.95, targetAccuracy: null } });
    assert.equal(d.evidence['result_epoch'], 10);
    assert.equal(d.evidence['value'], 0.94);
    assert.match(d.labels['value'] ?? '', /^the trial's value/);
    assert.equal(d.evidence['val_accuracy'], 0.936);
    assert.equal(d.labels['val_accuracy'], 'val_accuracy, mean of epochs 8–10');
    assert.match(d.labels['result_epoch'] ?? '', /best_epoch, restore_best/);
    assert.notEqual(d.verdict, 'high_bias');
    for (const key of Object.keys(d.evidence)) assert.ok((d.labels[key] ?? '') !== '', `${key} has a label`);
  });

  it('without best_epoch the last epochs count', () => {
    const d = diagnoseTrial({ trial: trialOf(), epochs, reference: { bestTrainAccuracy: 0.97, targetAccuracy: null } });
    assert.equal(d.evidence['result_epoch'], 18);
    assert.equal(d.evidence['val_accuracy'], 0.7);
    assert.equal(d.verdict, 'high_variance');
  });

  it('check reads an epoch metric at the same epoch', () => {
    const [r] = checkRequirements(trial, 'val_accuracy', epochs, [parseRequirement('val_loss<=0.2')]);
    assert.equal(r?.epoch, 10);
    assert.equal(r?.actual, 0.1);
    assert.equal(r?.passed, true);
  });
});

describe('a command trainer’s curves', () => {
  it('are judged under the names scripts print (loss, accuracy, val_loss, val_accuracy)', () => {
    const epochs = makeEpochs(
      8,
      { loss: (e) => 0.3 + 2 * Math.exp(-e / 2), val_loss: (e) => 0.32 + 2 * Math.exp(-e / 2), accuracy: (e) => 0.95 - 0.8 * Math.exp(-e / 2), val_acc: (e) => 0.94 - 0.8 * Math.exp(-e / 2) },
      0,
      1,
    );
    const d = diagnoseTrial({ trial: { ...trialOf(), attrs: { trainer: 'command' } }, epochs, reference: { bestTrainAccuracy: 0.95, targetAccuracy: null } });
    assert.equal(d.verdict, 'good_fit', d.summary);
  });

  it('say why there is no verdict when the script printed only validation metrics', () => {
    const epochs = makeEpochs(3, { val_loss: (e) => 1 - e / 4, val_accuracy: (e) => e / 4 }, 0, 1);
    const d = diagnoseTrial({ trial: trialOf(), epochs, reference: { bestTrainAccuracy: null, targetAccuracy: null } });
    assert.equal(d.verdict, 'unknown');
    assert.match(d.summary, /no train_loss was recorded \(the trial reported val_loss, val_accuracy\), so bias and variance cannot be judged/);
    assert.match(d.hint, /train_loss=/);
  });
});

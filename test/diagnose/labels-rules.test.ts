// labelsOf: every evidence figure a rule writes gets a label, which names the epochs it was measured over.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EpochRecord } from '../../src/core/types.js';
import { curvesOf } from '../../src/diagnose/curves.js';
import { labelsOf, type Window } from '../../src/diagnose/labels.js';
import type { Evidence } from '../../src/diagnose/types.js';

/** Every figure the rules of this folder write into evidence. */
const KNOWN = [
  'epochs', 'state', 'result_epoch', 'value', 'learning_rate', 'lr', 'alpha', 'train_loss_first', 'train_loss_final', 'val_loss_final',
  'train_accuracy', 'val_accuracy', 'accuracy_gap', 'val_loss_min', 'val_loss_min_epoch', 'target_accuracy', 'target_source', 'avoidable_bias',
  'chance_accuracy', 'chance_margin', 'nonfinite_metric', 'nonfinite_epoch', 'nonfinite_value', 'train_loss_peak', 'train_loss_peak_epoch',
  'loss_ratio', 'explode_factor', 'error', 'stall_epochs', 'train_loss_window_min', 'stall_improvement', 'stall_limit', 'variance_reasons',
  'accuracy_gap_limit', 'val_train_loss_ratio', 'val_loss_rise', 'finite_train_losses', 'min_epochs', 'dead_layer', 'dead_fraction',
  'dead_relu_threshold', 'saturated_layer', 'saturated_fraction', 'saturated_threshold', 'gradient_ratio', 'first_layer_grad_norm',
  'last_layer_grad_norm', 'vanishing_threshold', 'exploding_threshold',
] as const;

const W: Window = { text: 'mean of epochs 2–4', result: 4, source: 'last_epoch' };
const BEST: Window = { text: 'mean of epochs 0–2', result: 2, source: 'best_epoch' };
const TARGET = { value: 0.8, reference: 0.975, source: 'diagnose.target_accuracy' };

function epochs(metrics: Record<string, number[]>): EpochRecord[] {
  const n = Math.max(...Object.values(metrics).map((v) => v.length));
  return Array.from({ length: n }, (_, epoch) => ({
    epoch,
    metrics: Object.fromEntries(Object.entries(metrics).flatMap(([k, v]) => (v[epoch] === undefined ? [] : [[k, v[epoch]]]))),
  }));
}

const all: Evidence = Object.fromEntries(KNOWN.map((k) => [k, 1]));
const losses = curvesOf(epochs({ train_loss: [NaN, 2, 1.5, 1.2, 1.1], val_loss: [2.2, 2, 1.8, 1.7, 1.75] }));

describe('labelsOf', () => {
  it('labels every figure the rules write, with or without a target, and only the figures given', () => {
    for (const target of [TARGET, null]) {
      for (const window of [W, BEST]) {
        const labels = labelsOf(all, losses, window, target);
        assert.deepEqual(Object.keys(labels), [...KNOWN]);
        for (const k of KNOWN) assert.notEqual(labels[k], '', k);
      }
    }
    assert.deepEqual(labelsOf({ val_accuracy: 0.5 }, losses, W, null), { val_accuracy: 'val_accuracy, mean of epochs 2–4' });
  });

  it('leaves a figure no rule knows unlabelled', () => {
    assert.deepEqual(labelsOf({ custom_metric: 3, epochs: 5 }, losses, W, null), { custom_metric: '', epochs: 'epochs stored' });
  });

  it('names the window in each level, and the train-minus-validation gap', () => {
    const labels = labelsOf(all, losses, W, TARGET);
    for (const k of ['train_loss_final', 'val_loss_final', 'train_accuracy', 'val_accuracy', 'val_train_loss_ratio']) assert.match(labels[k]!, /mean of epochs 2–4$/, k);
    assert.equal(labels['accuracy_gap'], 'train_accuracy − val_accuracy, mean of epochs 2–4: the variance (train–validation error gap)');
  });

  it('says whether the result epoch is the kept best epoch or the last one', () => {
    assert.equal(labelsOf({ result_epoch: 2 }, losses, BEST, null)['result_epoch'], 'the epoch whose weights the trial kept (best_epoch, restore_best); levels end here');
    assert.equal(labelsOf({ result_epoch: 4 }, losses, W, null)['result_epoch'], 'the last epoch stored; levels end here');
  });

  it("names the first finite train_loss's epoch, or says there is none", () => {
    assert.equal(labelsOf({ train_loss_first: 2 }, losses, W, null)['train_loss_first'], 'train_loss at epoch 1');
    const none = curvesOf(epochs({ val_loss: [1, 1] }));
    assert.equal(labelsOf({ train_loss_first: null }, none, W, null)['train_loss_first'], 'train_loss at its first finite epoch');
  });

  it("quotes the target's source and reference, or says there is no target", () => {
    const withTarget = labelsOf({ target_accuracy: 0.8, avoidable_bias: 0.1 }, losses, W, TARGET);
    assert.equal(withTarget['target_accuracy'], 'lowest train_accuracy that is not high bias: diagnose.target_accuracy');
    assert.equal(withTarget['avoidable_bias'], 'reference accuracy 0.975 − train_accuracy (mean of epochs 2–4): the gap to the reference error');
    const without = labelsOf({ target_accuracy: null, avoidable_bias: null }, losses, W, null);
    assert.equal(without['target_accuracy'], 'no target (no trial of the study has a train_accuracy)');
    assert.equal(without['avoidable_bias'], 'reference accuracy − train_accuracy');
  });

  it("measures the validation rise over val_loss's last 3 epochs, whatever the window", () => {
    assert.equal(labelsOf({ val_loss_rise: 0.1 }, losses, BEST, null)['val_loss_rise'], 'rise of val_loss (mean of epochs 2–4) over its smoothed minimum, as a fraction');
    const noVal = curvesOf(epochs({ train_loss: [1, 0.9] }));
    assert.equal(labelsOf({ val_loss_rise: null }, noVal, W, null)['val_loss_rise'], 'rise of val_loss (its last epochs) over its smoothed minimum, as a fraction');
  });
});

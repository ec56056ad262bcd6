// diagnoseTrial on curves built by hand: every figure of its base evidence (levels up to the
// result epoch, the lowest validation loss over the whole curve), the window its levels are
// labelled with, each `unknown` message, the onset read from the whole curve, and how further
// verdicts join the summary, the hint and the evidence.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EpochRecord, FrozenTrial } from '../../src/core/types.js';
import { diagnoseTrial, type Diagnosis } from '../../src/diagnose/index.js';
import { epochsOf, trialOf } from './synthetic.js';

const noReference = { bestTrainAccuracy: null, targetAccuracy: null };
const run = (trial: FrozenTrial, epochs: EpochRecord[], targetAccuracy: number | null = null): Diagnosis =>
  diagnoseTrial({ trial, epochs, reference: { bestTrainAccuracy: null, targetAccuracy } });
const times = (v: number, n: number): number[] => Array.from({ length: n }, () => v);

describe('diagnoseTrial: the base evidence', () => {
  it('levels end at best_epoch; the lowest val_loss is the earliest of the whole curve', () => {
    const trial: FrozenTrial = { ...trialOf({ params: { learning_rate: 0.5 }, value: 0.75 }), attrs: { best_epoch: 3 } };
    const epochs = epochsOf({
      train_loss: [2, 1.5, 1, 0.5, 0.25, 0.25, 0.25],
      val_loss: [2, 1, 1.25, 1.5, 0.5, 0.5, 0.5],
      train_accuracy: [0.5, 0.625, 0.75, 0.875, 0.875, 0.875, 0.875],
      val_accuracy: [0.5, 0.625, 0.75, 0.875, 0.875, 0.875, 0.875],
    });
    const d = run(trial, epochs, 0.5);
    assert.equal(d.verdict, 'good_fit');
    assert.deepEqual(d.evidence, {
      epochs: 7,
      state: 'complete',
      result_epoch: 3,
      value: 0.75,
      learning_rate: 0.5,
      train_loss_first: 2,
      train_loss_final: 1,
      val_loss_final: 1.25,
      train_accuracy: 0.75,
      val_accuracy: 0.75,
      accuracy_gap: 0,
      val_loss_min: 0.5,
      val_loss_min_epoch: 4,
      target_accuracy: 0.5,
    });
    assert.equal(d.summary, 'good fit: train/val accuracy 0.75/0.75 (mean of epochs 1–3); val_loss 1.5 at epoch 3');
    assert.equal(d.labels['train_loss_final'], 'train_loss, mean of epochs 1–3');
    assert.equal(d.overfitOnset, null);
  });

  it('the first finite training loss, also when the trial diverged', () => {
    const d = run(trialOf(), epochsOf({ train_loss: [Number.NaN, 2, 1.5] }));
    assert.equal(d.verdict, 'diverged');
    assert.equal(d.evidence['train_loss_first'], 2);
  });
});

describe('diagnoseTrial: the window levels are labelled with', () => {
  it('the training accuracy’s epochs when it has them; no accuracy gap without a validation accuracy', () => {
    const epochs = epochsOf({
      train_loss: [2, 1, 0.75, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      val_loss: [2, 1, 0.75, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      train_accuracy: times(0.875, 10),
    });
    const d = run(trialOf(), epochs);
    assert.equal(d.verdict, 'good_fit');
    assert.equal(d.labels['train_accuracy'], 'train_accuracy, mean of epochs 7–9');
    assert.equal(d.evidence['accuracy_gap'], null);
    assert.equal(d.summary, 'good fit: val_loss 0.5 at epoch 9');
  });

  it('the training loss’s epochs without a training accuracy', () => {
    const epochs = epochsOf({ train_loss: [2, 1, 0.5, 0.5, 0.5, 0.5], val_loss: [2, 1, 0.5, 0.5, 0.5, 0.5] });
    const d = run(trialOf(), epochs);
    assert.equal(d.verdict, 'good_fit');
    assert.equal(d.labels['train_loss_final'], 'train_loss, mean of epochs 3–5');
  });

  it('a validation accuracy without a validation loss: the accuracies alone', () => {
    const epochs = epochsOf({ train_loss: [2, 1, 0.5], train_accuracy: times(0.75, 3), val_accuracy: times(0.75, 3) });
    const d = run(trialOf(), epochs);
    assert.equal(d.summary, 'good fit: train/val accuracy 0.75/0.75 (mean of epochs 0–2)');
  });
});

describe('diagnoseTrial: unknown', () => {
  it('no epochs: too few training losses, and the window says so', () => {
    const d = run(trialOf(), []);
    assert.equal(d.verdict, 'unknown');
    assert.equal(d.summary, 'unknown: 0 epoch(s) with a finite train_loss, 3 needed');
    assert.equal(d.hint, 'train for more epochs before judging the fit');
    assert.equal(d.labels['train_loss_final'], 'train_loss, no epochs');
  });

  it('a failed trial without curves, with or without an error; with epochs it is only short', () => {
    const bare = run(trialOf({ state: 'failed' }), []);
    assert.equal(bare.summary, 'unknown: the trial failed without curves');
    assert.equal(bare.hint, "see the trial's error");
    const short = run(trialOf({ state: 'failed', error: 'boom' }), epochsOf({ train_loss: [1, 0.5] }));
    assert.equal(short.summary, 'unknown: 2 epoch(s) with a finite train_loss, 3 needed');
    assert.equal(short.hint, 'train for more epochs before judging the fit');
  });

  it('epochs without a train_loss name what the trial reported', () => {
    const d = run(trialOf(), epochsOf({ val_loss: [1, 0.5], val_accuracy: [0.5, 0.75] }));
    assert.equal(d.summary, 'unknown: no train_loss was recorded (the trial reported val_loss, val_accuracy), so bias and variance cannot be judged');
    assert.match(d.hint, /^report train_loss \(and train_accuracy\) each epoch/);
    assert.equal(run(trialOf(), [{ epoch: 0, metrics: {} }]).summary, 'unknown: no train_loss was recorded (the trial reported no metric), so bias and variance cannot be judged');
  });

  it('exactly minEpochs training losses are enough', () => {
    const d = run(trialOf(), epochsOf({ train_loss: [2, 1, 0.5], val_loss: [2, 1, 0.5] }));
    assert.equal(d.verdict, 'good_fit');
  });

  it('a validation accuracy that is never finite is no validation curve', () => {
    const nan = Number.NaN;
    const d = run(trialOf(), epochsOf({ train_loss: [2, 1, 0.5], train_accuracy: times(0.75, 3), val_accuracy: [nan, nan, nan] }));
    assert.equal(d.summary, 'unknown: training looks healthy, but there is no validation curve to judge the fit by');
  });
});

describe('diagnoseTrial: the onset and further verdicts', () => {
  it('the onset is read from the whole curve, also when the kept weights are those of its minimum', () => {
    const valley = Array.from({ length: 15 }, (_, e) => 0.5 + 0.01 * (e - 6) ** 2);
    const falling = Array.from({ length: 15 }, (_, e) => 0.25 + 0.5 / (e + 1));
    const trial: FrozenTrial = { ...trialOf(), attrs: { best_epoch: 6 } };
    const d = diagnoseTrial({ trial, epochs: epochsOf({ train_loss: falling, val_loss: valley, train_accuracy: times(1, 15), val_accuracy: times(0.98, 15) }), reference: noReference });
    assert.equal(d.verdict, 'high_variance');
    assert.equal(d.overfitOnset, 6);
  });

  it('further verdicts: listed in the summary, their hints and their figures added', () => {
    const epochs = epochsOf({ train_loss: [2, 1, 0.5], val_loss: [2, 1, 0.5], 'layer1.dead_fraction': [0, 0, 0.875], 'layer2.saturated_fraction': [0, 0, 0.875] });
    const d = run(trialOf(), epochs);
    assert.equal(d.verdict, 'good_fit');
    assert.deepEqual(d.also, ['dead_relu', 'saturated']);
    assert.equal(d.summary, 'good fit: val_loss 0.5 at epoch 2 (also dead relu, saturated)');
    assert.equal(
      d.hint,
      'no change needed: training and validation agree; search around these values to gain more; ' +
        'dead ReLUs: lower α, use He initialisation (√(2/n)), or leaky ReLU; ' +
        "saturated units kill the gradient: smaller initial weights (Xavier, √(1/n)), batch norm, and don't use sigmoid",
    );
    assert.equal(d.evidence['dead_layer'], 1);
    assert.equal(d.evidence['saturated_layer'], 2);
  });
});

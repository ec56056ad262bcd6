// Each verdict's rule on curves built by hand: the threshold just above and just below, the
// figures its summary and evidence quote, and where the learning rate α is read from.
// Levels use dyadic fractions (0.75, 0.625 …) so a comparison at a threshold is exact.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FrozenTrial, Params } from '../../src/core/types.js';
import { curvesOf, valleyOf } from '../../src/diagnose/curves.js';
import {
  accuracyTarget,
  chanceAccuracy,
  checkDiverged,
  checkHighBias,
  checkHighVariance,
  checkStalled,
  learningRateOf,
  type AccuracyTarget,
  type RuleInput,
} from '../../src/diagnose/rules.js';
import { DEFAULT_THRESHOLDS, type DiagnoseThresholds } from '../../src/diagnose/thresholds.js';
import { epochsOf, trialOf } from './synthetic.js';

const W = 'mean of epochs x–y';

function input(
  metrics: Record<string, number[]>,
  over: { trial?: FrozenTrial; target?: AccuracyTarget | null; t?: Partial<DiagnoseThresholds> } = {},
): RuleInput {
  const t = { ...DEFAULT_THRESHOLDS, ...over.t };
  const curves = curvesOf(epochsOf(metrics));
  return { trial: over.trial ?? trialOf(), curves, levels: curves, window: W, valley: valleyOf(curves.valLoss, curves.trainLoss, t), target: over.target ?? null, t };
}

const withParams = (params: Params): FrozenTrial => trialOf({ params });
const target = (value: number): AccuracyTarget => ({ value, reference: value, source: 'diagnose.target_accuracy' });
const times = (v: number, n = 3): number[] => Array.from({ length: n }, () => v);

describe('the learning rate a hint quotes', () => {
  it('learning_rate, then lr, then alpha among the parameters; else the first finite lr reported', () => {
    const curves = curvesOf(epochsOf({ lr: [Number.NaN, 0.05, 0.01] }));
    assert.deepEqual(learningRateOf(withParams({ alpha: 0.3, lr: 0.2, learning_rate: 0.1 }), curves), { name: 'learning_rate', value: 0.1 });
    assert.deepEqual(learningRateOf(withParams({ alpha: 0.3, lr: 0.2 }), curves), { name: 'lr', value: 0.2 });
    assert.deepEqual(learningRateOf(withParams({ learning_rate: 'high', alpha: 0.3 }), curves), { name: 'alpha', value: 0.3 });
    assert.deepEqual(learningRateOf(withParams({}), curves), { name: 'lr', value: 0.05 });
    assert.equal(learningRateOf(withParams({}), curvesOf([])), null);
  });
});

describe('checkDiverged', () => {
  it('a training loss above 3 × its first value diverged; exactly 3 × did not', () => {
    assert.equal(checkDiverged(input({ train_loss: [1, 2, 3, 2.5] })), null);
    const f = checkDiverged(input({ train_loss: [1, 2, 3.01, 2.5] }));
    assert.equal(f?.verdict, 'diverged');
    assert.equal(f?.summary, 'diverged: train_loss rose from 1 at epoch 0 to 3.01 at epoch 2 (3.01× its first value, limit 3×)');
    assert.deepEqual(f?.evidence, { train_loss_first: 1, train_loss_peak: 3.01, train_loss_peak_epoch: 2, loss_ratio: 3.01, explode_factor: 3 });
    assert.equal(checkDiverged(input({ train_loss: [1, 2, 3.01] }, { t: { explodeFactor: 3.5 } })), null);
  });

  it('the peak is the first of the highest values, and the first value itself never counts', () => {
    assert.match(checkDiverged(input({ train_loss: [1, 4, 4, 2] }))?.summary ?? '', /to 4 at epoch 1 \(4× its first value/);
    assert.match(checkDiverged(input({ train_loss: [2, 1, 6.5] }))?.summary ?? '', /^diverged: train_loss rose from 2 at epoch 0 to 6\.5 at epoch 2 \(3\.25×/);
  });

  it('a first loss of 0 or below has no multiple to exceed', () => {
    assert.equal(checkDiverged(input({ train_loss: [0, 5, 10] })), null);
    assert.equal(checkDiverged(input({ train_loss: [-1, 2, 5] })), null);
  });

  it('a non-finite loss diverged at the earliest such epoch of either curve', () => {
    const f = checkDiverged(input({ train_loss: [1, 0.9, Number.POSITIVE_INFINITY], val_loss: [1, Number.NaN, 1] }));
    assert.equal(f?.summary, 'diverged: val_loss became NaN at epoch 1');
    assert.deepEqual(f?.evidence, { nonfinite_metric: 'val_loss', nonfinite_epoch: 1, nonfinite_value: 'NaN' });
    const g = checkDiverged(input({ train_loss: [1, Number.NEGATIVE_INFINITY], val_loss: [1, 1, Number.NaN] }, { trial: withParams({ lr: 0.5 }) }));
    assert.equal(g?.summary, 'diverged: train_loss became -Infinity at epoch 1 (lr 0.5)');
    assert.equal(g?.evidence['lr'], 0.5);
  });

  it('a trial ended as diverged, with its error when it has one', () => {
    const f = checkDiverged(input({}, { trial: trialOf({ state: 'diverged', error: 'loss is NaN', params: { learning_rate: 0.5 } }) }));
    assert.equal(f?.summary, 'diverged: the trial was ended as diverged: loss is NaN (learning_rate 0.5)');
    assert.deepEqual(f?.evidence, { learning_rate: 0.5, state: 'diverged', error: 'loss is NaN' });
    assert.equal(
      f?.hint,
      "lower α: learning_rate was 0.5 in this trial; lower it (or the range's maximum) until the loss stays finite",
    );
    const g = checkDiverged(input({}, { trial: trialOf({ state: 'diverged' }) }));
    assert.equal(g?.summary, 'diverged: the trial was ended as diverged');
    assert.equal(g?.hint, 'lower α (the learning rate) until the loss stays finite; gradient clipping or a warm-up also help');
    assert.equal(checkDiverged(input({ train_loss: [1, 0.5, 0.25] })), null, 'a complete trial with a falling loss');
  });
});

describe('checkStalled', () => {
  it('a fall of less than 1 % over the first 3 epochs stalled; exactly 1 % did not; later epochs do not count', () => {
    const f = checkStalled(input({ train_loss: [1, 0.995, 0.991, 0.5, 0.25] }, { trial: withParams({ learning_rate: 0.001 }) }));
    assert.equal(f?.verdict, 'stalled');
    assert.equal(f?.summary, 'stalled: train_loss moved 0.9 % over epochs 0–2 (1 → 0.991; less than 1 %)');
    assert.deepEqual(f?.evidence, {
      learning_rate: 0.001,
      stall_epochs: 3,
      train_loss_first: 1,
      train_loss_window_min: 0.991,
      stall_improvement: 0.009,
      stall_limit: 0.01,
    });
    assert.equal(f?.hint, 'raise α (learning_rate was 0.001 in this trial); check the initialisation: zeros and too-small weights stall deep nets');
    assert.equal(checkStalled(input({ train_loss: [1, 0.995, 0.99] })), null);
    // With a limit of 1/8 the fall is exact in binary: exactly 1/8 is no stall, 7/64 is.
    assert.equal(checkStalled(input({ train_loss: [1, 0.9375, 0.875] }, { t: { stallImprovement: 0.125 } })), null);
    assert.equal(checkStalled(input({ train_loss: [1, 0.9375, 0.890625] }, { t: { stallImprovement: 0.125 } }))?.verdict, 'stalled');
    assert.equal(checkStalled(input({ train_loss: [1, 0.995, 0.991] }, { t: { stallImprovement: 0.005 } })), null);
  });

  it('the lowest loss of the window counts, not its last', () => {
    assert.equal(checkStalled(input({ train_loss: [1, 0.98, 1] })), null);
  });

  it('a loss that rose by more than 1 % is no stall; one that rose less is', () => {
    assert.equal(checkStalled(input({ train_loss: [1, 1, 1.02] })), null);
    const f = checkStalled(input({ train_loss: [1, 1, 1.005] }));
    assert.equal(f?.summary, 'stalled: train_loss moved 0 % over epochs 0–2 (1 → 1; less than 1 %)');
    assert.equal(f?.hint, 'raise α (the learning rate); check the initialisation: zeros and too-small weights stall deep nets');
  });

  it('needs stallEpochs finite losses and a first loss other than 0', () => {
    assert.equal(checkStalled(input({ train_loss: [1, Number.NaN, 1] })), null);
    assert.equal(checkStalled(input({ train_loss: [1, 1] })), null);
    assert.equal(checkStalled(input({ train_loss: [1, 1] }, { t: { stallEpochs: 2 } }))?.summary, 'stalled: train_loss moved 0 % over epochs 0–1 (1 → 1; less than 1 %)');
    assert.equal(checkStalled(input({ train_loss: [0, 0, 0] })), null);
  });

  it('no stall when the training accuracy already reaches the target', () => {
    const flat = { train_loss: [1, 1, 1], train_accuracy: times(0.875) };
    assert.equal(checkStalled(input(flat, { target: target(0.875) })), null);
    assert.equal(checkStalled(input(flat, { target: target(0.9) }))?.verdict, 'stalled');
    assert.equal(checkStalled(input(flat))?.verdict, 'stalled', 'no target: the accuracy cannot excuse it');
    assert.equal(checkStalled(input({ train_loss: [1, 1, 1] }, { target: target(0.5) }))?.verdict, 'stalled', 'no accuracy curve');
  });
});

describe('checkHighBias', () => {
  it('chance is 1 / the classes attribute: 2 or more whole classes', () => {
    const withClasses = (c: unknown): FrozenTrial => ({ ...trialOf(), attrs: { classes: c as number } });
    assert.equal(chanceAccuracy(withClasses(4)), 0.25);
    assert.equal(chanceAccuracy(withClasses(2)), 0.5);
    assert.equal(chanceAccuracy(withClasses(1)), null);
    assert.equal(chanceAccuracy(withClasses(2.5)), null);
    assert.equal(chanceAccuracy(withClasses('10')), null);
    assert.equal(chanceAccuracy(trialOf()), null);
  });

  it('near chance whatever the target: below chance + a tenth of the way to 1', () => {
    const two = { ...trialOf(), attrs: { classes: 2 } };
    // Chance 0.5, margin 0.5: the limit is 0.5 + 0.5 × 0.5 = 0.75.
    assert.equal(checkHighBias(input({ train_accuracy: times(0.75) }, { trial: two, t: { chanceMargin: 0.5 } })), null);
    const f = checkHighBias(input({ train_accuracy: times(0.734375) }, { trial: two, t: { chanceMargin: 0.5 } }));
    assert.equal(f?.summary, `high bias: train_accuracy 0.734 (${W}) is near chance (1/2 = 0.5)`);
    assert.deepEqual(f?.evidence, { train_accuracy: 0.734375, chance_accuracy: 0.5, chance_margin: 0.5 });
    assert.match(f?.hint ?? '', /; at chance, also check the initialisation/);
    const ten = { ...trialOf(), attrs: { classes: 10 } };
    assert.equal(checkHighBias(input({ train_accuracy: times(0.18) }, { trial: ten }))?.verdict, 'high_bias', 'limit 0.19');
    assert.equal(checkHighBias(input({ train_accuracy: times(0.2) }, { trial: ten })), null);
  });

  it('below the target is high bias, with the avoidable bias from the reference; at the target it is not', () => {
    assert.equal(checkHighBias(input({ train_accuracy: times(0.875) }, { target: target(0.875) })), null);
    const f = checkHighBias(input({ train_accuracy: times(0.75) }, { target: { value: 0.875, reference: 0.9375, source: 'the source' } }));
    assert.equal(f?.summary, `high bias: train_accuracy 0.75 (${W}) is below the target 0.875 (the source): avoidable bias 0.188`);
    assert.deepEqual(f?.evidence, { train_accuracy: 0.75, target_accuracy: 0.875, target_source: 'the source', avoidable_bias: 0.1875 });
    assert.equal(f?.hint, 'bigger network (more units or layers), train longer, less regularisation (lower L2, less dropout)');
    assert.equal(checkHighBias(input({ train_accuracy: times(0.1) })), null, 'no target and no classes: nothing to judge by');
    assert.equal(checkHighBias(input({ train_loss: [1, 1, 1] }, { target: target(0.9) })), null, 'no accuracy curve');
  });

  it('the target: diagnose.target_accuracy wins, else the study best minus the tolerance, else none', () => {
    const t = DEFAULT_THRESHOLDS;
    assert.deepEqual(accuracyTarget({ bestTrainAccuracy: 0.95, targetAccuracy: 0.8 }, t), { value: 0.8, reference: 0.8, source: 'diagnose.target_accuracy' });
    assert.deepEqual(accuracyTarget({ bestTrainAccuracy: 0.875, targetAccuracy: null }, { ...t, biasTolerance: 0.125 }), {
      value: 0.75,
      reference: 0.875,
      source: "the study's best train_accuracy 0.875 − 0.125",
    });
    assert.equal(accuracyTarget({ bestTrainAccuracy: null, targetAccuracy: null }, t), null);
  });
});

describe('checkHighVariance', () => {
  const gap = { varianceAccuracyGap: 0.125 };

  it('a train–validation accuracy gap above the limit; exactly at it is none', () => {
    assert.equal(checkHighVariance(input({ train_accuracy: times(0.75), val_accuracy: times(0.625) }, { t: gap })), null);
    const f = checkHighVariance(input({ train_accuracy: times(0.75), val_accuracy: times(0.5) }, { t: gap }));
    assert.equal(f?.summary, `high variance: train/val accuracy 0.75/0.5 (${W})`);
    assert.deepEqual(f?.evidence, { variance_reasons: 'accuracy_gap', accuracy_gap: 0.25, accuracy_gap_limit: 0.125, val_train_loss_ratio: null, val_loss_rise: null });
    assert.equal(f?.hint, 'more data, L2 regularisation, dropout, or early stopping');
    assert.equal(checkHighVariance(input({ train_accuracy: times(0.95), val_accuracy: times(0.85) }))?.verdict, 'high_variance', 'default limit 0.05');
  });

  it('without accuracies: a validation loss above 2 × and 0.1 + the training loss', () => {
    assert.equal(checkHighVariance(input({ train_loss: times(0.25), val_loss: times(0.5) })), null, 'exactly 2 ×');
    const f = checkHighVariance(input({ train_loss: times(0.25), val_loss: times(0.515625) }));
    assert.equal(f?.summary, `high variance: train/val loss 0.25/0.516 (${W})`);
    assert.equal(f?.evidence['variance_reasons'], 'loss_ratio');
    assert.equal(f?.evidence['val_train_loss_ratio'], 2.0625);
    assert.equal(f?.evidence['accuracy_gap'], null);
    assert.equal(checkHighVariance(input({ train_loss: times(0.03125), val_loss: times(0.125) })), null, '4 × but only 0.094 above');
    assert.equal(checkHighVariance(input({ train_loss: times(0.03125), val_loss: times(0.15625) }))?.verdict, 'high_variance', '5 ×, 0.125 above');
    assert.equal(checkHighVariance(input({ train_loss: times(0), val_loss: times(0.5) })), null, 'a training loss of 0 has no ratio');
  });

  it('with accuracies, the loss ratio does not count: a confident classifier is no high variance', () => {
    const m = { train_loss: times(0.0625), val_loss: times(0.5), train_accuracy: times(0.96875), val_accuracy: times(0.9375) };
    assert.equal(checkHighVariance(input(m)), null);
  });

  // A U-shaped validation loss, lowest at epoch 6, while the training loss keeps falling (to a
  // level whose ratio to the validation loss is below 2: the onset alone decides).
  const valley = Array.from({ length: 15 }, (_, e) => 0.5 + 0.01 * (e - 6) ** 2);
  const falling = Array.from({ length: 15 }, (_, e) => 0.6 + 0.5 / (e + 1));

  it('a validation loss that rose from its minimum while training kept falling: the onset epoch and the rise', () => {
    const f = checkHighVariance(input({ train_loss: falling, val_loss: valley }));
    assert.equal(f?.summary, `high variance: val_loss bottomed out at epoch 6 (0.5) then rose to 1.14 by epoch 14; train/val loss 0.636/0.997 (${W})`);
    assert.equal(f?.hint, 'more data, L2 regularisation, dropout, or early stopping at epoch 6');
    // Final level mean(0.86, 0.99, 1.14) = 0.99667 over the smoothed minimum mean(0.51, 0.5, 0.51) = 0.50667.
    assert.equal(f?.evidence['val_loss_rise'], Number((0.49 / (0.5 + 0.02 / 3)).toPrecision(6)));
    assert.equal(f?.evidence['variance_reasons'], 'onset');
    const both = checkHighVariance(input({ train_loss: falling, val_loss: valley, train_accuracy: times(1, 15), val_accuracy: times(0.75, 15) }));
    assert.equal(both?.evidence['variance_reasons'], 'accuracy_gap,onset');
    assert.match(both?.summary ?? '', /by epoch 14; train\/val accuracy 1\/0\.75 \(mean of epochs x–y\)$/);
  });

  it('the onset needs a rise above onsetMinRise, an earlier minimum, and a training loss no higher at the end', () => {
    const rise = 0.49 / (0.5 + 0.02 / 3);
    const at = (minRise: number): boolean | undefined => valleyOf(curvesOf(epochsOf({ train_loss: falling, val_loss: valley })).valLoss, curvesOf(epochsOf({ train_loss: falling })).trainLoss, { ...DEFAULT_THRESHOLDS, onsetMinRise: minRise })?.onset;
    assert.equal(at(rise - 0.001), true);
    assert.equal(at(rise + 0.001), false);
    const rising = falling.map((v, e) => (e > 10 ? 2 : v));
    assert.equal(checkHighVariance(input({ train_loss: rising, val_loss: valley })), null, 'training loss rose too: no onset');
    const flatTrain = falling.map((v, e) => (e >= 6 ? falling[6]! : v));
    assert.equal(checkHighVariance(input({ train_loss: flatTrain, val_loss: valley }))?.evidence['variance_reasons'], 'onset', 'as low at the end as at the minimum');
    const down = Array.from({ length: 15 }, (_, e) => 2 - 0.1 * e);
    assert.equal(checkHighVariance(input({ train_loss: falling, val_loss: down })), null, 'the minimum is the last epoch');
  });
});

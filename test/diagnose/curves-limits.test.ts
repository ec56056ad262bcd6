// The curve helpers the verdicts read: which metric name a curve comes from, the order of its
// points, the tail a level is the mean of, the valley of a validation loss (ties, a zero or
// negative minimum, the training loss at the minimum), and the epoch a trial's figures come from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EpochRecord, FrozenTrial } from '../../src/core/types.js';
import {
  bestTrainAccuracy,
  curveOf,
  curvesOf,
  finite,
  firstNonFinite,
  lastFinite,
  resultEpoch,
  tailMean,
  trainAccuracyLevel,
  upToResult,
  valleyOf,
  windowLabel,
  type Point,
} from '../../src/diagnose/curves.js';
import { DEFAULT_THRESHOLDS, type DiagnoseThresholds } from '../../src/diagnose/thresholds.js';
import { trialOf } from './synthetic.js';

const points = (values: number[], from = 0): Point[] => values.map((value, i) => ({ epoch: from + i, value }));
const one = (metric: string, values: number[]): EpochRecord[] => values.map((v, epoch) => ({ epoch, metrics: { [metric]: v } }));
/** No smoothing, no parabola: the valley's minimum is the raw argmin. */
const RAW: DiagnoseThresholds = { ...DEFAULT_THRESHOLDS, onsetSmoothing: 0, onsetFitEpochs: 0 };
const withBest = (best: number | string): FrozenTrial => ({ ...trialOf(), attrs: { best_epoch: best } });

describe('curveOf and curvesOf', () => {
  it('sorts a curve by epoch and leaves out the records without the metric', () => {
    const epochs: EpochRecord[] = [
      { epoch: 2, metrics: { a: 3 } },
      { epoch: 0, metrics: { a: 1 } },
      { epoch: 3, metrics: { b: 9 } },
      { epoch: 1, metrics: { a: 2 } },
    ];
    assert.deepEqual(curveOf(epochs, 'a'), points([1, 2, 3]));
    assert.deepEqual(curveOf(epochs, 'c'), []);
  });

  it('reads each standard curve under its first name found, else the next one', () => {
    const both: EpochRecord[] = [{ epoch: 0, metrics: { train_loss: 1, loss: 2, train_accuracy: 0.5, acc: 0.25, val_accuracy: 0.75, val_acc: 0.125, lr: 0.5, learning_rate: 0.25 } }];
    const c = curvesOf(both);
    assert.deepEqual(c.trainLoss, points([1]));
    assert.deepEqual(c.trainAccuracy, points([0.5]));
    assert.deepEqual(c.valAccuracy, points([0.75]));
    assert.deepEqual(c.lr, points([0.5]));
    assert.deepEqual(c.valLoss, []);
    const keras = curvesOf([{ epoch: 0, metrics: { loss: 2, acc: 0.25, val_acc: 0.125, learning_rate: 0.25, val_loss: 3 } }]);
    assert.deepEqual(keras, {
      trainLoss: points([2]),
      valLoss: points([3]),
      trainAccuracy: points([0.25]),
      valAccuracy: points([0.125]),
      lr: points([0.25]),
    });
    assert.deepEqual(curvesOf([{ epoch: 0, metrics: { accuracy: 0.5, train_acc: 0.25 } }]).trainAccuracy, points([0.5]));
    assert.deepEqual(curvesOf([{ epoch: 0, metrics: { train_acc: 0.25, acc: 0.125 } }]).trainAccuracy, points([0.25]));
  });
});

describe('finite points and the tail mean', () => {
  const curve = points([1, Number.NaN, 2, Number.POSITIVE_INFINITY, 3, 4, 5, Number.NEGATIVE_INFINITY]);

  it('keeps the finite points; the first non-finite one is the earliest', () => {
    assert.deepEqual(finite(curve).map((p) => p.value), [1, 2, 3, 4, 5]);
    assert.equal(firstNonFinite(curve)?.epoch, 1);
    assert.equal(firstNonFinite(points([1, 2])), undefined);
    assert.deepEqual(lastFinite(curve), { epoch: 6, value: 5 });
    assert.equal(lastFinite(points([Number.NaN])), undefined);
  });

  it('the mean of the last n finite values, at least one, all when the curve is shorter', () => {
    assert.equal(tailMean(curve, 2), 4.5);
    assert.equal(tailMean(curve, 3), 4);
    assert.equal(tailMean(curve, 0), 5);
    assert.equal(tailMean(curve, 9), 3);
    assert.equal(tailMean(points([Number.NaN]), 3), null);
    assert.equal(tailMean([], 3), null);
  });

  it('labels the epochs a level was taken over', () => {
    assert.equal(windowLabel(curve, 3), 'mean of epochs 4–6');
    assert.equal(windowLabel(curve, 1), 'epoch 6');
    assert.equal(windowLabel(curve, 0), 'epoch 6');
    assert.equal(windowLabel(points([Number.NaN]), 3), null);
  });
});

describe('valleyOf: the minimum and its rise', () => {
  const falling = points([5, 4, 3, 2, 1]);

  it('the earliest of equal minima; the rise over it, relative', () => {
    const v = valleyOf(points([4, 1, 1, 1, 2, 4]), falling, RAW);
    assert.equal(v?.minEpoch, 1);
    assert.equal(v?.minValue, 1);
    // Final level mean(1, 2, 4) = 7/3.
    assert.ok(Math.abs((v?.rise ?? 0) - 4 / 3) < 1e-12, String(v?.rise));
    assert.equal(v?.onset, true);
  });

  it('a minimum of zero or below: the rise is the absolute difference', () => {
    const zero = valleyOf(points([4, 0, 0, 1, 1, 1]), falling, RAW);
    assert.equal(zero?.minEpoch, 1);
    assert.equal(zero?.rise, 1);
    const negative = valleyOf(points([1, -1, 0, -0.5, -0.5, -0.5]), falling, RAW);
    assert.equal(negative?.minEpoch, 1);
    assert.equal(negative?.rise, 0.5);
  });

  it('a minimum at the last epoch is no onset, however far the curve fell', () => {
    const v = valleyOf(points([1, 5, 5, 5, 0.5]), falling, RAW);
    assert.equal(v?.minEpoch, 4);
    assert.ok((v?.rise ?? 0) > 1);
    assert.equal(v?.onset, false);
  });

  it('the smoothing half-width: whole epochs, none below zero', () => {
    const dip = points([3, 0.5, 3, 2, 1, 1, 1, 1, 2, 4]);
    assert.equal(valleyOf(dip, falling, RAW)?.minEpoch, 1);
    assert.equal(valleyOf(dip, falling, { ...RAW, onsetSmoothing: -2 })?.minEpoch, 1);
    assert.equal(valleyOf(dip, falling, { ...RAW, onsetSmoothing: 0.9 })?.minEpoch, 1);
    // Half-width 1: the windows around epochs 5 and 6 average 1; the dip's (3, 0.5, 3) 2.17.
    assert.equal(valleyOf(dip, falling, { ...RAW, onsetSmoothing: 1.5 })?.minEpoch, 5);
    // The first epochs' windows are cut at the start: epoch 0 averages (3, 0.5) = 1.75 with half-width 1.
    const start = points([0.5, 3, 2, 2, 2, 2]);
    assert.equal(valleyOf(start, falling, { ...RAW, onsetSmoothing: 1 })?.minEpoch, 0);
  });

  it('a rise of exactly onsetMinRise is no onset', () => {
    const val = points([2, 1, 1.5, 1.5, 1.5]);
    assert.equal(valleyOf(val, falling, { ...RAW, onsetMinRise: 0.5 })?.onset, false);
    assert.equal(valleyOf(val, falling, { ...RAW, onsetMinRise: 0.4375 })?.onset, true);
  });

  it('the smoothing windows stop at the last point', () => {
    // Half-width 1: the last window (2, 0.9) averages 1.45; the earliest windows 1.
    const v = valleyOf(points([1, 1, 1, 1, 2, 2, 0.9]), falling, { ...RAW, onsetSmoothing: 1 });
    assert.equal(v?.minEpoch, 0);
  });

  it('an onset needs the training loss at the end no higher than at the minimum', () => {
    const val = points([4, 2, 1, 2, 4]);
    assert.equal(valleyOf(val, points([5, 4, 3, 2, 1]), RAW)?.onset, true);
    assert.equal(valleyOf(val, points([1, 1, 1, 1, 1]), RAW)?.onset, true, 'a flat training loss kept falling');
    assert.equal(valleyOf(val, points([1, 1, 1, 2, 2]), RAW)?.onset, false);
    // The training loss at the minimum is the one of the minimum's own epoch (3), not the one before (1).
    assert.equal(valleyOf(val, points([9, 1, 3, 3, 3]), RAW)?.onset, true);
    // No training loss up to the minimum, or none at all: the rise alone decides.
    assert.equal(valleyOf(val, points([1, 5], 3), RAW)?.onset, true);
    assert.equal(valleyOf(val, [], RAW)?.onset, true);
    assert.equal(valleyOf(val, points([Number.NaN, Number.NaN, Number.NaN, 1, 5]), RAW)?.onset, true);
  });
});

describe('valleyOf: the parabola through the points around the minimum', () => {
  const fit = { ...RAW, onsetFitEpochs: 2 };
  const falling = points([9, 8, 7, 6, 5, 4, 3, 2, 1]);

  it('moves the minimum to the point nearest its vertex', () => {
    // Around epoch 4: (1, 1, 0.25, 0.5, 0.5) at epochs 2–6, the vertex at 5.05.
    const v = valleyOf(points([3, 2, 1, 1, 0.25, 0.5, 0.5, 3, 4]), falling, fit);
    assert.equal(v?.minEpoch, 5);
    assert.equal(v?.minValue, 0.5);
    assert.equal(valleyOf(points([3, 2, 1, 1, 0.25, 0.5, 0.5, 3, 4]), falling, { ...fit, onsetFitEpochs: 2.9 })?.minEpoch, 5);
    assert.equal(valleyOf(points([3, 2, 1, 1, 0.25, 0.5, 0.5, 3, 4]), falling, { ...fit, onsetFitEpochs: -1 })?.minEpoch, 4);
  });

  it('keeps the minimum when the vertex lies beyond the points fitted, on either side', () => {
    // (1, 1.25, 0.25, 1, 0.5): the vertex 3.5 epochs right of the minimum; mirrored, 3.5 left.
    assert.equal(valleyOf(points([3, 2, 1, 1.25, 0.25, 1, 0.5, 3, 4]), falling, fit)?.minEpoch, 4);
    assert.equal(valleyOf(points([4, 3, 0.5, 1, 0.25, 1.25, 1, 3, 4]), falling, fit)?.minEpoch, 4);
  });

  it('a vertex halfway between two points keeps the earlier', () => {
    assert.equal(valleyOf(points([3, 1, 1, 3]), falling, { ...RAW, onsetFitEpochs: 1 })?.minEpoch, 1);
  });
});

describe('resultEpoch and upToResult', () => {
  const epochs: EpochRecord[] = [3, 1, 5, 2].map((epoch) => ({ epoch, metrics: { train_loss: epoch } }));

  it('the stored best_epoch, else the latest epoch stored (not the last record)', () => {
    assert.deepEqual(resultEpoch(withBest(2), epochs), { epoch: 2, source: 'best_epoch' });
    assert.deepEqual(resultEpoch(withBest(4), epochs), { epoch: 5, source: 'last_epoch' });
    assert.deepEqual(resultEpoch(withBest('2'), epochs), { epoch: 5, source: 'last_epoch' });
    assert.deepEqual(resultEpoch(trialOf(), epochs), { epoch: 5, source: 'last_epoch' });
    assert.equal(resultEpoch(withBest(2), []), null);
  });

  it('keeps the epochs up to the result epoch, that one included', () => {
    assert.deepEqual(upToResult(withBest(2), epochs).map((e) => e.epoch), [1, 2]);
    assert.deepEqual(upToResult(trialOf(), epochs).map((e) => e.epoch), [3, 1, 5, 2]);
    assert.deepEqual(upToResult(trialOf(), []), []);
  });
});

describe('training-accuracy levels', () => {
  const acc = one('acc', [0.125, 0.25, 0.5, 0.75]);

  it('the mean of the last tailEpochs accuracies, under any accuracy name', () => {
    assert.equal(trainAccuracyLevel(acc), 0.5);
    assert.equal(trainAccuracyLevel(acc, { tailEpochs: 1 }), 0.75);
    assert.equal(trainAccuracyLevel(acc, {}), 0.5);
    assert.equal(trainAccuracyLevel(one('val_accuracy', [0.5])), null);
  });

  it("the study's best is the highest level, null when no trial has the curve", () => {
    const low = one('train_accuracy', [0.25, 0.25, 0.25]);
    const high = one('train_accuracy', [1, 0.5, 0.5, 0.5]);
    assert.equal(bestTrainAccuracy([low, high, one('loss', [1])]), 0.5);
    assert.equal(bestTrainAccuracy([high, low]), 0.5);
    assert.equal(bestTrainAccuracy([high], { tailEpochs: 4 }), 0.625);
    assert.equal(bestTrainAccuracy([one('loss', [1])]), null);
    assert.equal(bestTrainAccuracy([]), null);
  });
});

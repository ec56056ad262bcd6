import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_THRESHOLDS, bestTrainAccuracy, diagnoseTrial, trainAccuracyLevel } from '../../src/diagnose/index.js';
import type { EpochRecord } from '../../src/core/types.js';
import {
  argmin,
  explodingCurves,
  flatCurves,
  goodFitCurves,
  makeEpochs,
  overfitCurves,
  tinyNetCurves,
  trialOf,
} from './synthetic.js';

const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);
/** Another trial of the same study reached this training accuracy. */
const reference = { bestTrainAccuracy: 0.99, targetAccuracy: null };

describe('diagnoseTrial: the four cases of issue 5', () => {
  it('α far too high: an exploding, then non-finite loss is diverged, and the hint quotes α', () => {
    const d = diagnoseTrial({
      trial: trialOf({ params: { learning_rate: 3.5 } }),
      epochs: makeEpochs(8, explodingCurves, 0.01, 1),
      reference,
    });
    assert.equal(d.verdict, 'diverged');
    assert.match(d.hint, /lower α/);
    assert.match(d.hint, /learning_rate was 3\.5/);
    assert.match(d.summary, /^diverged: train_loss became NaN at epoch 4/);
    assert.equal(d.evidence.nonfinite_epoch, 4);
    assert.equal(d.evidence.learning_rate, 3.5);
    assert.deepEqual(JSON.parse(JSON.stringify(d)), d, 'a diagnosis survives JSON (NaN is written as a string)');
  });

  it('α far too low: a flat loss is stalled, with high bias listed too', () => {
    for (const seed of SEEDS) {
      const d = diagnoseTrial({
        trial: trialOf({ params: { learning_rate: 1e-7 } }),
        epochs: makeEpochs(20, flatCurves, 0.001, seed),
        reference,
      });
      assert.equal(d.verdict, 'stalled', `seed ${seed}: ${d.summary}`);
      assert.deepEqual(d.also, ['high_bias']);
      assert.match(d.hint, /raise α \(learning_rate was 1e-7/);
      assert.match(d.hint, /initialisation/);
      assert.ok(typeof d.evidence.stall_improvement === 'number' && d.evidence.stall_improvement < 0.01);
    }
  });

  it('a tiny network on spirals: training accuracy ~0.5 far below the study best is high bias', () => {
    for (const seed of SEEDS) {
      const d = diagnoseTrial({ trial: trialOf(), epochs: makeEpochs(30, tinyNetCurves, 0.01, seed), reference });
      assert.equal(d.verdict, 'high_bias', `seed ${seed}: ${d.summary}`);
      assert.equal(d.evidence.target_accuracy, 0.94);
      assert.match(d.summary, /^high bias: train_accuracy 0\.5\d* \(mean of epochs 27–29\) is below the target 0\.94\d* \(the study's best train_accuracy 0\.9\d* − 0\.05\): avoidable bias 0\.4\d*/);
      assert.match(d.hint, /bigger network/);
    }
  });

  it('a large unregularised net on few samples: high variance, onset within one epoch of the true minimum', () => {
    for (const bottom of [4, 7, 10]) {
      const curves = overfitCurves(bottom);
      const truth = argmin(curves.val_loss, 25);
      for (const seed of SEEDS) {
        const d = diagnoseTrial({ trial: trialOf(), epochs: makeEpochs(25, curves, 0.02, seed), reference });
        assert.equal(d.verdict, 'high_variance', `bottom ${bottom}, seed ${seed}: ${d.summary}`);
        assert.ok(d.overfitOnset !== null && Math.abs(d.overfitOnset - truth) <= 1, `onset ${d.overfitOnset} vs true minimum ${truth}`);
        assert.match(d.summary, new RegExp(`^high variance: val_loss bottomed out at epoch ${d.overfitOnset} \\(.+\\) then rose to .+ by epoch 24; train/val accuracy`));
        assert.match(d.hint, new RegExp(`early stopping at epoch ${d.overfitOnset}`));
      }
    }
  });
});

describe('diagnoseTrial: other verdicts and edge cases', () => {
  it('a healthy run is a good fit, with no onset', () => {
    for (const seed of SEEDS) {
      const d = diagnoseTrial({ trial: trialOf(), epochs: makeEpochs(20, goodFitCurves, 0.01, seed), reference: { bestTrainAccuracy: 0.95, targetAccuracy: null } });
      assert.equal(d.verdict, 'good_fit', `seed ${seed}: ${d.summary}`);
      assert.equal(d.overfitOnset, null);
      assert.deepEqual(d.also, []);
      assert.match(d.summary, /^good fit: train\/val accuracy 0\.9\d*\/0\.9\d* \(mean of epochs 17–19\); val_loss [\d.]+ at epoch 19$/);
    }
  });

  it('a finite loss rising above explodeFactor × its first value is diverged', () => {
    const epochs = makeEpochs(6, { train_loss: (e) => 1 + e, val_loss: (e) => 1 + e, train_accuracy: () => 0.3, val_accuracy: () => 0.3 }, 0, 1);
    const d = diagnoseTrial({ trial: trialOf(), epochs, reference });
    assert.equal(d.verdict, 'diverged');
    assert.equal(d.evidence.train_loss_peak_epoch, 5);
    assert.match(d.summary, /rose from 1 at epoch 0 to 6 at epoch 5 \(6× its first value, limit 3×\)/);
  });

  it('a trial ended as diverged before reporting an epoch is diverged; the lr metric stands in for α', () => {
    const d = diagnoseTrial({ trial: trialOf({ state: 'diverged', error: 'loss is NaN' }), epochs: [], reference });
    assert.equal(d.verdict, 'diverged');
    assert.match(d.summary, /loss is NaN/);
    const withLr = diagnoseTrial({ trial: trialOf({ state: 'diverged' }), epochs: [{ epoch: 0, metrics: { lr: 0.5 } }], reference });
    assert.match(withLr.hint, /lr was 0\.5/);
  });

  it('too few epochs, or a failed trial without curves, is unknown', () => {
    const short = diagnoseTrial({ trial: trialOf(), epochs: makeEpochs(2, goodFitCurves, 0, 1), reference });
    assert.equal(short.verdict, 'unknown');
    assert.match(short.summary, /2 epoch\(s\) with a finite train_loss, 3 needed/);
    const failed = diagnoseTrial({ trial: trialOf({ state: 'failed', error: 'out of memory' }), epochs: [], reference });
    assert.equal(failed.verdict, 'unknown');
    assert.match(failed.summary, /failed without curves \(out of memory\)/);
  });

  it('without a validation curve a healthy run is unknown, not a good fit', () => {
    const epochs = makeEpochs(10, { train_loss: goodFitCurves.train_loss, train_accuracy: goodFitCurves.train_accuracy }, 0, 1);
    assert.equal(diagnoseTrial({ trial: trialOf(), epochs, reference: { bestTrainAccuracy: null, targetAccuracy: null } }).verdict, 'unknown');
  });

  it('a trial both under- and over-fitting reports high bias first and high variance in `also`', () => {
    const curves = { ...overfitCurves(6), train_accuracy: () => 0.8, val_accuracy: () => 0.6 };
    const d = diagnoseTrial({ trial: trialOf(), epochs: makeEpochs(20, curves, 0, 1), reference: { bestTrainAccuracy: null, targetAccuracy: 0.95 } });
    assert.equal(d.verdict, 'high_bias');
    assert.deepEqual(d.also, ['high_variance']);
    assert.match(d.summary, /\(diagnose\.target_accuracy\): avoidable bias 0\.15 \(also high variance\)$/);
    const val = curves.val_loss;
    assert.ok(d.overfitOnset !== null && Math.abs(d.overfitOnset - argmin(val, 20)) <= 1);
  });

  it('a flat loss is no stall when the network already fits (converged in its first epoch, strong L2)', () => {
    const epochs = makeEpochs(10, { train_loss: () => 0.3, val_loss: () => 0.31, train_accuracy: () => 1, val_accuracy: () => 0.99 }, 0, 1);
    assert.equal(diagnoseTrial({ trial: trialOf(), epochs, reference }).verdict, 'good_fit');
  });

  it('a loss that rises a little in the first epochs is no stall (raising α would not help)', () => {
    const epochs = makeEpochs(10, { ...tinyNetCurves, train_loss: (e) => 0.7 + 0.02 * e }, 0, 1);
    const d = diagnoseTrial({ trial: trialOf(), epochs, reference });
    assert.equal(d.verdict, 'high_bias');
    assert.ok(!d.also.includes('stalled'));
  });

  it('an accuracy gap alone (no loss excess, no onset) is high variance', () => {
    const curves = { ...goodFitCurves, val_accuracy: (e: number) => 0.85 - 0.75 * Math.exp(-e / 3) };
    const d = diagnoseTrial({ trial: trialOf(), epochs: makeEpochs(20, curves, 0, 1), reference: { bestTrainAccuracy: 0.95, targetAccuracy: null } });
    assert.equal(d.verdict, 'high_variance');
    assert.equal(d.evidence.variance_reasons, 'accuracy_gap');
    assert.equal(d.overfitOnset, null);
    assert.match(d.summary, /^high variance: train\/val accuracy 0\.948\/0\.848 \(mean of epochs 17–19\)$/);
  });

  it('without accuracy curves, a validation loss far above the training loss is high variance', () => {
    const epochs = makeEpochs(10, { train_loss: (e) => 0.05 + Math.exp(-e), val_loss: (e) => 0.6 + Math.exp(-e) }, 0, 1);
    const d = diagnoseTrial({ trial: trialOf(), epochs, reference: { bestTrainAccuracy: null, targetAccuracy: null } });
    assert.equal(d.verdict, 'high_variance');
    assert.equal(d.evidence.variance_reasons, 'loss_ratio');
  });
});

describe('diagnoseTrial: threshold overrides', () => {
  const good = makeEpochs(20, goodFitCurves, 0, 1);
  const ref = { bestTrainAccuracy: 0.95, targetAccuracy: null };

  it('a tighter accuracy gap turns a good fit into high variance', () => {
    assert.equal(diagnoseTrial({ trial: trialOf(), epochs: good, reference: ref }).verdict, 'good_fit');
    assert.equal(diagnoseTrial({ trial: trialOf(), epochs: good, reference: ref }, { varianceAccuracyGap: 0.01 }).verdict, 'high_variance');
  });

  it('a target accuracy above the run turns a good fit into high bias; a looser tolerance the other way', () => {
    assert.equal(diagnoseTrial({ trial: trialOf(), epochs: good, reference: { bestTrainAccuracy: null, targetAccuracy: 0.99 } }).verdict, 'high_bias');
    const tiny = makeEpochs(30, tinyNetCurves, 0, 1);
    assert.equal(diagnoseTrial({ trial: trialOf(), epochs: tiny, reference }, { biasTolerance: 0.6 }).verdict, 'good_fit');
  });

  it('a larger stall fraction calls the slowly improving tiny network stalled', () => {
    const tiny = makeEpochs(30, tinyNetCurves, 0, 1);
    assert.equal(diagnoseTrial({ trial: trialOf(), epochs: tiny, reference }).verdict, 'high_bias');
    assert.equal(diagnoseTrial({ trial: trialOf(), epochs: tiny, reference }, { stallImprovement: 0.2 }).verdict, 'stalled');
  });

  it('a larger explode factor tolerates a rising finite loss', () => {
    const rising = makeEpochs(6, { train_loss: (e) => 1 + e, val_loss: (e) => 1 + e }, 0, 1);
    const d = diagnoseTrial({ trial: trialOf(), epochs: rising, reference }, { explodeFactor: 10 });
    assert.notEqual(d.verdict, 'diverged');
  });

  it('more required epochs make a short run unknown', () => {
    assert.equal(diagnoseTrial({ trial: trialOf(), epochs: good, reference: ref }, { minEpochs: 21 }).verdict, 'unknown');
    assert.equal(DEFAULT_THRESHOLDS.minEpochs, 3, 'overrides do not change the defaults');
  });
});

describe('reference accuracy helpers', () => {
  it('measure training accuracy as the tail mean, and take the best over trials', () => {
    const a: EpochRecord[] = [0.5, 0.7, 0.8, 0.9].map((v, epoch) => ({ epoch, metrics: { train_accuracy: v } }));
    const b: EpochRecord[] = [{ epoch: 0, metrics: { train_accuracy: 0.6 } }];
    assert.ok(Math.abs((trainAccuracyLevel(a) ?? 0) - 0.8) < 1e-12);
    assert.equal(trainAccuracyLevel(a, { tailEpochs: 1 }), 0.9);
    assert.ok(Math.abs((bestTrainAccuracy([a, b, []]) ?? 0) - 0.8) < 1e-12);
    assert.equal(bestTrainAccuracy([[]]), null);
  });
});

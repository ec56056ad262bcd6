// Each pruning rule's decisions on hand-made curves.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HalvingTerminate, HyperbandTerminate, MedianTerminate } from '../../src/core/spec.js';
import type { TrialState } from '../../src/core/types.js';
import { StudyCurves } from '../../src/prune/curves.js';
import { halvingPruner } from '../../src/prune/halving.js';
import { bracketCount, bracketOf, bracketWeights, HyperbandPruner } from '../../src/prune/hyperband.js';
import { median } from '../../src/core/median.js';
import { MedianPruner } from '../../src/prune/median.js';
import { promotion, rungAt } from '../../src/prune/rungs.js';

const METRIC = 'val_accuracy';

/** Curves of trials 0… from [state, values by epoch]. */
function curves(...trials: [TrialState, number[]][]): StudyCurves {
  const c = new StudyCurves(METRIC);
  trials.forEach(([state, values], n) => c.set(n, state, values.map((v, epoch) => ({ epoch, metrics: { [METRIC]: v } }))));
  return c;
}

const MEDIAN: MedianTerminate = { type: 'median', metric: METRIC, restore_best: false, n_startup_trials: 2, n_warmup_steps: 0, interval_steps: 1, n_min_trials: 1, include_running: false };

describe('median rule', () => {
  const done: [TrialState, number[]][] = [
    ['complete', [0.5, 0.7, 0.9]],
    ['complete', [0.3, 0.5, 0.7]],
    ['complete', [0.1, 0.3, 0.5]],
  ];

  it('interpolates the median like numpy', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
  });

  it('prunes a best-so-far below the median of the complete trials, with the numbers', () => {
    const c = curves(...done, ['running', [0.2, 0.4]]);
    const d = new MedianPruner(MEDIAN, false).prune(c, 3, 1);
    assert.deepEqual(d, { stop: true, state: 'pruned', reason: 'median rule, epoch 1: val_accuracy 0.4 < median 0.5 of 3 trials' });
    // At epoch 0 its 0.2 < median 0.3 too; at its epoch 1, 0.5 would tie: a tie continues.
    assert.equal(new MedianPruner(MEDIAN, false).prune(c, 3, 0).stop, true);
    const tie = curves(...done, ['running', [0.3, 0.5]]);
    assert.equal(new MedianPruner(MEDIAN, false).prune(tie, 3, 1).stop, false);
  });

  it('uses the best value so far, and the direction', () => {
    const c = curves(...done, ['running', [0.6, 0.2]]);
    assert.equal(new MedianPruner(MEDIAN, false).prune(c, 3, 1).stop, false, 'best so far 0.6 ≥ median 0.5');
    const losses = curves(...done, ['running', [0.4, 0.6]]);
    assert.equal(new MedianPruner(MEDIAN, true).prune(losses, 3, 1).stop, false, 'minimising: best 0.4 < median 0.5');
    assert.equal(new MedianPruner(MEDIAN, true).prune(curves(...done, ['running', [0.6]]), 3, 0).stop, true);
  });

  it('waits for n_startup_trials complete trials; pruned and running ones do not count', () => {
    const c = curves(['complete', [0.9]], ['pruned', [0.9]], ['running', [0.9]], ['running', [0.1]]);
    assert.equal(new MedianPruner(MEDIAN, false).prune(c, 3, 0).stop, false);
    assert.equal(new MedianPruner({ ...MEDIAN, n_startup_trials: 1 }, false).prune(c, 3, 0).stop, true);
  });

  it('honours n_warmup_steps, interval_steps and n_min_trials', () => {
    const c = curves(...done, ['running', [0, 0, 0]]);
    assert.equal(new MedianPruner({ ...MEDIAN, n_warmup_steps: 1 }, false).prune(c, 3, 0).stop, false);
    assert.equal(new MedianPruner({ ...MEDIAN, n_warmup_steps: 1 }, false).prune(c, 3, 1).stop, true);
    assert.equal(new MedianPruner({ ...MEDIAN, interval_steps: 2 }, false).prune(c, 3, 1).stop, false);
    assert.equal(new MedianPruner({ ...MEDIAN, interval_steps: 2 }, false).prune(c, 3, 2).stop, true);
    // Only two complete trials reached epoch 2 here.
    const short = curves(['complete', [0.9, 0.9, 0.9]], ['complete', [0.9, 0.9, 0.9]], ['complete', [0.9]], ['running', [0, 0, 0]]);
    assert.equal(new MedianPruner({ ...MEDIAN, n_min_trials: 3 }, false).prune(short, 3, 2).stop, false);
    assert.equal(new MedianPruner({ ...MEDIAN, n_min_trials: 2 }, false).prune(short, 3, 2).stop, true);
  });

  it('with include_running, running trials that reached the epoch join the population, pruned ones never', () => {
    // Complete: 0.3 and 0.5 at epoch 1 (median 0.4); the trial judged has 0.45.
    const c = curves(['complete', [0.1, 0.3]], ['complete', [0.2, 0.5]], ['running', [0.8, 0.9]], ['pruned', [0.9, 0.95]], ['running', [0.9]], ['running', [0.2, 0.45]]);
    const plain = new MedianPruner(MEDIAN, false).prune(c, 5, 1);
    assert.equal(plain.stop, false, 'complete only: 0.45 ≥ median 0.4');
    const aware = new MedianPruner({ ...MEDIAN, include_running: true }, false).prune(c, 5, 1);
    // Population: 0.3, 0.5 and running trial 2's 0.9 (trial 4 has not reached epoch 1; trial 3 is pruned).
    assert.deepEqual(aware, { stop: true, state: 'pruned', reason: 'median rule, epoch 1: val_accuracy 0.45 < median 0.5 of 3 trials, 1 of them running' });
    // The start-up count is still over complete trials: with 3 required, nothing is pruned.
    assert.equal(new MedianPruner({ ...MEDIAN, include_running: true, n_startup_trials: 3 }, false).prune(c, 5, 1).stop, false);
  });

  it('prunes a trial whose values are all NaN, and leaves NaN out of the median', () => {
    const nan = curves(...done, ['running', [Number.NaN]]);
    const d = new MedianPruner(MEDIAN, false).prune(nan, 3, 0);
    assert.deepEqual(d, { stop: true, state: 'pruned', reason: 'median rule, epoch 0: val_accuracy is NaN' });
    const others = curves(['complete', [Number.NaN]], ['complete', [0.2]], ['complete', [0.4]], ['running', [0.35]]);
    assert.equal(new MedianPruner(MEDIAN, false).prune(others, 3, 0).stop, false, 'median of 0.2 and 0.4 is 0.3');
    const allNaN = curves(['complete', [Number.NaN]], ['complete', [Number.NaN]], ['running', [0.1]]);
    assert.equal(new MedianPruner(MEDIAN, false).prune(allNaN, 2, 0).stop, false);
  });
});

const SHA: HalvingTerminate = { type: 'successive_halving', metric: METRIC, restore_best: false, min_resource: 1, reduction_factor: 3, min_early_stopping_rate: 0 };

describe('successive halving', () => {
  it('finds rungs at min_resource · η^(rate + k) epochs', () => {
    assert.deepEqual([1, 2, 3, 4, 9, 27, 28].map((r) => rungAt(r, 1, 3, 0)), [0, null, 1, null, 2, 3, null]);
    assert.deepEqual([1, 2, 6, 18].map((r) => rungAt(r, 2, 3, 1)), [null, null, 0, 1]);
  });

  it('keeps the top ⌊n/η⌋, the best alone while fewer than η reached the rung; ties continue', () => {
    assert.deepEqual(promotion(0.5, [0.5], 3, false), { keep: 1, threshold: 0.5, promoted: true });
    assert.equal(promotion(0.4, [0.5, 0.4], 3, false).promoted, false);
    const six = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    assert.deepEqual(promotion(0.5, six, 3, false), { keep: 2, threshold: 0.5, promoted: true });
    assert.equal(promotion(0.4, six, 3, false).promoted, false);
    assert.equal(promotion(0.2, six, 3, true).promoted, true);
    assert.equal(promotion(Number.NaN, [Number.NaN], 3, false).promoted, false);
    assert.equal(promotion(0.1, [Number.NaN, Number.NaN, 0.1], 3, false).promoted, true, 'NaN ranks last');
  });

  it('prunes at a rung against every trial that reached it, whatever its state', () => {
    // Epoch 2 is rung 1 (3 epochs): 6 trials there with the one judged.
    const c = curves(
      ['complete', [0.5, 0.6, 0.9]],
      ['pruned', [0.5, 0.6, 0.8]],
      ['running', [0.5, 0.6, 0.2]],
      ['complete', [0.5, 0.6, 0.3]],
      ['complete', [0.5, 0.6, 0.4]],
      ['running', [0.5, 0.6, 0.7]],
    );
    const d = halvingPruner(SHA, false).prune(c, 5, 2);
    assert.deepEqual(d, {
      stop: true,
      state: 'pruned',
      reason: 'successive halving, epoch 2 (rung 1, 3 epochs): val_accuracy 0.7 is not in the top 2 of 6 trials there (needs ≥ 0.8)',
    });
    assert.equal(halvingPruner(SHA, false).prune(c, 1, 2).stop, false, '0.8 is second of six');
    assert.equal(halvingPruner(SHA, false).prune(c, 5, 1).stop, false, 'epoch 1 (2 epochs) is no rung');
  });
});

describe('hyperband', () => {
  const HB: HyperbandTerminate = { type: 'hyperband', metric: METRIC, restore_best: false, min_resource: 1, max_resource: 9, reduction_factor: 3, brackets: null };

  it('has ⌊log_η(max/min)⌋ + 1 brackets at most, weighted like Hyperband', () => {
    assert.equal(bracketCount(HB), 3);
    assert.equal(bracketCount({ ...HB, brackets: 2 }), 2);
    assert.equal(bracketCount({ ...HB, max_resource: 27 }), 4);
    assert.deepEqual(bracketWeights(3, 3), [9, 5, 3]);
    assert.deepEqual([0, 0.52, 0.53, 0.99].map((u) => bracketOf(u, [9, 5, 3])), [0, 0, 1, 2]);
  });

  it('stops trials, and only against trials of the same bracket', () => {
    // Trials 0 and 1 in bracket 0 (cuts at 1 and 3 epochs), trial 2 in bracket 2 (no cut below 9).
    const draws = [0.1, 0.2, 0.99, 0.3];
    const hb = new HyperbandPruner(HB, false, (n) => draws[n] ?? 0);
    const c = curves(['complete', [0.9, 0.9, 0.9]], ['running', [0.2]], ['complete', [0.1, 0.1, 0.1]]);
    const d = hb.prune(c, 1, 0);
    assert.equal(d.stop, true);
    assert.match(d.stop ? d.reason : '', /^hyperband bracket 0, epoch 0 \(rung 0, 1 epochs\): val_accuracy 0.2 is not in the top 1 of 2 trials/);
    assert.equal(hb.prune(c, 2, 0).stop, false, 'bracket 2 has no rung at 1 epoch');
    assert.equal(hb.bracket(2), 2);
  });

  it('does not cut at max_resource (the end of training)', () => {
    const hb = new HyperbandPruner({ ...HB, max_resource: 3 }, false, () => 0);
    const c = curves(['complete', [0.9, 0.9, 0.9]], ['running', [0.9, 0.9, 0.1]]);
    assert.equal(hb.prune(c, 1, 2).stop, false);
  });
});

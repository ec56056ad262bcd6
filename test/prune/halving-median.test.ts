// Successive halving and the median rule at their edges: rates, NaN, warm-up grids, the trial's own row.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HalvingTerminate, MedianTerminate } from '../../src/core/spec.js';
import type { TrialState } from '../../src/core/types.js';
import { StudyCurves } from '../../src/prune/curves.js';
import { halvingPruner } from '../../src/prune/halving.js';
import { median } from '../../src/core/median.js';
import { MedianPruner } from '../../src/prune/median.js';
import { promotion, rungAt } from '../../src/prune/rungs.js';

const METRIC = 'val_accuracy';

function curves(...trials: [TrialState, number[]][]): StudyCurves {
  const c = new StudyCurves(METRIC);
  trials.forEach(([state, values], n) => c.set(n, state, values.map((v, epoch) => ({ epoch, metrics: { [METRIC]: v } }))));
  return c;
}

/** Epochs (0-based) at which trial 1 of `c` is stopped. */
function stops(prune: (epoch: number) => boolean, epochs: number): number[] {
  return Array.from({ length: epochs }, (_, e) => e).filter(prune);
}

const SHA: HalvingTerminate = { type: 'successive_halving', metric: METRIC, restore_best: false, min_resource: 1, reduction_factor: 3, min_early_stopping_rate: 0 };

describe('successive halving at its edges', () => {
  const c = curves(['complete', Array<number>(27).fill(0.9)], ['running', Array<number>(27).fill(0.1)]);

  it('cuts at min_resource · η^(rate + k) epochs', () => {
    assert.deepEqual(stops((e) => halvingPruner(SHA, false).prune(c, 1, e).stop, 27), [0, 2, 8, 26], '1, 3, 9, 27 epochs');
    assert.deepEqual(stops((e) => halvingPruner({ ...SHA, min_early_stopping_rate: 1 }, false).prune(c, 1, e).stop, 27), [2, 8, 26]);
    assert.deepEqual(stops((e) => halvingPruner({ ...SHA, min_resource: 2, reduction_factor: 2 }, false).prune(c, 1, e).stop, 20), [1, 3, 7, 15]);
    assert.deepEqual(stops((e) => halvingPruner(SHA, true).prune(c, 1, e).stop, 27), [], 'minimising, 0.1 is the best');
  });

  it('says NaN plainly, and leaves a trial without the value at the rung alone', () => {
    const nan = curves(['complete', [0.5]], ['running', [Number.NaN]]);
    assert.deepEqual(halvingPruner(SHA, false).prune(nan, 1, 0), { stop: true, state: 'pruned', reason: 'successive halving, epoch 0 (rung 0, 1 epochs): val_accuracy is NaN' });
    const missing = new StudyCurves(METRIC);
    missing.set(0, 'complete', [{ epoch: 0, metrics: { [METRIC]: 0.9 } }]);
    missing.set(1, 'running', [{ epoch: 0, metrics: {} }]);
    assert.deepEqual(halvingPruner(SHA, false).prune(missing, 1, 0), { stop: false });
  });

  it('counts only trials with a value at the rung', () => {
    // Trial 2 stopped before epoch 2: two trials reached 3 epochs, so the best alone goes on.
    const d = halvingPruner(SHA, false).prune(curves(['complete', [0.5, 0.5, 0.9]], ['running', [0.5, 0.5, 0.3]], ['pruned', [0.5]]), 1, 2);
    assert.match(d.stop ? d.reason : '', /top 1 of 2 trials there \(needs ≥ 0\.9\)$/);
  });

  it('finds no rung between rungs or below the first', () => {
    assert.equal(rungAt(0, 1, 3, 0), null);
    assert.equal(rungAt(3, 3, 3, 0), 0);
    assert.equal(rungAt(8, 2, 2, 0), 2);
    assert.equal(rungAt(5, 1, 2, 0), null);
  });

  it('keeps ⌊n/η⌋ of n, and ranks NaN last in both directions', () => {
    const nine = [9, 8, 7, 6, 5, 4, 3, 2, 1];
    assert.deepEqual(promotion(7, nine, 3, false), { keep: 3, threshold: 7, promoted: true });
    assert.deepEqual(promotion(6, nine, 3, false), { keep: 3, threshold: 7, promoted: false });
    assert.deepEqual(promotion(3, nine, 3, true), { keep: 3, threshold: 3, promoted: true });
    assert.deepEqual(promotion(4, nine, 3, true), { keep: 3, threshold: 3, promoted: false });
    assert.deepEqual(promotion(5, [Number.NaN, 5, Number.NaN], 3, true), { keep: 1, threshold: 5, promoted: true });
    assert.deepEqual(promotion(Number.NaN, [Number.NaN, Number.NaN], 2, true), { keep: 1, threshold: Infinity, promoted: false });
    assert.deepEqual(promotion(Number.NaN, [Number.NaN], 2, false), { keep: 1, threshold: -Infinity, promoted: false });
    assert.equal(promotion(-Infinity, [-Infinity, 1], 2, false).promoted, false, 'an infinitely bad value is not the best');
  });
});

const MEDIAN: MedianTerminate = { type: 'median', metric: METRIC, restore_best: false, n_startup_trials: 1, n_warmup_steps: 0, interval_steps: 1, n_min_trials: 1, include_running: false };

describe('median rule at its edges', () => {
  it('interpolates between the middle values', () => {
    assert.equal(median([5]), 5);
    assert.equal(median([1, 2]), 1.5);
    assert.equal(median([10, 0, 1, 2]), 1.5);
    assert.equal(median([0, 4, 1, 3, 2, 100]), 2.5);
  });

  it('judges on the grid epoch n_warmup_steps + k · interval_steps', () => {
    const c = curves(['complete', Array<number>(8).fill(0.9)], ['running', Array<number>(8).fill(0.1)]);
    assert.deepEqual(stops((e) => new MedianPruner({ ...MEDIAN, n_warmup_steps: 1, interval_steps: 3 }, false).prune(c, 1, e).stop, 8), [1, 4, 7]);
    assert.deepEqual(stops((e) => new MedianPruner({ ...MEDIAN, n_warmup_steps: 2, interval_steps: 2 }, false).prune(c, 1, e).stop, 8), [2, 4, 6]);
  });

  it("does not count the judged trial's own row among the complete trials", () => {
    const c = curves(['complete', [0.9]], ['complete', [0.1]]);
    assert.equal(new MedianPruner({ ...MEDIAN, n_startup_trials: 2 }, false).prune(c, 1, 0).stop, false, 'one other complete trial');
    assert.equal(new MedianPruner(MEDIAN, false).prune(c, 1, 0).stop, true);
  });

  it('counts only the numbers in the median, and lets a tie go on when minimising too', () => {
    const c = curves(['complete', [0.5]], ['complete', [Number.NaN]], ['running', [0.25]]);
    const d = new MedianPruner(MEDIAN, false).prune(c, 2, 0);
    assert.equal(d.stop ? d.reason : '', 'median rule, epoch 0: val_accuracy 0.25 < median 0.5 of 1 trials');
    const tie = curves(['complete', [0.25]], ['complete', [0.75]], ['running', [0.5]]);
    assert.equal(new MedianPruner(MEDIAN, true).prune(tie, 2, 0).stop, false, 'minimising: 0.5 ties the median 0.5');
  });

  it('leaves a trial that has reported nothing alone', () => {
    const c = curves(['complete', [0.9]]);
    c.start(1);
    assert.deepEqual(new MedianPruner(MEDIAN, false).prune(c, 1, 0), { stop: false });
  });

  it('shows figures with 4 significant digits in the reason', () => {
    const c = curves(['complete', [0.987654]], ['running', [0.123456]]);
    const d = new MedianPruner(MEDIAN, false).prune(c, 1, 0);
    assert.equal(d.stop ? d.reason : '', 'median rule, epoch 0: val_accuracy 0.1235 < median 0.9877 of 1 trials');
    const losses = curves(['complete', [0.25]], ['running', [0.5]]);
    const l = new MedianPruner({ ...MEDIAN, metric: METRIC }, true).prune(losses, 1, 0);
    assert.equal(l.stop ? l.reason : '', 'median rule, epoch 0: val_accuracy 0.5 > median 0.25 of 1 trials');
  });
});

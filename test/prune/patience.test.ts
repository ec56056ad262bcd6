// Early stopping (early_terminate: { type: patience }) on a trial's own curve, epoch by epoch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PatienceTerminate } from '../../src/core/spec.js';
import type { StopDecision } from '../../src/prune/decision.js';
import { PatienceRule } from '../../src/prune/patience.js';

const LOSS: PatienceTerminate = { type: 'patience', metric: 'val_loss', restore_best: false, patience: 2, min_delta: 0 };

/** The decisions of a fresh rule over `values` (epochs 0, 1, …; undefined: the epoch lacks the metric). */
function run(config: PatienceTerminate, values: (number | undefined)[], minimize?: boolean): StopDecision[] {
  const rule = new PatienceRule(config, minimize);
  return values.map((v, epoch) => rule.observe({ epoch, metrics: v === undefined ? { train_loss: 1 } : { [config.metric]: v } }));
}

/** The epoch the rule stops at, or null. */
function stopsAt(config: PatienceTerminate, values: (number | undefined)[], minimize?: boolean): number | null {
  const i = run(config, values, minimize).findIndex((d) => d.stop);
  return i < 0 ? null : i;
}

describe('patience', () => {
  it('stops `patience` epochs after the best, as complete, with the best and its epoch', () => {
    const d = run(LOSS, [0.9, 0.5, 0.6, 0.7]);
    assert.deepEqual(d.slice(0, 3).map((x) => x.stop), [false, false, false]);
    assert.deepEqual(d[3], {
      stop: true,
      state: 'complete',
      reason: 'early stopping: val_loss has not improved for 2 epochs (best 0.5000 at epoch 1)',
    });
    assert.equal(stopsAt({ ...LOSS, patience: 1 }, [0.9, 0.5, 0.6]), 2);
    assert.equal(stopsAt({ ...LOSS, patience: 3 }, [0.9, 0.5, 0.6, 0.7, 0.8]), 4);
  });

  it('restarts the count at every improvement', () => {
    assert.equal(stopsAt(LOSS, [0.9, 0.95, 0.8, 0.85, 0.7, 0.75, 0.76]), 6);
    assert.equal(stopsAt(LOSS, [1, 0.9, 0.8, 0.7, 0.6, 0.5]), null);
  });

  it('counts an improvement only when it beats the best by more than min_delta', () => {
    const delta = { ...LOSS, min_delta: 0.1 };
    // 0.95 and 0.91 are within 0.1 of 1: the best stays 1 at epoch 0.
    assert.equal(stopsAt(delta, [1, 0.95, 0.91]), 2);
    // 0.8 beats 1 by 0.2: best 0.8 at epoch 1, then 0.75 and 0.71 are within 0.1 of it.
    const d = run(delta, [1, 0.8, 0.75, 0.71]);
    assert.deepEqual(d.map((x) => x.stop), [false, false, false, true]);
    assert.match(d[3]?.stop === true ? d[3].reason : '', /\(best 0\.8000 at epoch 1\)$/);
    // Exactly min_delta better is no improvement (0.5 and 0.25 are exact in binary).
    assert.equal(stopsAt({ ...LOSS, min_delta: 0.25 }, [1, 0.75, 0.8]), 2);
    assert.equal(stopsAt({ ...LOSS, min_delta: 0.25 }, [1, 0.74, 0.8]), null);
  });

  it('follows the metric: higher is better for an accuracy', () => {
    const acc: PatienceTerminate = { ...LOSS, metric: 'val_accuracy' };
    assert.equal(stopsAt(acc, [0.5, 0.6, 0.7, 0.8]), null);
    assert.equal(stopsAt(acc, [0.5, 0.9, 0.8, 0.7]), 3);
    assert.equal(stopsAt({ ...acc, min_delta: 0.25 }, [0.5, 0.75, 0.7]), 2, '0.75 is exactly min_delta better: no improvement');
    assert.equal(stopsAt({ ...acc, min_delta: 0.25 }, [0.5, 0.76, 0.7]), null);
  });

  it('follows the goal it is given over the name', () => {
    // A study minimising `val_score`: falling values improve.
    const score: PatienceTerminate = { ...LOSS, metric: 'val_score' };
    assert.equal(stopsAt(score, [0.9, 0.8, 0.7, 0.6], true), null);
    assert.equal(stopsAt(score, [0.9, 0.8, 0.7, 0.6], false), 2);
    assert.equal(stopsAt(score, [0.9, 0.8, 0.7, 0.6]), 2, 'by its name, a score is maximised');
  });

  it('skips epochs without the metric or with NaN: they neither improve nor count as a value', () => {
    // NaN at epoch 1 does not become the best; the count still runs by epoch number.
    const d = run(LOSS, [0.5, Number.NaN, undefined, 0.6]);
    assert.deepEqual(d.map((x) => x.stop), [false, false, false, true]);
    assert.match(d[3]?.stop === true ? d[3].reason : '', /\(best 0\.5000 at epoch 0\)$/);
    // A curve that starts with NaN takes its first number as the best.
    assert.equal(stopsAt(LOSS, [Number.NaN, 0.5, 0.4, 0.45, 0.46]), 4);
    assert.equal(stopsAt(LOSS, [undefined, undefined, undefined]), null, 'nothing reported: never stops');
  });
});

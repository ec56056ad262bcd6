// The study's curves pruners read: fed epoch by epoch and trial by trial.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StudyCurves } from '../../src/prune/curves.js';

describe('study curves', () => {
  it('keeps only the watched metric, by epoch', () => {
    const c = new StudyCurves('val_loss');
    c.set(0, 'complete', [
      { epoch: 0, metrics: { val_loss: 0.5, train_loss: 0.1 } },
      { epoch: 1, metrics: { train_loss: 0.05 } },
      { epoch: 2, metrics: { val_loss: 0.25 } },
    ]);
    assert.equal(c.valueAt(0, 0), 0.5);
    assert.equal(c.valueAt(0, 1), undefined);
    assert.equal(c.valueAt(0, 2), 0.25);
    assert.equal(c.valueAt(9, 0), undefined, 'unknown trial');
    assert.equal(c.length(0), 2);
    assert.equal(c.length(9), 0);
    assert.equal(c.stateOf(0), 'complete');
    assert.equal(c.stateOf(9), undefined);
  });

  it('records epochs as they come, a trial it has not seen starting as running', () => {
    const c = new StudyCurves('val_loss');
    c.record(4, { epoch: 0, metrics: { val_loss: 1 } });
    c.record(4, { epoch: 1, metrics: { train_loss: 1 } });
    c.record(5, { epoch: 0, metrics: { train_loss: 1 } });
    assert.equal(c.stateOf(4), 'running');
    assert.equal(c.stateOf(5), undefined, 'an epoch without the metric adds no trial');
    assert.equal(c.length(4), 1);
    c.record(4, { epoch: 1, metrics: { val_loss: 0.5 } });
    assert.equal(c.valueAt(4, 1), 0.5);
    assert.equal(c.valueAt(4, 0), 1, 'a later epoch adds to the curve');
    c.finish(4, 'pruned');
    assert.equal(c.stateOf(4), 'pruned');
    assert.equal(c.valueAt(4, 1), 0.5, 'finishing keeps the curve');
    c.finish(6, 'complete');
    assert.deepEqual([c.stateOf(6), c.length(6)], ['complete', 0]);
    c.start(4);
    assert.deepEqual([c.stateOf(4), c.length(4)], ['running', 0], 'a restart begins a new curve');
  });

  it('lists trial numbers ascending, by state', () => {
    const c = new StudyCurves('val_loss');
    for (const [n, state] of [[7, 'complete'], [2, 'running'], [10, 'complete'], [1, 'pruned']] as const) c.finish(n, state);
    assert.deepEqual(c.numbers(), [1, 2, 7, 10]);
    assert.deepEqual(c.numbers('complete'), [7, 10]);
    assert.deepEqual(c.numbers('failed'), []);
  });

  it('gives the best value up to an epoch in either direction, skipping NaN', () => {
    const c = new StudyCurves('m');
    c.set(0, 'running', [0.5, Number.NaN, 0.2, 0.9, 0.1].map((m, epoch) => ({ epoch, metrics: { m } })));
    assert.deepEqual([0, 1, 2, 3, 4].map((e) => c.bestUpTo(0, e, true)), [0.5, 0.5, 0.2, 0.2, 0.1]);
    assert.deepEqual([0, 1, 2, 3, 4].map((e) => c.bestUpTo(0, e, false)), [0.5, 0.5, 0.5, 0.9, 0.9]);
    c.set(1, 'running', [Number.NaN, Number.NaN, 0.3].map((m, epoch) => ({ epoch, metrics: { m } })));
    assert.ok(Number.isNaN(c.bestUpTo(1, 1, true)), 'only NaN so far');
    assert.equal(c.bestUpTo(1, 2, true), 0.3, 'the first number after NaN');
    assert.equal(c.bestUpTo(9, 2, true), undefined);
    c.set(2, 'running', [{ epoch: 3, metrics: { m: 1 } }]);
    assert.equal(c.bestUpTo(2, 2, true), undefined, 'nothing reported up to the epoch');
  });
});

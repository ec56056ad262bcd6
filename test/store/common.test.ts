/** The rules every storage shares (store/common.ts): each at its boundary, with its exact error. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFoundError } from '../../src/core/errors.js';
import { TRIAL_STATES } from '../../src/core/types.js';
import type { TrialState } from '../../src/core/types.js';
import {
  assertMutable,
  assertOwner,
  bestValue,
  checkEpochs,
  emptyCounts,
  nowIso,
  studyNotFound,
  trialNotFound,
} from '../../src/store/common.js';
import { TrialFinishedError, TrialOwnershipError } from '../../src/store/errors.js';

const FINISHED: TrialState[] = ['complete', 'pruned', 'diverged', 'failed'];
const UNFINISHED: TrialState[] = ['waiting', 'running', 'interrupted'];

describe('storage rules', () => {
  it('nowIso reads the clock given, as ISO text', () => {
    assert.equal(nowIso(() => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))), '2026-01-02T03:04:05.006Z');
  });

  it('emptyCounts has every state at 0, and a fresh object each time', () => {
    const counts = emptyCounts();
    assert.deepEqual(Object.keys(counts), [...TRIAL_STATES]);
    assert.ok(Object.values(counts).every((n) => n === 0));
    counts.running = 3;
    assert.equal(emptyCounts().running, 0);
  });

  it('bestValue is the smallest or largest value, ignoring null and NaN; null when none', () => {
    const values = [null, 3, NaN, -2, 7, null];
    assert.equal(bestValue(values, 'minimize'), -2);
    assert.equal(bestValue(values, 'maximize'), 7);
    assert.equal(bestValue([NaN, 5], 'minimize'), 5);
    assert.equal(bestValue([-Infinity, 0], 'minimize'), -Infinity);
    assert.equal(bestValue([], 'minimize'), null);
    assert.equal(bestValue([null, NaN], 'maximize'), null);
    assert.equal(bestValue(new Set([1, 2]), 'maximize'), 2);
  });

  it('names a study or a trial that is not there', () => {
    const s = studyNotFound(4);
    assert.ok(s instanceof NotFoundError);
    assert.equal(s.message, 'study 4 not found');
    const t = trialNotFound(4, 9);
    assert.ok(t instanceof NotFoundError);
    assert.equal(t.message, 'trial 9 of study 4 not found');
  });

  it('assertMutable refuses a finished trial, naming the change, and leaves the others', () => {
    for (const state of FINISHED) {
      assert.throws(
        () => assertMutable(2, 5, state, 'finish'),
        (e: unknown) => e instanceof TrialFinishedError && e.message === new TrialFinishedError(2, 5, state, 'finish').message,
        state,
      );
    }
    for (const state of UNFINISHED) assert.doesNotThrow(() => assertMutable(2, 5, state, 'finish'), state);
  });

  it('assertOwner checks nothing without an owner', () => {
    for (const state of [...FINISHED, ...UNFINISHED]) {
      assert.doesNotThrow(() => assertOwner(1, 2, { state, worker: null, attempt: 9 }, undefined, 'finish'));
    }
  });

  it('assertOwner passes the same worker and attempt while running or finished, not while waiting or interrupted', () => {
    const owner = { worker: 'w', attempt: 2 };
    for (const state of ['running', ...FINISHED] as TrialState[]) {
      assert.doesNotThrow(() => assertOwner(1, 2, { state, worker: 'w', attempt: 2 }, owner, 'finish'), state);
    }
    for (const state of ['waiting', 'interrupted'] as TrialState[]) {
      assert.throws(() => assertOwner(1, 2, { state, worker: 'w', attempt: 2 }, owner, 'finish'), TrialOwnershipError, state);
    }
  });

  it('assertOwner refuses another worker or another attempt, saying who owns the trial', () => {
    const owner = { worker: 'w', attempt: 2 };
    for (const stored of [
      { state: 'running' as const, worker: 'v', attempt: 2 },
      { state: 'running' as const, worker: 'w', attempt: 3 },
      { state: 'running' as const, worker: null, attempt: 2 },
      { state: 'complete' as const, worker: 'v', attempt: 2 },
      { state: 'complete' as const, worker: 'w', attempt: 1 },
    ]) {
      assert.throws(
        () => assertOwner(1, 2, stored, owner, 'record epochs of'),
        (e: unknown) =>
          e instanceof TrialOwnershipError &&
          e.message === new TrialOwnershipError(1, 2, 'record epochs of', owner, stored).message &&
          e.studyId === 1 &&
          e.trialNumber === 2 &&
          e.actual.worker === stored.worker &&
          e.actual.attempt === stored.attempt,
        JSON.stringify(stored),
      );
    }
  });

  it('checkEpochs takes integer indices from 0, and refuses others with the index in the message', () => {
    assert.equal(checkEpochs(3, [{ epoch: 0, metrics: {} }, { epoch: 1, metrics: { a: NaN } }]), null);
    assert.equal(checkEpochs(3, []), null);
    for (const epoch of [-1, 0.5, NaN, Infinity]) {
      assert.throws(
        () => checkEpochs(3, [{ epoch: 0, metrics: {} }, { epoch, metrics: {} }]),
        (e: unknown) => e instanceof TypeError && e.message === `trial 3: epoch index must be an integer ≥ 0, got ${String(epoch)}`,
        String(epoch),
      );
    }
  });

  it('checkEpochs refuses a metric that is not a number, unless told the caller checks them', () => {
    const epochs = [{ epoch: 4, metrics: { a: 1, b: 'x' as unknown as number } }];
    assert.throws(
      () => checkEpochs(3, epochs),
      (e: unknown) => e instanceof TypeError && e.message === 'trial 3 epoch 4: metric b is not a number',
    );
    assert.throws(() => checkEpochs(3, epochs, new Set(), true), TypeError);
    assert.equal(checkEpochs(3, epochs, undefined, false), null);
    assert.throws(() => checkEpochs(3, [{ epoch: -1, metrics: {} }], undefined, false), TypeError, 'the indices are still checked');
  });

  it('checkEpochs returns the first index repeated within the batch or among those recorded', () => {
    const e = (epoch: number) => ({ epoch, metrics: {} });
    assert.equal(checkEpochs(1, [e(0), e(1), e(0), e(1)]), 0);
    assert.equal(checkEpochs(1, [e(2), e(1), e(1), e(2)]), 1);
    assert.equal(checkEpochs(1, [e(0), e(5), e(6)], new Set([6, 5])), 5);
    assert.equal(checkEpochs(1, [e(0), e(1)], new Set([2, 3])), null);
    assert.equal(checkEpochs(1, [e(7), e(3), e(3)], new Set([7])), 7);
    assert.throws(() => checkEpochs(1, [e(0), e(0), e(-1)]), TypeError, 'a repeat does not stop the checks');
  });
});

/** The storage's own errors: what each says, and what each carries for the code that catches it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StorageError } from '../../src/core/errors.js';
import { DuplicateEpochError, StudyExistsError, TrialFinishedError, TrialOwnershipError } from '../../src/store/errors.js';

describe('storage errors', () => {
  it('a taken study name names the study and the storage, and carries the name', () => {
    const e = new StudyExistsError('bowl', 'study.db');
    assert.ok(e instanceof StorageError);
    assert.equal(e.message, 'study.db: a study named "bowl" already exists');
    assert.equal(e.studyName, 'bowl');
  });

  it('a change to a finished trial says which change, which trial and its state', () => {
    const e = new TrialFinishedError(3, 7, 'pruned', 'record epochs of');
    assert.ok(e instanceof StorageError);
    assert.equal(e.message, 'cannot record epochs of trial 7 of study 3: it is pruned, and a finished trial cannot change');
  });

  it('a repeated epoch names it, or says it is repeated within the batch', () => {
    assert.equal(new DuplicateEpochError(3, 7, 12).message, 'trial 7 of study 3: epoch 12 is already recorded');
    assert.equal(new DuplicateEpochError(3, 7, 0).message, 'trial 7 of study 3: epoch 0 is already recorded');
    assert.equal(new DuplicateEpochError(3, 7, null).message, 'trial 7 of study 3: epoch (in this batch) is already recorded');
    assert.ok(new DuplicateEpochError(3, 7, null) instanceof StorageError);
  });

  it('a write by a former owner says who wrote and who owns the trial now, and carries copies of both', () => {
    const expected = { worker: 'w1', attempt: 0 };
    const actual = { worker: 'w2' as string | null, attempt: 1, state: 'running' as const };
    const e = new TrialOwnershipError(3, 7, 'finish', expected, actual);
    assert.ok(e instanceof StorageError);
    assert.equal(e.message, 'cannot finish trial 7 of study 3 as w1 attempt 0: it is running, owned by w2 attempt 1');
    assert.equal(e.studyId, 3);
    assert.equal(e.trialNumber, 7);
    assert.deepEqual(e.expected, { worker: 'w1', attempt: 0 });
    assert.deepEqual(e.actual, { worker: 'w2', attempt: 1, state: 'running' });
    expected.worker = 'changed';
    actual.worker = 'changed';
    assert.deepEqual([e.expected.worker, e.actual.worker], ['w1', 'w2'], 'copies, not the objects given');
    const unowned = new TrialOwnershipError(3, 7, 'record epochs of', expected, { worker: null, attempt: 2, state: 'failed' });
    assert.equal(unowned.message, 'cannot record epochs of trial 7 of study 3 as changed attempt 0: it is failed, owned by (no one) attempt 2');
    assert.equal(unowned.actual.worker, null);
  });
});

/**
 * Conformance, part 3: writes guarded by the trial's owner and attempt (appendEpochs and
 * finishTrial with `owner`), so that a trial taken over by another worker keeps the new
 * attempt's data only (see conformance.ts).
 */
import assert from 'node:assert/strict';
import { StorageError } from '../../src/core/errors.js';
import { DuplicateEpochError, TrialFinishedError, TrialOwnershipError } from '../../src/store/errors.js';
import type { Storage, TrialOwner } from '../../src/store/storage.js';
import type { StorageTest } from './fixtures.js';
import { claimOpts, studyWithTrials } from './fixtures.js';

const W1: TrialOwner = { worker: 'w1', attempt: 1 };
const W2: TrialOwner = { worker: 'w2', attempt: 2 };

/** A study whose trial 0 ran epoch 0 under w1, then was claimed by w2 (attempt 2), which ran epoch 0 again. */
async function takenOver(s: Storage): Promise<number> {
  const st = await studyWithTrials(s, 1, 'st', 'w1');
  await s.appendEpochs(st.id, 0, [{ epoch: 0, metrics: { val_loss: 9 } }], W1);
  const claimed = await s.claimUnfinishedTrial(st.id, { ...claimOpts, orphanOwners: ['w1'] });
  assert.equal(claimed?.worker, 'w2');
  assert.equal(claimed?.attempt, 2);
  await s.appendEpochs(st.id, 0, [{ epoch: 0, metrics: { val_loss: 1 } }], W2);
  return st.id;
}

async function ownershipError(p: Promise<unknown>): Promise<TrialOwnershipError> {
  const e = await p.then(() => null, (err: unknown) => err);
  assert.ok(e instanceof TrialOwnershipError, `expected TrialOwnershipError, got ${String(e)}`);
  assert.ok(e instanceof StorageError);
  return e;
}

export function ownershipConformance(test: StorageTest): void {
  test('guarded append and finish succeed for the owner', async (s) => {
    const st = await studyWithTrials(s, 1, 'st', 'w1');
    await s.appendEpochs(st.id, 0, [{ epoch: 0, metrics: { val_loss: 1 } }, { epoch: 1, metrics: { val_loss: 0.5 } }], W1);
    const done = await s.finishTrial(st.id, 0, { state: 'complete', value: 0.5, error: null, attrs: { verdict: 'ok' } }, W1);
    assert.equal(done.state, 'complete');
    assert.equal(done.value, 0.5);
    assert.equal(done.attrs.verdict, 'ok');
    assert.deepEqual((await s.getEpochs(st.id, 0)).map((e) => e.epoch), [0, 1]);
    // Finished by its own owner: the finished-trial rule still speaks.
    await assert.rejects(s.finishTrial(st.id, 0, { state: 'complete', value: 1, error: null }, W1), TrialFinishedError);
  });

  test("after a takeover, the old owner's guarded writes throw and change nothing", async (s) => {
    const id = await takenOver(s);
    const before = await s.getTrial(id, 0);

    const append = await ownershipError(s.appendEpochs(id, 0, [{ epoch: 1, metrics: { val_loss: 7 } }], W1));
    assert.match(append.message, /trial 0 of study \d+/);
    assert.match(append.message, /w1 attempt 1/, 'names the expected owner');
    assert.match(append.message, /w2 attempt 2/, 'names the actual owner');
    assert.deepEqual(append.expected, W1);
    assert.deepEqual(append.actual, { worker: 'w2', attempt: 2, state: 'running' });
    // The same epoch index as the new attempt's: still an ownership error, not a duplicate.
    await ownershipError(s.appendEpochs(id, 0, [{ epoch: 0, metrics: { val_loss: 7 } }], W1));
    // The right worker at the wrong attempt is not the owner either.
    await ownershipError(s.appendEpochs(id, 0, [{ epoch: 1, metrics: {} }], { worker: 'w2', attempt: 1 }));

    const finish = await ownershipError(s.finishTrial(id, 0, { state: 'complete', value: 9, error: null, attrs: { verdict: 'late' } }, W1));
    assert.match(finish.message, /mark complete/);

    assert.deepEqual(await s.getEpochs(id, 0), [{ epoch: 0, metrics: { val_loss: 1 } }], "the new attempt's epochs only");
    const after = await s.getTrial(id, 0);
    assert.deepEqual(after, before, 'still running under w2, attempt 2, no value, no attrs of the late finish');
    assert.equal(after?.state, 'running');

    // The new owner carries on.
    await s.appendEpochs(id, 0, [{ epoch: 1, metrics: { val_loss: 0.5 } }], W2);
    const done = await s.finishTrial(id, 0, { state: 'complete', value: 0.5, error: null }, W2);
    assert.equal(done.worker, 'w2');
    assert.equal(done.value, 0.5);
  });

  test('a trial recorded by its new owner refuses the old owner with TrialOwnershipError', async (s) => {
    const id = await takenOver(s);
    const done = await s.finishTrial(id, 0, { state: 'pruned', value: 1, error: null }, W2);
    const e = await ownershipError(s.finishTrial(id, 0, { state: 'complete', value: 9, error: null }, W1));
    assert.deepEqual(e.actual, { worker: 'w2', attempt: 2, state: 'pruned' });
    await ownershipError(s.appendEpochs(id, 0, [{ epoch: 1, metrics: {} }], W1));
    assert.deepEqual(await s.getTrial(id, 0), done);
  });

  test('a guarded write to a trial that is no longer running is refused', async (s) => {
    const st = await studyWithTrials(s, 1, 'st', 'w1');
    await s.finishTrial(st.id, 0, { state: 'interrupted', value: null, error: 'SIGINT' });
    const e = await ownershipError(s.appendEpochs(st.id, 0, [{ epoch: 0, metrics: {} }], W1));
    assert.equal(e.actual.state, 'interrupted');
    await ownershipError(s.finishTrial(st.id, 0, { state: 'complete', value: 1, error: null }, W1));
    assert.equal((await s.getTrial(st.id, 0))?.state, 'interrupted');
    assert.deepEqual(await s.getEpochs(st.id, 0), []);
  });

  test('unguarded writes behave as before, whoever owns the trial', async (s) => {
    const id = await takenOver(s);
    await s.appendEpochs(id, 0, [{ epoch: 1, metrics: { val_loss: 0.7 } }]);
    assert.deepEqual((await s.getEpochs(id, 0)).map((e) => e.epoch), [0, 1]);
    const done = await s.finishTrial(id, 0, { state: 'complete', value: 0.7, error: null });
    assert.equal(done.state, 'complete');
    assert.equal(done.worker, 'w2');
    await assert.rejects(s.appendEpochs(id, 0, [{ epoch: 2, metrics: {} }]), TrialFinishedError);
  });

  test("a finish carrying the last epochs stores them with it, under appendEpochs' checks", async (s) => {
    const st = await studyWithTrials(s, 2, 'st', 'w1');
    await s.appendEpochs(st.id, 0, [{ epoch: 0, metrics: { val_loss: 1 } }], W1);
    const done = await s.finishTrial(st.id, 0, {
      state: 'complete', value: 0.25, error: null,
      epochs: [{ epoch: 2, metrics: { val_loss: 0.25, val_accuracy: Number.NaN } }, { epoch: 1, metrics: { val_loss: 0.5 } }],
    }, W1);
    assert.equal(done.state, 'complete');
    assert.equal(done.value, 0.25);
    assert.deepEqual(await s.getEpochs(st.id, 0), [
      { epoch: 0, metrics: { val_loss: 1 } },
      { epoch: 1, metrics: { val_loss: 0.5 } },
      { epoch: 2, metrics: { val_loss: 0.25, val_accuracy: Number.NaN } },
    ]);
    assert.ok(!('epochs' in done) && !('epochs' in done.attrs), 'the epochs are rows, not a field of the trial');

    // A repeated epoch: refused, and neither the epochs nor the finish are stored.
    await s.appendEpochs(st.id, 1, [{ epoch: 0, metrics: { val_loss: 3 } }], W1);
    await assert.rejects(
      s.finishTrial(st.id, 1, { state: 'complete', value: 2, error: null, epochs: [{ epoch: 1, metrics: { val_loss: 2 } }, { epoch: 0, metrics: { val_loss: 2 } }] }, W1),
      DuplicateEpochError,
    );
    assert.equal((await s.getTrial(st.id, 1))?.state, 'running');
    assert.deepEqual(await s.getEpochs(st.id, 1), [{ epoch: 0, metrics: { val_loss: 3 } }]);
  });

  test("after a takeover, the old owner's finish with epochs stores neither", async (s) => {
    const id = await takenOver(s);
    const before = await s.getTrial(id, 0);
    await ownershipError(s.finishTrial(id, 0, { state: 'complete', value: 9, error: null, epochs: [{ epoch: 1, metrics: { val_loss: 9 } }] }, W1));
    assert.deepEqual(await s.getEpochs(id, 0), [{ epoch: 0, metrics: { val_loss: 1 } }], "the new attempt's epochs only");
    assert.deepEqual(await s.getTrial(id, 0), before);
  });
}

/** The journal's operations replayed onto a memory storage, one by one, and the replay's check of what allocations got. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOp } from '../../src/store/journal-ops.js';
import type { JournalOp } from '../../src/store/journal-ops.js';
import { MemoryStorage } from '../../src/store/memory.js';
import { newStudy, newTrial } from './fixtures.js';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');

/** A memory storage whose clock reads `clock.ms`, as the journal's replay sets it line by line. */
function replayState(): { state: MemoryStorage; clock: { ms: number } } {
  const clock = { ms: T0 };
  return { state: new MemoryStorage({ now: () => new Date(clock.ms) }), clock };
}

async function applyAll(state: MemoryStorage, ops: readonly JournalOp[]): Promise<void> {
  for (const op of ops) await applyOp(state, op);
}

const iso = (ms: number): string => new Date(ms).toISOString();

describe('journal operations', () => {
  it('each operation does to the state what the storage call it records does', async () => {
    const { state, clock } = replayState();
    await applyAll(state, [
      { op: 'createStudy', study: newStudy('a') },
      { op: 'updateStudySpec', studyId: 1, spec: { specText: 'name: a\nx: 1\n', specHash: 'h2', specJson: '{"name":"a","x":1}' } },
      { op: 'setStudyAttr', studyId: 1, key: 'sampler', value: { kind: 'tpe', best: -Infinity } },
      { op: 'createTrial', studyId: 1, worker: 'w1', number: 0, trial: newTrial(0) },
      { op: 'createTrial', studyId: 1, worker: 'w1', number: 1, trial: newTrial(1) },
      { op: 'appendEpochs', studyId: 1, trialNumber: 0, epochs: [{ epoch: 0, metrics: { val_loss: NaN } }, { epoch: 1, metrics: { val_loss: 0.5 } }], owner: { worker: 'w1', attempt: 1 } },
      { op: 'setTrialAttrs', studyId: 1, trialNumber: 0, attrs: { verdict: 'healthy' } },
    ]);
    clock.ms = T0 + 5_000;
    await applyOp(state, { op: 'heartbeat', studyId: 1, trialNumbers: [0, 1], worker: 'w1' });
    clock.ms = T0 + 9_000;
    await applyOp(state, { op: 'finishTrial', studyId: 1, trialNumber: 0, finish: { state: 'complete', value: 0.5, error: null }, owner: { worker: 'w1', attempt: 1 } });

    const study = (await state.getStudy('a'))!;
    assert.equal(study.id, 1);
    assert.equal(study.specHash, 'h2');
    assert.equal(study.specText, 'name: a\nx: 1\n');
    assert.deepEqual(study.attrs, { sampler: { kind: 'tpe', best: -Infinity } });
    assert.equal(study.created, iso(T0), "the line's time, not the wall clock");

    const [t0, t1] = await state.listTrials(1);
    assert.equal(t0?.state, 'complete');
    assert.equal(t0?.value, 0.5);
    assert.equal(t0?.started, iso(T0));
    assert.equal(t0?.finished, iso(T0 + 9_000));
    assert.equal(t0?.attrs['verdict'], 'healthy');
    assert.deepEqual(t0?.params, newTrial(0).params);
    assert.equal(t1?.state, 'running');
    assert.equal(t1?.worker, 'w1');
    assert.equal(t1?.heartbeat, iso(T0 + 5_000));
    assert.deepEqual((await state.getEpochs(1, 0)).map((e) => e.metrics['val_loss']), [NaN, 0.5]);
  });

  it('a claim takes the trial it recorded, and restored times come back as recorded', async () => {
    const { state, clock } = replayState();
    await applyAll(state, [
      { op: 'createStudy', study: newStudy('a') },
      { op: 'createTrial', studyId: 1, worker: 'w1', number: 0, trial: newTrial(0) },
      { op: 'createTrial', studyId: 1, worker: 'w1', number: 1, trial: newTrial(1) },
      { op: 'heartbeat', studyId: 1, trialNumbers: [1], worker: 'w1' },
    ]);
    clock.ms = T0 + 60_000;
    await applyOp(state, { op: 'heartbeat', studyId: 1, trialNumbers: [0], worker: 'w1' });
    // Trial 1's heartbeat is older than the cut-off, trial 0's is not: the claim gets trial 1.
    await applyOp(state, { op: 'claim', studyId: 1, worker: 'w2', staleBefore: iso(T0 + 30_000), orphanOwners: [], maxAttempts: null, number: 1 });
    const claimed = (await state.getTrial(1, 1))!;
    assert.equal(claimed.worker, 'w2');
    assert.equal(claimed.attempt, 2);
    assert.equal((await state.getTrial(1, 0))?.worker, 'w1');

    const times = { attempt: 3, started: '2020-01-01T00:00:00.000Z', finished: '2020-01-01T01:00:00.000Z', heartbeat: '2020-01-01T00:59:00.000Z' };
    await applyOp(state, { op: 'restoreTrialTimes', studyId: 1, trialNumber: 0, times });
    const restored = (await state.getTrial(1, 0))!;
    assert.deepEqual({ attempt: restored.attempt, started: restored.started, finished: restored.finished, heartbeat: restored.heartbeat }, times);
  });

  it('a replay that allocates another trial than the journal recorded is an error naming both', async () => {
    const { state } = replayState();
    await applyAll(state, [
      { op: 'createStudy', study: newStudy('a') },
      { op: 'createTrial', studyId: 1, worker: 'w1', number: 0, trial: newTrial(0) },
    ]);
    await assert.rejects(
      applyOp(state, { op: 'createTrial', studyId: 1, worker: 'w1', number: 5, trial: newTrial(5) }),
      { message: 'createTrial gave trial 1 on replay, but the journal recorded 5' },
    );
    // Nothing is unfinished: the claim gets no trial.
    await assert.rejects(
      applyOp(state, { op: 'claim', studyId: 1, worker: 'w2', staleBefore: null, orphanOwners: [], maxAttempts: null, number: 0 }),
      { message: 'claimUnfinishedTrial gave trial undefined on replay, but the journal recorded 0' },
    );
    // An orphaned owner's trial is claimed: the first of them, 0, not the 1 recorded.
    await assert.rejects(
      applyOp(state, { op: 'claim', studyId: 1, worker: 'w2', staleBefore: null, orphanOwners: ['w1'], maxAttempts: null, number: 1 }),
      { message: 'claimUnfinishedTrial gave trial 0 on replay, but the journal recorded 1' },
    );
  });

  it('what the state refuses is thrown as the state throws it', async () => {
    const { state } = replayState();
    await applyOp(state, { op: 'createStudy', study: newStudy('a') });
    await assert.rejects(applyOp(state, { op: 'createStudy', study: newStudy('a') }), { name: 'StudyExistsError' });
    await assert.rejects(applyOp(state, { op: 'setStudyAttr', studyId: 9, key: 'k', value: 1 }), { name: 'NotFoundError' });
  });
});

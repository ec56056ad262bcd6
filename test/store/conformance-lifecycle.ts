/** Conformance, part 2: finished trials, claims, heartbeats, attrs (see conformance.ts). */
import assert from 'node:assert/strict';
import { NotFoundError } from '../../src/core/errors.js';
import { TrialFinishedError } from '../../src/store/errors.js';
import type { TrialFinish } from '../../src/store/storage.js';
import type { StorageTest } from './fixtures.js';
import { FUTURE, PAST, claimOpts, newTrial, sleep, studyWithTrials } from './fixtures.js';

const FINISHED: TrialFinish['state'][] = ['complete', 'pruned', 'diverged', 'failed'];

export function lifecycleConformance(test: StorageTest): void {
  for (const state of FINISHED) {
    test(`a ${state} trial cannot change`, async (s) => {
      const st = await studyWithTrials(s, 1);
      await s.appendEpochs(st.id, 0, [{ epoch: 0, metrics: { val_loss: 1 } }]);
      const done = await s.finishTrial(st.id, 0, { state, value: 0.5, error: state === 'failed' ? 'boom' : null, attrs: { verdict: 'x' } });
      assert.equal(done.state, state);
      assert.equal(done.value, 0.5);
      assert.ok(done.finished !== null);
      assert.equal(done.attrs.verdict, 'x');
      await assert.rejects(s.finishTrial(st.id, 0, { state: 'complete', value: 1, error: null }), TrialFinishedError);
      await assert.rejects(s.setTrialAttrs(st.id, 0, { verdict: 'y' }), TrialFinishedError);
      await assert.rejects(s.appendEpochs(st.id, 0, [{ epoch: 1, metrics: {} }]), /finished trial cannot change/);
      assert.equal(await s.claimUnfinishedTrial(st.id, { ...claimOpts, staleBefore: FUTURE, orphanOwners: ['w1'] }), null);
      assert.deepEqual(await s.getTrial(st.id, 0), done);
      assert.deepEqual(await s.getEpochs(st.id, 0), [{ epoch: 0, metrics: { val_loss: 1 } }]);
    });
  }

  test('a multi-objective trial keeps its vector of values (nulls, large counts, float bits) and the study its objectives', async (s) => {
    const st = await studyWithTrials(s, 2);
    const objectives = [{ name: 'val_accuracy', goal: 'maximize' }, { name: 'params', goal: 'minimize' }, { name: 'inference_ms', goal: 'minimize' }];
    await s.setStudyAttr(st.id, 'objectives', objectives);
    const values = [0.9777777777777777, 1234567, 0.30000000000000004];
    const done = await s.finishTrial(st.id, 0, { state: 'complete', value: values[0]!, error: null, attrs: { values } });
    assert.deepEqual(done.attrs['values'], values);
    await s.finishTrial(st.id, 1, { state: 'pruned', value: 0.5, error: 'median rule', attrs: { values: [0.5, 10, null] } });
    const [a, b] = await s.listTrials(st.id);
    assert.deepEqual(a?.attrs['values'], values);
    assert.equal(a?.value, values[0], 'value is the first objective');
    assert.deepEqual(b?.attrs['values'], [0.5, 10, null]);
    assert.deepEqual((await s.getStudy(st.name))?.attrs['objectives'], objectives);
  });

  test('finishing an unknown trial is NotFoundError', async (s) => {
    const st = await studyWithTrials(s, 1);
    await assert.rejects(s.finishTrial(st.id, 3, { state: 'complete', value: 1, error: null }), NotFoundError);
    await assert.rejects(s.listTrials(999), NotFoundError);
  });

  test('an interrupted trial is not finished: it takes attrs and can be claimed', async (s) => {
    const st = await studyWithTrials(s, 2);
    await s.appendEpochs(st.id, 1, [{ epoch: 0, metrics: { val_loss: 1 } }, { epoch: 1, metrics: { val_loss: 0.5 } }]);
    await s.finishTrial(st.id, 1, { state: 'interrupted', value: 0.5, error: 'SIGINT' });
    const stageRanges = [{ stage: 1, trials: [1, 2], fittedTo: [0], parameters: {} }];
    const pbt = { member: 3, generation: 2 };
    await s.setTrialAttrs(st.id, 1, { backend: 'wasm', stage: 1, stage_ranges: stageRanges, interruptions: 1, pbt });
    const claimed = await s.claimUnfinishedTrial(st.id, claimOpts);
    assert.equal(claimed?.number, 1);
    assert.equal(claimed?.state, 'running');
    assert.equal(claimed?.attempt, 2);
    assert.equal(claimed?.worker, 'w2');
    assert.equal(claimed?.error, null);
    assert.equal(claimed?.value, null);
    assert.equal(claimed?.finished, null);
    assert.deepEqual(claimed?.params, newTrial(1).params);
    assert.equal(claimed?.seed, 1001);
    assert.deepEqual(
      claimed?.attrs,
      { stage: 1, stage_ranges: stageRanges, interruptions: 1, pbt },
      'attributes of the previous attempt are gone; its stage, the stages it decided, its interruptions and its PBT record stay',
    );
    assert.deepEqual(await s.getEpochs(st.id, 1), [], 'the previous attempt\'s epochs are gone');
    assert.equal(await s.claimUnfinishedTrial(st.id, claimOpts), null, 'trial 0 is running with a live owner');
  });

  test('claims orphans by owner and by stale heartbeat, lowest number first', async (s) => {
    const st = await studyWithTrials(s, 3, 'st', 'dead');
    await s.createTrial(st.id, { cap: null, worker: 'alive', build: newTrial });
    await s.appendEpochs(st.id, 0, [{ epoch: 0, metrics: { val_loss: 1 } }]);
    assert.equal(await s.claimUnfinishedTrial(st.id, { ...claimOpts, staleBefore: PAST }), null);
    const byOwner = await s.claimUnfinishedTrial(st.id, { ...claimOpts, orphanOwners: ['dead'] });
    assert.equal(byOwner?.number, 0);
    assert.deepEqual(await s.getEpochs(st.id, 0), []);
    assert.equal((await s.claimUnfinishedTrial(st.id, { ...claimOpts, orphanOwners: ['dead'] }))?.number, 1);
    // Stale: every heartbeat is older than a staleBefore in the future; trial 0 and 1
    // are owned by w2 now, so the lowest stale one is 0 again.
    const stale = await s.claimUnfinishedTrial(st.id, { ...claimOpts, worker: 'w3', staleBefore: FUTURE });
    assert.equal(stale?.number, 0);
    assert.equal(stale?.attempt, 3);
    assert.equal(stale?.worker, 'w3');
  });

  test('maxAttempts bounds the claims', async (s) => {
    const st = await studyWithTrials(s, 2, 'st', 'dead');
    const opts = { ...claimOpts, orphanOwners: ['dead', 'w2'], maxAttempts: 2 };
    assert.equal((await s.claimUnfinishedTrial(st.id, opts))?.number, 0);
    assert.equal((await s.claimUnfinishedTrial(st.id, opts))?.number, 1);
    assert.equal(await s.claimUnfinishedTrial(st.id, opts), null, 'both at attempt 2');
    const third = await s.claimUnfinishedTrial(st.id, { ...opts, maxAttempts: 3 });
    assert.equal(third?.attempt, 3);
  });

  test('maxAttempts counts only attempts that were not interrupted (the interruptions attr, kept on claim)', async (s) => {
    const st = await studyWithTrials(s, 1, 'st', 'w1');
    await s.finishTrial(st.id, 0, { state: 'interrupted', value: null, error: null, attrs: { interruptions: 1 } });
    const opts = { ...claimOpts, orphanOwners: ['w2'], maxAttempts: 2 };
    const second = await s.claimUnfinishedTrial(st.id, opts);
    assert.equal(second?.attempt, 2);
    assert.equal(second.attrs['interruptions'], 1, 'kept on claim');
    // Attempt 2's worker (w2) died: one death so far, below the two allowed.
    const third = await s.claimUnfinishedTrial(st.id, { ...opts, worker: 'w3' });
    assert.equal(third?.attempt, 3);
    assert.equal(await s.claimUnfinishedTrial(st.id, { ...opts, orphanOwners: ['w3'] }), null, 'two deaths');
  });

  test('concurrent claims never take the same trial', async (s) => {
    const st = await studyWithTrials(s, 5, 'st', 'dead');
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => s.claimUnfinishedTrial(st.id, { ...claimOpts, worker: `c${i}`, orphanOwners: ['dead'] })),
    );
    const numbers = claims.filter((t) => t !== null).map((t) => t.number);
    assert.deepEqual(numbers.sort(), [0, 1, 2, 3, 4]);
  });

  test('heartbeat refreshes the running trials of its worker only', async (s) => {
    const st = await studyWithTrials(s, 2, 'st', 'w1');
    await s.createTrial(st.id, { cap: null, worker: 'w2', build: newTrial });
    await s.finishTrial(st.id, 1, { state: 'interrupted', value: null, error: null });
    const before = await s.listTrials(st.id);
    await sleep(15);
    await s.heartbeat(st.id, [0, 1, 2], 'w1');
    const after = await s.listTrials(st.id);
    assert.ok(after[0]!.heartbeat! > before[0]!.heartbeat!, 'trial 0 refreshed');
    assert.equal(after[1]!.heartbeat, before[1]!.heartbeat, 'trial 1 is not running');
    assert.equal(after[2]!.heartbeat, before[2]!.heartbeat, 'trial 2 belongs to w2');
    await s.heartbeat(st.id, [], 'w1');
  });

  test('currentTime is the clock heartbeats are stamped with', async (s) => {
    const st = await studyWithTrials(s, 1, 'st', 'w1');
    const before = await s.currentTime();
    assert.equal(new Date(before).toISOString(), before, 'ISO-8601');
    await sleep(15);
    await s.heartbeat(st.id, [0], 'w1');
    const beat = (await s.getTrial(st.id, 0))!.heartbeat!;
    await sleep(15);
    const later = await s.currentTime();
    assert.ok(before < beat && beat < later, `${before} < ${beat} < ${later}`);
  });

  test('attrs merge, last write wins per key', async (s) => {
    const st = await studyWithTrials(s, 1);
    await s.setTrialAttrs(st.id, 0, { backend: 'cpu', verdict: null });
    await s.setTrialAttrs(st.id, 0, { verdict: { kind: 'overfit', onset: 12 }, test_loss: NaN });
    await s.finishTrial(st.id, 0, { state: 'complete', value: 0.1, error: null, attrs: { test_accuracy: 0.97 } });
    assert.deepEqual((await s.getTrial(st.id, 0))?.attrs, {
      ...newTrial(0).attrs,
      backend: 'cpu',
      verdict: { kind: 'overfit', onset: 12 },
      test_loss: NaN,
      test_accuracy: 0.97,
    });
  });
}

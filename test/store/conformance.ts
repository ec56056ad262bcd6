/**
 * The behaviour every Storage implementation must show. `storageConformance(name, open)`
 * registers the suite; `open` returns a fresh, empty storage each time. The trial
 * life-cycle part (finishing, claiming, heartbeats, attrs) is in conformance-lifecycle.ts,
 * the writes guarded by ownership in conformance-ownership.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFoundError, StorageError } from '../../src/core/errors.js';
import type { EpochRecord, TrialState } from '../../src/core/types.js';
import { TRIAL_STATES } from '../../src/core/types.js';
import { DuplicateEpochError, StudyExistsError } from '../../src/store/errors.js';
import type { TrialFinish } from '../../src/store/storage.js';
import { lifecycleConformance } from './conformance-lifecycle.js';
import { ownershipConformance } from './conformance-ownership.js';
import { rankingConformance } from './conformance-ranking.js';
import type { Open, StorageTest } from './fixtures.js';
import { newStudy, newTrial, studyWithTrials, withStorage } from './fixtures.js';

export function storageConformance(name: string, open: Open): void {
  const test: StorageTest = (title, fn) => void it(title, () => withStorage(open, fn));

  describe(`Storage conformance: ${name}`, () => {
    test('creates, gets and lists studies; a taken name is an error', async (s) => {
      const created = await s.createStudy(newStudy('a', 'maximize'));
      assert.equal(created.name, 'a');
      assert.equal(created.direction, 'maximize');
      assert.equal(created.seed, 7);
      assert.deepEqual(created.attrs, {});
      assert.ok(!Number.isNaN(Date.parse(created.created)));
      assert.deepEqual(await s.getStudy('a'), created);
      assert.equal(await s.getStudy('nope'), null);
      const err = await s.createStudy(newStudy('a')).then(() => null, (e: unknown) => e);
      assert.ok(err instanceof StudyExistsError && err instanceof StorageError, String(err));
      assert.match(err.message, /"a" already exists/);
      const b = await s.createStudy(newStudy('b'));
      assert.notEqual(b.id, created.id);
      assert.deepEqual((await s.listStudies()).map((x) => x.name), ['a', 'b']);
    });

    test('updates a study spec and attributes', async (s) => {
      const st = await s.createStudy(newStudy('a'));
      await s.updateStudySpec(st.id, { specText: 'new', specHash: 'h2', specJson: '{"x":1}' });
      await s.setStudyAttr(st.id, 'stages', [{ lr: [1e-4, 1e-2] }]);
      await s.setStudyAttr(st.id, 'worst', -Infinity);
      const got = await s.getStudy('a');
      assert.equal(got?.specText, 'new');
      assert.equal(got?.specHash, 'h2');
      assert.equal(got?.specJson, '{"x":1}');
      assert.deepEqual(got?.attrs, { stages: [{ lr: [1e-4, 1e-2] }], worst: -Infinity });
      await assert.rejects(s.setStudyAttr(999, 'k', 1), NotFoundError);
    });

    test('numbers trials 0, 1, 2 … per study and honours the cap', async (s) => {
      const a = await s.createStudy(newStudy('a'));
      const b = await s.createStudy(newStudy('b'));
      const seen: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = await s.createTrial(a.id, { cap: 3, worker: 'w1', build: (n) => (seen.push(n), newTrial(n)) });
        assert.equal(t?.number, i);
        assert.equal(t?.state, 'running');
        assert.equal(t?.attempt, 1);
        assert.equal(t?.worker, 'w1');
        assert.equal(t?.seed, 1000 + i);
        assert.ok(t?.started !== null && t?.heartbeat !== null);
        assert.equal(t?.finished, null);
        assert.equal(t?.value, null);
      }
      assert.deepEqual(seen, [0, 1, 2]);
      assert.equal(await s.createTrial(a.id, { cap: 3, worker: 'w1', build: newTrial }), null);
      assert.equal(seen.length, 3, 'build is not called when the cap is reached');
      assert.equal((await s.createTrial(a.id, { cap: 4, worker: 'w1', build: newTrial }))?.number, 3);
      assert.equal((await s.createTrial(b.id, { cap: null, worker: 'w1', build: newTrial }))?.number, 0);
      await assert.rejects(s.createTrial(999, { cap: null, worker: 'w', build: newTrial }), NotFoundError);
    });

    test('a throwing build creates nothing', async (s) => {
      const st = await s.createStudy(newStudy('a'));
      await assert.rejects(
        s.createTrial(st.id, { cap: null, worker: 'w', build: () => { throw new Error('sampler broke'); } }),
        /sampler broke/,
      );
      assert.deepEqual(await s.listTrials(st.id), []);
      assert.equal((await s.createTrial(st.id, { cap: null, worker: 'w', build: newTrial }))?.number, 0);
    });

    test('params, distributions, seed and attrs round-trip', async (s) => {
      const st = await s.createStudy(newStudy('a'));
      const created = await s.createTrial(st.id, { cap: null, worker: 'w', build: newTrial });
      const want = newTrial(0);
      assert.deepEqual(created?.params, want.params);
      assert.deepEqual(created?.distributions, want.distributions);
      assert.deepEqual(created?.attrs, want.attrs);
      assert.deepEqual(await s.getTrial(st.id, 0), created);
      assert.deepEqual(await s.listTrials(st.id), [created]);
      assert.equal(await s.getTrial(st.id, 5), null);
    });

    test('epochs with extra metrics, NaN and ±Infinity round-trip exactly', async (s) => {
      const st = await studyWithTrials(s, 3);
      const first: EpochRecord[] = [
        { epoch: 0, metrics: { train_loss: 2.5, train_accuracy: 0.1, val_loss: 2.6, val_accuracy: 0.09, lr: 0.01, seconds: 1.5 } },
        { epoch: 1, metrics: { train_loss: Infinity, val_loss: NaN, grad_norm: NaN, lr: 0 } },
      ];
      const second: EpochRecord[] = [
        { epoch: 2, metrics: { train_loss: -Infinity, val_accuracy: 0, weight_norm: Infinity, 'custom.metric': -1e-300 } },
        { epoch: 3, metrics: {} },
      ];
      await s.appendEpochs(st.id, 0, first);
      await s.appendEpochs(st.id, 0, second);
      await s.appendEpochs(st.id, 2, [{ epoch: 0, metrics: { val_loss: 1 } }]);
      assert.deepEqual(await s.getEpochs(st.id, 0), [...first, ...second]);
      const curves = await s.getStudyEpochs(st.id);
      assert.deepEqual([...curves.keys()], [0, 1, 2]);
      assert.deepEqual(curves.get(0), [...first, ...second]);
      assert.deepEqual(curves.get(1), []);
      assert.deepEqual(curves.get(2), [{ epoch: 0, metrics: { val_loss: 1 } }]);
      await assert.rejects(s.appendEpochs(st.id, 0, [{ epoch: 1, metrics: { val_loss: 0 } }]), DuplicateEpochError);
      await assert.rejects(s.appendEpochs(st.id, 1, [{ epoch: 0, metrics: {} }, { epoch: 0, metrics: {} }]), DuplicateEpochError);
      assert.deepEqual(await s.getEpochs(st.id, 1), [], 'a rejected batch writes nothing');
      await assert.rejects(s.appendEpochs(st.id, 9, first), NotFoundError);
      await assert.rejects(s.getEpochs(st.id, 9), NotFoundError);
    });

    test('trial values NaN, ±Infinity and null round-trip', async (s) => {
      const st = await studyWithTrials(s, 4);
      const values = [NaN, Infinity, -Infinity, null];
      for (const [i, value] of values.entries()) {
        await s.finishTrial(st.id, i, { state: 'diverged', value, error: 'loss is not finite', attrs: { test_loss: value } });
      }
      const trials = await s.listTrials(st.id);
      assert.deepEqual(trials.map((t) => t.value), values);
      assert.deepEqual(trials.map((t) => t.attrs.test_loss), values);
    });

    test('returned records are copies', async (s) => {
      const st = await studyWithTrials(s, 1);
      await s.appendEpochs(st.id, 0, [{ epoch: 0, metrics: { val_loss: 1 } }]);
      const study = (await s.getStudy('st'))!;
      study.attrs.x = 1;
      study.name = 'changed';
      const trial = (await s.getTrial(st.id, 0))!;
      trial.params.learning_rate = 5;
      trial.attrs.stage = 9;
      (trial.distributions.optimizer as { values: unknown[] }).values.push('x');
      const listed = await s.listTrials(st.id);
      listed[0]!.state = 'complete';
      const epochs = await s.getEpochs(st.id, 0);
      epochs[0]!.metrics.val_loss = 99;
      epochs.push({ epoch: 1, metrics: {} });
      (await s.getStudyEpochs(st.id)).get(0)!.length = 0;
      (await s.listStudies())[0]!.counts.running = 50;

      assert.deepEqual((await s.getStudy('st'))?.attrs, {});
      const again = (await s.getTrial(st.id, 0))!;
      assert.deepEqual(again.params, newTrial(0).params);
      assert.deepEqual(again.distributions, newTrial(0).distributions);
      assert.equal(again.state, 'running');
      assert.deepEqual(await s.getEpochs(st.id, 0), [{ epoch: 0, metrics: { val_loss: 1 } }]);
      assert.equal((await s.listStudies())[0]!.counts.running, 1);
    });

    test('inputs are copied too', async (s) => {
      const st = await s.createStudy(newStudy('a'));
      const built = newTrial(0);
      await s.createTrial(st.id, { cap: null, worker: 'w', build: () => built });
      built.params.optimizer = 'sgd';
      const epochs: EpochRecord[] = [{ epoch: 0, metrics: { val_loss: 1 } }];
      await s.appendEpochs(st.id, 0, epochs);
      epochs[0]!.metrics.val_loss = 2;
      const attrs = { verdict: { kind: 'ok' } };
      await s.setTrialAttrs(st.id, 0, attrs);
      attrs.verdict.kind = 'changed';
      const t = (await s.getTrial(st.id, 0))!;
      assert.equal(t.params.optimizer, 'adam');
      assert.deepEqual(t.attrs.verdict, { kind: 'ok' });
      assert.deepEqual(await s.getEpochs(st.id, 0), [{ epoch: 0, metrics: { val_loss: 1 } }]);
    });

    lifecycleConformance(test);
    ownershipConformance(test);
    rankingConformance(test);

    test('listTrials filters by state, ordered by number', async (s) => {
      const st = await studyWithTrials(s, 5);
      await s.finishTrial(st.id, 3, { state: 'complete', value: 1, error: null });
      await s.finishTrial(st.id, 1, { state: 'pruned', value: 2, error: null });
      await s.finishTrial(st.id, 4, { state: 'complete', value: 0, error: null });
      const numbers = async (states?: TrialState[]) =>
        (await s.listTrials(st.id, states === undefined ? {} : { states })).map((t) => t.number);
      assert.deepEqual(await numbers(), [0, 1, 2, 3, 4]);
      assert.deepEqual(await numbers(['complete']), [3, 4]);
      assert.deepEqual(await numbers(['complete', 'pruned']), [1, 3, 4]);
      assert.deepEqual(await numbers(['running']), [0, 2]);
      assert.deepEqual(await numbers([]), []);
    });

    it('integrityCheck says ok; close is idempotent and later calls reject', async () => {
      const s = await open();
      await s.createStudy(newStudy('a'));
      assert.equal(await s.integrityCheck(), 'ok');
      await s.close();
      await s.close();
      await assert.rejects(s.getStudy('a'), (e: unknown) => e instanceof StorageError && /closed/.test(e.message));
    });

    test('listStudies counts states and finds the best complete value', async (s) => {
      const min = await studyWithTrials(s, 6, 'min');
      const finish = (id: number, n: number, state: TrialFinish['state'], value: number | null) =>
        s.finishTrial(id, n, { state, value, error: null });
      await finish(min.id, 0, 'complete', 3);
      await finish(min.id, 1, 'complete', NaN);
      await finish(min.id, 2, 'complete', 1);
      await finish(min.id, 3, 'pruned', 0.5);
      await finish(min.id, 4, 'failed', null);
      const max = await s.createStudy(newStudy('max', 'maximize'));
      for (let i = 0; i < 3; i++) await s.createTrial(max.id, { cap: null, worker: 'w', build: newTrial });
      await finish(max.id, 0, 'complete', 0.8);
      await finish(max.id, 1, 'complete', 0.9);
      await finish(max.id, 2, 'complete', null);
      await s.createStudy(newStudy('empty'));

      const [a, b, c] = await s.listStudies();
      assert.deepEqual(Object.keys(a!.counts).sort(), [...TRIAL_STATES].sort());
      assert.deepEqual(a!.counts, { waiting: 0, running: 1, complete: 3, pruned: 1, diverged: 0, failed: 1, interrupted: 0 });
      assert.equal(a!.best, 1);
      assert.equal(b!.best, 0.9);
      assert.equal(b!.counts.complete, 3);
      assert.equal(c!.best, null);
      assert.ok(Object.values(c!.counts).every((n) => n === 0));
      assert.equal(c!.name, 'empty');
      assert.equal(a!.specHash, 'hash-min');
    });
  });
}

/** Conformance of the ranking queries: topTrials and the narrowed getStudyEpochs. */
import assert from 'node:assert/strict';
import { NotFoundError } from '../../src/core/errors.js';
import { rankByValue } from '../../src/core/types.js';
import type { Direction } from '../../src/core/types.js';
import type { Storage } from '../../src/store/storage.js';
import type { StorageTest } from './fixtures.js';
import { newStudy, newTrial } from './fixtures.js';

/** Values of complete trials 0…9 (with ties, ±Infinity, NaN and null); 10 is pruned, 11 running. */
const VALUES = [0.5, NaN, -Infinity, 0.2, null, 0.5, Infinity, 0.9, 0.2, 1];

async function rankedStudy(s: Storage, direction: Direction): Promise<number> {
  const st = await s.createStudy(newStudy(`r-${direction}`, direction));
  for (let i = 0; i < VALUES.length + 2; i++) await s.createTrial(st.id, { cap: null, worker: 'w', build: newTrial });
  for (const [n, value] of VALUES.entries()) await s.finishTrial(st.id, n, { state: 'complete', value, error: null });
  await s.finishTrial(st.id, VALUES.length, { state: 'pruned', value: direction === 'minimize' ? -1e9 : 1e9, error: null });
  return st.id;
}

export function rankingConformance(test: StorageTest): void {
  for (const direction of ['minimize', 'maximize'] as const) {
    test(`topTrials ranks complete trials as rankByValue does (${direction})`, async (s) => {
      const id = await rankedStudy(s, direction);
      const expected = rankByValue(await s.listTrials(id, { states: ['complete'] }), direction);
      for (const limit of [1, 3, 8, 9, 10, 50]) {
        const top = await s.topTrials(id, { direction, limit });
        assert.deepEqual(top, expected.slice(0, limit), `limit ${limit}`);
      }
      const numbers = (await s.topTrials(id, { direction, limit: 10 })).map((t) => t.number);
      assert.deepEqual(numbers, direction === 'minimize' ? [2, 3, 8, 0, 5, 7, 9, 6, 1, 4] : [6, 9, 7, 0, 5, 3, 8, 2, 1, 4]);
    });
  }

  test('topTrials of a study without complete trials is empty; an unknown study is NotFound', async (s) => {
    const st = await s.createStudy(newStudy('e'));
    await s.createTrial(st.id, { cap: null, worker: 'w', build: newTrial });
    assert.deepEqual(await s.topTrials(st.id, { direction: 'minimize', limit: 5 }), []);
    await assert.rejects(s.topTrials(999, { direction: 'minimize', limit: 5 }), NotFoundError);
  });

  test('getStudyEpochs narrows to trial states and to metrics', async (s) => {
    const st = await s.createStudy(newStudy('n'));
    for (let i = 0; i < 3; i++) await s.createTrial(st.id, { cap: null, worker: 'w', build: newTrial });
    for (let n = 0; n < 3; n++) {
      await s.appendEpochs(st.id, n, [0, 1].map((epoch) => ({ epoch, metrics: { train_accuracy: n + epoch / 10, val_loss: 1, grad_norm: NaN } })));
    }
    await s.finishTrial(st.id, 0, { state: 'complete', value: 1, error: null });
    await s.finishTrial(st.id, 2, { state: 'failed', value: null, error: 'x' });
    const full = await s.getStudyEpochs(st.id);
    assert.deepEqual([...full.keys()], [0, 1, 2]);
    const complete = await s.getStudyEpochs(st.id, { states: ['complete'] });
    assert.deepEqual([...complete.entries()], [[0, full.get(0)]]);
    const acc = await s.getStudyEpochs(st.id, { states: ['complete', 'running'], metrics: ['train_accuracy'] });
    assert.deepEqual([...acc.keys()], [0, 1]);
    assert.deepEqual(acc.get(1), [{ epoch: 0, metrics: { train_accuracy: 1 } }, { epoch: 1, metrics: { train_accuracy: 1.1 } }]);
    const extra = await s.getStudyEpochs(st.id, { metrics: ['grad_norm', 'nope'] });
    assert.deepEqual(extra.get(2), [{ epoch: 0, metrics: { grad_norm: NaN } }, { epoch: 1, metrics: { grad_norm: NaN } }]);
    assert.deepEqual(await s.getStudyEpochs(st.id, { states: [] }), new Map());
    await s.appendEpochs(st.id, 1, [{ epoch: 2, metrics: { val_loss: 0.5 } }]);
    const lr = await s.getStudyEpochs(st.id, { metrics: ['lr', 'train_accuracy'] });
    assert.deepEqual(lr.get(1)?.map((e) => e.epoch), [0, 1], 'an epoch without the metrics is left out');
    assert.deepEqual(lr.get(1)?.[0], { epoch: 0, metrics: { train_accuracy: 1 } }, 'a metric asked for that the epoch lacks is absent');
    assert.deepEqual([...(await s.getStudyEpochs(st.id, { metrics: ['nope'] })).values()], [[], [], []], 'an extra metric no epoch has');
    assert.deepEqual([...(await s.getStudyEpochs(st.id, { metrics: [] })).entries()], [[0, []], [1, []], [2, []]], 'no metric asked for');
    assert.deepEqual((await s.getStudyEpochs(st.id, { metrics: ['lr'] })).get(1), [], 'the trial is still there');
  });

  test('listTrials leaves out the attributes named in omitAttrs, and only those', async (s) => {
    const st = await s.createStudy(newStudy('o'));
    for (let i = 0; i < 3; i++) await s.createTrial(st.id, { cap: null, worker: 'w', build: newTrial });
    await s.setTrialAttrs(st.id, 0, { verdict: { verdict: 'good_fit' }, classes: 3, big: [1, 2, 3] });
    await s.finishTrial(st.id, 1, { state: 'complete', value: 1, error: null, attrs: { verdict: 'x', stop_reason: 'r' } });
    const all = await s.listTrials(st.id);
    const some = await s.listTrials(st.id, { omitAttrs: ['verdict', 'big'] });
    assert.deepEqual(some.map((t) => t.attrs), [{ ...all[0]?.attrs, verdict: undefined, big: undefined }, { ...all[1]?.attrs, verdict: undefined }, all[2]?.attrs].map(defined));
    assert.equal(some[0]?.attrs['classes'], 3);
    assert.deepEqual(some.map((t) => ({ ...t, attrs: {} })), all.map((t) => ({ ...t, attrs: {} })), 'nothing else changes');
    const complete = await s.listTrials(st.id, { states: ['complete'], omitAttrs: ['stop_reason'] });
    assert.deepEqual(complete.map((t) => t.attrs), [defined({ ...all[1]?.attrs, stop_reason: undefined })]);
    assert.deepEqual(await s.listTrials(st.id, { omitAttrs: [] }), all);
  });
}

/** `o` without its undefined entries. */
function defined(o: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
}

/** Copying studies between storages: every field survives, unfinished trials arrive interrupted, names are checked first. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFoundError, StorageError } from '../../src/core/errors.js';
import type { FrozenTrial } from '../../src/core/types.js';
import { copyStudies, studiesToCopy } from '../../src/store/copy.js';
import { StudyExistsError } from '../../src/store/errors.js';
import { MemoryStorage } from '../../src/store/memory.js';
import type { Storage } from '../../src/store/storage.js';
import { newStudy, newTrial } from './fixtures.js';

/** A storage whose clock moves one second per call, so every time stored is distinct. */
function ticking(start: number): MemoryStorage {
  let t = start;
  return new MemoryStorage({ now: () => new Date((t += 1000)) });
}

/** Study "src" with trials 0…5 in every state, 1 200 epochs on trial 0 (more than one batch), attrs everywhere. */
async function source(): Promise<MemoryStorage> {
  const s = ticking(Date.UTC(2025, 0, 1));
  const st = await s.createStudy({ ...newStudy('src', 'maximize'), seed: 42 });
  await s.setStudyAttr(st.id, 'stages', [{ lr: [1e-4, 1e-2] }]);
  await s.setStudyAttr(st.id, 'worst', -Infinity);
  for (let i = 0; i < 6; i++) await s.createTrial(st.id, { cap: null, worker: `host-${i}`, build: newTrial });
  const curve = Array.from({ length: 1200 }, (_, epoch) => ({ epoch, metrics: { val_accuracy: epoch / 1200, grad_norm: NaN } }));
  await s.appendEpochs(st.id, 0, curve);
  await s.appendEpochs(st.id, 1, [{ epoch: 0, metrics: { val_accuracy: Infinity } }]);
  await s.finishTrial(st.id, 0, { state: 'complete', value: 0.9, error: null, attrs: { verdict: { verdict: 'good_fit' } } });
  await s.finishTrial(st.id, 1, { state: 'pruned', value: NaN, error: null });
  await s.finishTrial(st.id, 2, { state: 'failed', value: null, error: 'out of memory' });
  await s.finishTrial(st.id, 3, { state: 'diverged', value: -Infinity, error: 'loss is not finite' });
  // Trial 4 stays running; trial 5 is claimed again (attempt 2) after an interruption.
  await s.finishTrial(st.id, 5, { state: 'interrupted', value: null, error: 'stopped' });
  await s.claimUnfinishedTrial(st.id, { worker: 'w9', staleBefore: null, orphanOwners: [], maxAttempts: null });
  await s.setTrialAttrs(st.id, 5, { resumed: true });
  return s;
}

/** A trial without its study id (which the destination allocates). */
const portable = ({ studyId: _, ...rest }: FrozenTrial): Omit<FrozenTrial, 'studyId'> => rest;

async function trialsOf(s: Storage, name: string): Promise<FrozenTrial[]> {
  return s.listTrials((await s.getStudy(name))!.id);
}

describe('copying studies', () => {
  it('keeps the study and every field of every trial; running and waiting trials arrive interrupted', async () => {
    const from = await source();
    const to = ticking(Date.UTC(2030, 0, 1));
    await to.createStudy(newStudy('other'));
    const copied = await copyStudies(from, to, await studiesToCopy(from, ['src']));
    assert.deepEqual(copied, [{ study: 'src', trials: 6, epochs: 1201 }]);

    const a = (await from.getStudy('src'))!;
    const b = (await to.getStudy('src'))!;
    assert.deepEqual({ ...b, id: a.id, created: a.created }, a, 'name, spec, direction, metric, seed and attrs');
    assert.equal(b.seed, 42);
    const before = await trialsOf(from, 'src');
    const after = await trialsOf(to, 'src');
    assert.equal(before[4]?.state, 'running');
    assert.equal(before[5]?.state, 'running');
    assert.equal(before[5]?.attempt, 2);
    const want = before.map((t) =>
      t.state === 'running'
        ? { ...portable(t), state: 'interrupted', error: 'running when the study was copied', finished: after[t.number]?.finished }
        : portable(t),
    );
    assert.deepEqual(after.map(portable), want);
    assert.ok((after[4]?.finished ?? '') > '2030', 'an unfinished trial is finished (interrupted) when copied');
    assert.deepEqual(await to.getStudyEpochs(b.id), await from.getStudyEpochs(a.id));
  });

  it('copies back and forth without a change, and all studies when none is named', async () => {
    const from = await source();
    await from.createStudy(newStudy('empty'));
    const mid = ticking(Date.UTC(2031, 0, 1));
    assert.deepEqual((await copyStudies(from, mid, await studiesToCopy(from))).map((c) => c.study), ['src', 'empty']);
    const back = ticking(Date.UTC(2032, 0, 1));
    assert.deepEqual(await copyStudies(mid, back, await studiesToCopy(mid)), [
      { study: 'src', trials: 6, epochs: 1201 },
      { study: 'empty', trials: 0, epochs: 0 },
    ]);
    assert.deepEqual((await trialsOf(back, 'src')).map(portable), (await trialsOf(mid, 'src')).map(portable));
    assert.deepEqual((await back.getStudy('empty'))?.attrs, {});
  });

  it('an unknown name is not found, naming the studies there are; a taken name writes nothing', async () => {
    const from = await source();
    const err = await studiesToCopy(from, ['src', 'nope']).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof NotFoundError, String(err));
    assert.equal(err.message, "no study 'nope' in :memory: to copy (studies: src)");
    const none = await studiesToCopy(new MemoryStorage(), ['x']).then(() => null, (e: unknown) => e as Error);
    assert.equal(none?.message, "no study 'x' in :memory: to copy");

    await from.createStudy(newStudy('b'));
    const to = new MemoryStorage();
    await to.createStudy(newStudy('b'));
    await assert.rejects(copyStudies(from, to, await studiesToCopy(from)), (e: unknown) => e instanceof StudyExistsError && /"b" already exists/.test(e.message));
    assert.deepEqual((await to.listStudies()).map((s) => s.name), ['b'], 'src, before b, is not written either');
  });

  it('a destination that numbers trials differently is an incomplete copy, said so', async () => {
    const from = await source();
    const to = new MemoryStorage();
    const skewed = new Proxy(to, {
      get(target, key): unknown {
        if (key === 'createTrial') {
          return async (...args: Parameters<Storage['createTrial']>) => {
            const t = await target.createTrial(...args);
            return t === null ? null : { ...t, number: t.number + 1 };
          };
        }
        const member = Reflect.get(target, key) as unknown;
        return typeof member === 'function' ? (member as (...a: unknown[]) => unknown).bind(target) : member;
      },
    });
    const err = await copyStudies(from, skewed, await studiesToCopy(from)).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof StorageError, String(err));
    assert.equal(err.message, ":memory:: study 'src': trial 0 arrived as 1; the copy is incomplete");
  });
});

/**
 * A trial taken over by another process while this run still trains it: this run's late
 * epochs and result are refused (the writes are guarded by owner and attempt), dropped with
 * an info line, and the run goes on with its other trials.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Spec } from '../../src/core/spec.js';
import type { FrozenTrial } from '../../src/core/types.js';
import { createExecutor } from '../../src/pool/index.js';
import { loadSpec } from '../../src/spec/index.js';
import { MemoryStorage } from '../../src/store/memory.js';
import { openStorage } from '../../src/store/open.js';
import type { Storage } from '../../src/store/storage.js';
import { runStudy, type RunSummary } from '../../src/study/run.js';
import { tempDir } from '../helpers.js';
import { sleepySpec } from './live-cli.js';

const OWNER = 'this-run';
const THIEF = 'other-process';

interface Observed {
  summary: RunSummary;
  infos: string[];
  finished: FrozenTrial[];
}

/**
 * Runs two trials, one slot; on trial 0's first epoch another worker claims trial 0
 * (as if this run looked dead), records epoch 0 of its own attempt and, if `thiefFinishes`,
 * records the trial.
 */
async function runWithTakeover(spec: Spec, storage: Storage, thiefFinishes: boolean): Promise<Observed> {
  const executor = await createExecutor({ spec, parallelism: 1 });
  const infos: string[] = [];
  const finished: FrozenTrial[] = [];
  let studyId = -1;
  const taking: Promise<void>[] = [];
  try {
    const summary = await runStudy({
      spec,
      storage,
      executor,
      owner: OWNER,
      events: {
        studyStarted: (info) => (studyId = info.study.id),
        info: (message) => infos.push(message),
        trialFinished: (trial) => finished.push(trial),
        epoch: (trialNumber) => {
          if (trialNumber !== 0 || taking.length > 0) return;
          taking.push((async () => {
            const claimed = await storage.claimUnfinishedTrial(studyId, { worker: THIEF, staleBefore: null, orphanOwners: [OWNER], maxAttempts: null });
            assert.equal(claimed?.number, 0);
            const owner = { worker: THIEF, attempt: claimed.attempt };
            await storage.appendEpochs(studyId, 0, [{ epoch: 0, metrics: { val_accuracy: 0.123 } }], owner);
            if (thiefFinishes) await storage.finishTrial(studyId, 0, { state: 'complete', value: 0.123, error: null }, owner);
          })());
        },
      },
    });
    await Promise.all(taking);
    return { summary, infos, finished };
  } finally {
    await executor.close();
  }
}

const storages: [string, (dir: string) => Promise<Storage>][] = [
  ['memory', () => Promise.resolve(new MemoryStorage())],
  ['sqlite', (dir) => openStorage(join(dir, 'takeover.db'))],
];

describe('a trial taken over while it runs', () => {
  for (const [kind, open] of storages) {
    for (const thiefFinishes of [false, true]) {
      it(`${kind}: drops this run's late epochs and result${thiefFinishes ? ' (the new owner recorded it)' : ''}`, async () => {
        const dir = tempDir();
        const spec = await loadSpec(sleepySpec(dir, { runCap: 2, epochs: 4, sleepMs: 5 }));
        const storage = await open(dir);
        try {
          const { summary, infos, finished } = await runWithTakeover(spec, storage, thiefFinishes);
          assert.ok(
            infos.includes("trial 0 was taken over by another process; this run's result is dropped"),
            infos.join('\n'),
          );
          assert.ok(!infos.some((m) => m.includes('some epochs could not be stored')), infos.join('\n'));
          assert.deepEqual(finished.map((t) => t.number), [1], 'trial 0 is not reported as finished by this run');

          const [t0, t1] = summary.trials;
          assert.equal(t0?.worker, THIEF);
          assert.equal(t0.attempt, 2);
          assert.equal(t0.state, thiefFinishes ? 'complete' : 'running');
          assert.equal(t0.value, thiefFinishes ? 0.123 : null);
          assert.equal(t0.attrs['verdict'], undefined, "this run's verdict is not recorded");
          assert.deepEqual(await storage.getEpochs(summary.study.id, 0), [{ epoch: 0, metrics: { val_accuracy: 0.123 } }]);

          assert.equal(t1?.state, 'complete', 'the run went on');
          assert.equal(t1.worker, OWNER);
          assert.equal((await storage.getEpochs(summary.study.id, 1)).length, 4);
        } finally {
          await storage.close();
        }
      });
    }
  }
});

/**
 * A trial's last epochs go to storage with its finish (one write, one journal line), not in a
 * write of their own just before it; epochs flushed while it ran are not sent again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EpochRecord } from '../../src/core/types.js';
import { createExecutor } from '../../src/pool/index.js';
import { loadSpec } from '../../src/spec/index.js';
import { MemoryStorage } from '../../src/store/memory.js';
import type { TrialFinish, TrialOwner } from '../../src/store/storage.js';
import { runStudy } from '../../src/study/run.js';
import { tempDir } from '../helpers.js';
import { sleepySpec } from './live-cli.js';

/** A memory storage that notes, per trial, the epochs of each appendEpochs and of the finish. */
class Recording extends MemoryStorage {
  readonly appended = new Map<number, number[][]>();
  readonly withFinish = new Map<number, number[]>();

  override appendEpochs(studyId: number, trialNumber: number, epochs: readonly EpochRecord[], owner?: TrialOwner): Promise<void> {
    this.appended.set(trialNumber, [...(this.appended.get(trialNumber) ?? []), epochs.map((e) => e.epoch)]);
    return super.appendEpochs(studyId, trialNumber, epochs, owner);
  }

  override finishTrial(studyId: number, trialNumber: number, finish: TrialFinish, owner?: TrialOwner) {
    this.withFinish.set(trialNumber, (finish.epochs ?? []).map((e) => e.epoch));
    return super.finishTrial(studyId, trialNumber, finish, owner);
  }
}

async function run(epochs: number, sleepMs: number): Promise<{ storage: Recording; stored: Map<number, EpochRecord[]> }> {
  const spec = await loadSpec(sleepySpec(tempDir(), { runCap: 2, epochs, sleepMs }));
  const storage = new Recording();
  const executor = await createExecutor({ spec, parallelism: 1 });
  try {
    const summary = await runStudy({ spec, storage, executor });
    assert.deepEqual(summary.trials.map((t) => t.state), ['complete', 'complete']);
    return { storage, stored: await storage.getStudyEpochs(summary.study.id) };
  } finally {
    await executor.close();
  }
}

describe("a trial's last epochs are stored with its finish", () => {
  it('quick epochs: every epoch rides on the finish, none in a write of its own', async () => {
    const { storage, stored } = await run(3, 1);
    for (const n of [0, 1]) {
      assert.deepEqual(storage.appended.get(n), undefined, `trial ${n}: no appendEpochs`);
      assert.deepEqual(storage.withFinish.get(n), [0, 1, 2]);
      assert.deepEqual(stored.get(n)?.map((e) => e.epoch), [0, 1, 2]);
    }
  });

  it('epochs flushed while the trial ran (past the 200 ms batching delay) are not in the finish', async () => {
    const { storage, stored } = await run(3, 150);
    for (const n of [0, 1]) {
      const early = (storage.appended.get(n) ?? []).flat();
      const late = storage.withFinish.get(n) ?? [];
      assert.ok(early.length > 0, `trial ${n}: some epochs were written while it ran`);
      assert.deepEqual([...early, ...late].sort(), [0, 1, 2], 'each epoch written once');
      assert.deepEqual(stored.get(n)?.map((e) => e.epoch), [0, 1, 2]);
    }
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Spec } from '../../src/core/spec.js';
import { createExecutor } from '../../src/pool/index.js';
import { loadSpec } from '../../src/spec/index.js';
import { openStorage } from '../../src/store/open.js';
import type { Storage } from '../../src/store/storage.js';
import { runStudy, type RunStudyOptions, type RunSummary } from '../../src/study/run.js';
import { tempDir } from '../helpers.js';
import { sleepySpec } from './live-cli.js';

async function run(spec: Spec, storage: Storage, options: Partial<RunStudyOptions> = {}): Promise<RunSummary> {
  const executor = await createExecutor({ spec, parallelism: 1 });
  try {
    return await runStudy({ spec, storage, executor, ...options });
  } finally {
    await executor.close();
  }
}

describe('running trials whose owner is gone', () => {
  it('re-runs a trial whose heartbeat went stale (another host), with its parameters and seed', async () => {
    const dir = tempDir();
    const spec = await loadSpec(sleepySpec(dir, { runCap: 4, epochs: 3, sleepMs: 1 }));
    const storage = await openStorage(join(dir, 'stale.db'));
    try {
      const first = await run(spec, storage, { runCap: 3 });
      const study = first.study;
      const taken = await storage.createTrial(study.id, {
        cap: null,
        worker: 'another-host:4242',
        build: () => ({ params: { lr: 0.003 }, distributions: {}, seed: 99 }),
      });
      assert.equal(taken?.state, 'running');
      const fresh = await run(spec, storage, { staleAfterMs: 60_000 });
      assert.equal(fresh.ran, 0, 'a fresh heartbeat means its owner still works on it');
      const stale = await run(spec, storage, { staleAfterMs: 0 });
      assert.equal(stale.ran, 1);
      const trial = await storage.getTrial(study.id, 3);
      assert.equal(trial?.state, 'complete');
      assert.equal(trial.attempt, 2);
      assert.deepEqual([trial.params, trial.seed], [{ lr: 0.003 }, 99]);
      assert.deepEqual((await storage.getEpochs(study.id, 3)).map((e) => e.epoch), [0, 1, 2]);
    } finally {
      await storage.close();
    }
  });

  it('refreshes the heartbeat of its running trials', async () => {
    const dir = tempDir();
    const spec = await loadSpec(sleepySpec(dir, { runCap: 1, epochs: 20, sleepMs: 20 }));
    const storage = await openStorage(join(dir, 'beat.db'));
    try {
      const { trials } = await run(spec, storage, { heartbeatMs: 25 });
      const [trial] = trials;
      assert.ok(trial?.heartbeat !== null && trial?.started !== null && trial !== undefined);
      assert.ok(trial.heartbeat > trial.started, `heartbeat ${trial.heartbeat} after start ${trial.started}`);
    } finally {
      await storage.close();
    }
  });
});

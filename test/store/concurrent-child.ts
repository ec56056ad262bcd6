/**
 * A child process for concurrency.test.ts: one of several processes on one SQLite file.
 *   node concurrent-child.js create PATH CAP WORKER START_AT_MS
 *     opens (or creates) study "race", creates trials until the cap, recording epochs in
 *     batches and finishing each; prints the trial numbers it got as JSON.
 *   node concurrent-child.js claim PATH WORKER START_AT_MS
 *     claims orphans of worker "dead" in study "claims" until none is left; prints them.
 */
import { StudyExistsError } from '../../src/store/errors.js';
import { SqliteStorage } from '../../src/store/sqlite.js';
import type { StudyRecord } from '../../src/store/storage.js';
import { newStudy, newTrial, sleep } from './fixtures.js';

async function study(storage: SqliteStorage, name: string): Promise<StudyRecord> {
  const found = await storage.getStudy(name);
  if (found !== null) return found;
  try {
    return await storage.createStudy(newStudy(name));
  } catch (error) {
    if (!(error instanceof StudyExistsError)) throw error;
    return (await storage.getStudy(name))!;
  }
}

async function main(): Promise<void> {
  const [mode, path, ...rest] = process.argv.slice(2);
  const startAt = Number(rest.at(-1));
  await sleep(Math.max(0, startAt - Date.now()));
  const storage = new SqliteStorage(path!);
  const got: number[] = [];
  if (mode === 'create') {
    const [cap, worker] = rest;
    const st = await study(storage, 'race');
    for (;;) {
      const t = await storage.createTrial(st.id, { cap: Number(cap), worker: worker!, build: newTrial });
      if (t === null) break;
      got.push(t.number);
      for (let b = 0; b < 4; b++) {
        const epochs = Array.from({ length: 25 }, (_, i) => ({ epoch: b * 25 + i, metrics: { val_loss: 1 / (1 + i), lr: 0.1 } }));
        await storage.appendEpochs(st.id, t.number, epochs);
        await storage.heartbeat(st.id, [t.number], worker!);
        await sleep(1); // "training": gives the other processes a turn at the lock
      }
      await storage.finishTrial(st.id, t.number, { state: 'complete', value: t.number, error: null });
    }
  } else {
    const [worker] = rest;
    const st = (await storage.getStudy('claims'))!;
    for (;;) {
      const t = await storage.claimUnfinishedTrial(st.id, { worker: worker!, staleBefore: null, orphanOwners: ['dead'], maxAttempts: null });
      if (t === null) break;
      got.push(t.number);
      await storage.appendEpochs(st.id, t.number, [{ epoch: 0, metrics: { val_loss: 1 } }]);
      await storage.finishTrial(st.id, t.number, { state: 'complete', value: 1, error: null, attrs: { by: worker! } });
    }
  }
  await storage.close();
  process.stdout.write(JSON.stringify(got));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

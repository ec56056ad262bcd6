/**
 * A child process for concurrency.test.ts and journal-concurrency.test.ts: one of several
 * processes on one storage (PATH: a SQLite file or a journal:PATH location).
 *   node concurrent-child.js create PATH CAP WORKER START_AT_MS
 *     opens (or creates) study "race", creates trials until the cap, recording epochs in
 *     batches and finishing each; prints the trial numbers it got as JSON.
 *   node concurrent-child.js claim PATH WORKER START_AT_MS
 *     claims orphans of worker "dead" in study "claims" until none is left; prints them.
 *   node concurrent-child.js read PATH CAP START_AT_MS
 *     reads study "race" over and over until it has CAP finished trials, checking each read
 *     is consistent (trials numbered 0..n-1, every complete trial with its 100 epochs, the
 *     counts agreeing with the trials); prints the trial counts it saw.
 */
import { NotFoundError } from '../../src/core/errors.js';
import { StudyExistsError } from '../../src/store/errors.js';
import { openStorage } from '../../src/store/open.js';
import type { Storage, StudyRecord } from '../../src/store/storage.js';
import { newStudy, newTrial, sleep } from './fixtures.js';

async function study(storage: Storage, name: string): Promise<StudyRecord> {
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
  const got: number[] = [];
  if (mode === 'read') {
    const reader = await openReadOnly(path!);
    got.push(...(await readUntil(reader, Number(rest[0]))));
    await reader.close();
    process.stdout.write(JSON.stringify(got));
    return;
  }
  const storage = await openStorage(path!);
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

/** One consistent view of study "race": its finished trial count. */
async function readOnce(storage: Storage): Promise<number> {
  const st = await storage.getStudy('race');
  if (st === null) return 0;
  const summary = (await storage.listStudies()).find((s) => s.name === 'race')!;
  const trials = await storage.listTrials(st.id);
  const curves = await storage.getStudyEpochs(st.id);
  const fail = (what: string): never => {
    throw new Error(`inconsistent read: ${what}`);
  };
  trials.forEach((t, i) => t.number === i || fail(`trial ${t.number} at position ${i}`));
  for (const t of trials) if (t.state === 'complete' && curves.get(t.number)?.length !== 100) fail(`complete trial ${t.number} with ${curves.get(t.number)?.length} epochs`);
  // listStudies was read before listTrials: it may count fewer trials, never more.
  const counted = Object.values(summary.counts).reduce((a, b) => a + b, 0);
  if (counted > trials.length) fail(`counts say ${counted} trials, the list has ${trials.length}`);
  return trials.filter((t) => t.state === 'complete').length;
}

/** Read-only, as query commands open it: waits for the writers to have created the storage. */
async function openReadOnly(location: string): Promise<Storage> {
  for (;;) {
    try {
      return await openStorage(location, { readOnly: true });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await sleep(10);
    }
  }
}

async function readUntil(storage: Storage, cap: number): Promise<number[]> {
  const seen: number[] = [];
  for (let done = 0; done < cap; ) {
    done = await readOnce(storage);
    seen.push(done);
    await sleep(5);
  }
  return seen;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

/**
 * method: pbt in the study loop: each trial is one segment of a member (see search/pbt.ts).
 * Its `pbt` attr holds its lineage; its checkpoint lives in
 * `<checkpoint root>/<study>/checkpoints/trial-<n>/`, removed once no member can take it.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Spec } from '../core/spec.js';
import type { SegmentTask } from '../core/trainer.js';
import { isFinished, type FrozenTrial, type JsonValue } from '../core/types.js';
import { neededCheckpoints, segmentOf, type PbtSampler, type SegmentAttr } from '../search/index.js';
import type { Storage, StudyRecord } from '../store/storage.js';
import { folderName, modelsRoot } from './keep.js';
import { trialSeed } from './seed.js';

const POLL_MS = 200;

/** The folder of a study's checkpoints. */
export function checkpointsRoot(spec: Spec, storage: Storage, study: string): string {
  const base = spec.pbt?.checkpoint_dir ?? modelsRoot(storage.location) ?? join(tmpdir(), `hpsearch-pbt-${process.pid}`);
  return join(base, folderName(study), 'checkpoints');
}

export function segmentAttr(trial: Pick<FrozenTrial, 'attrs'>): SegmentAttr | undefined {
  const a = trial.attrs['pbt'];
  return a === undefined || a === null || typeof a !== 'object' ? undefined : (a as unknown as SegmentAttr);
}

/** What the trainer of a segment trial is given: where it starts and where it writes. */
export function segmentTask(root: string, trial: Pick<FrozenTrial, 'number' | 'attrs'>): { segment: SegmentTask; epochs: number } | undefined {
  const a = segmentAttr(trial);
  if (a === undefined) return undefined;
  return {
    segment: { start_epoch: a.start_epoch, from: a.from_trial === null ? null : join(root, `trial-${a.from_trial}`), to: join(root, `trial-${trial.number}`) },
    epochs: a.end_epoch,
  };
}

/** What the next segment is allocated with (a slice of next-trial's context). */
export interface SegmentContext {
  storage: Storage;
  study: StudyRecord;
  spec: Spec;
  cap: number | null;
  owner: string;
  isStopping: () => boolean;
}

class Wait extends Error {}
class Done extends Error {}
class Stale extends Error {}

/**
 * The next segment to run: a new trial planned from every stored segment, null when the
 * population is done. While nothing may start (synch, or every ready member running), waits,
 * taking over orphaned segments meanwhile.
 */
export async function nextSegmentTrial(ctx: SegmentContext, sampler: PbtSampler, claimOrphan: () => Promise<FrozenTrial | null>): Promise<FrozenTrial | null> {
  const { storage, study, spec } = ctx;
  for (;;) {
    if (ctx.isStopping()) return null;
    const snapshot = await storage.listTrials(study.id);
    const segments = snapshot.map(segmentOf).filter((s) => s !== undefined);
    try {
      return await storage.createTrial(study.id, {
        cap: ctx.cap,
        worker: ctx.owner,
        build: (number) => {
          // Another process allocated since the snapshot: plan again from a fresh one.
          if (number !== snapshot.length) throw new Stale();
          const plan = sampler.plan(number, segments);
          if (plan.kind === 'wait') throw new Wait();
          if (plan.kind === 'done') throw new Done();
          return { params: plan.params, distributions: plan.distributions, seed: trialSeed(spec.seed, number), attrs: { pbt: plan.attr as unknown as JsonValue } };
        },
      });
    } catch (error) {
      if (error instanceof Done) return null;
      if (error instanceof Stale) continue;
      if (!(error instanceof Wait)) throw error;
    }
    const orphan = await claimOrphan();
    if (orphan !== null) return orphan;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Removes the checkpoints no member can still take (and any a crash left half-written). */
export async function pruneCheckpoints(storage: Storage, study: StudyRecord, root: string, synch: boolean): Promise<void> {
  if (!existsSync(root)) return;
  const trials = await storage.listTrials(study.id);
  const segments = trials.map(segmentOf).filter((s) => s !== undefined);
  const sources = new Map<number, number>();
  for (const t of trials) {
    const from = segmentAttr(t)?.from_trial;
    if (from !== undefined && from !== null) sources.set(t.number, from);
  }
  const needed = neededCheckpoints(segments, sources, { synch });
  const running = new Set(trials.filter((t) => !isFinished(t.state)).map((t) => `trial-${t.number}`));
  for (const name of readdirSync(root)) {
    // trial-<n>.tmp-<pid>: a write a crash cut short.
    const match = /^trial-(\d+)(\.tmp-\d+)?$/.exec(name);
    if (match === null || running.has(`trial-${match[1]}`) || (match[2] === undefined && needed.has(Number(match[1])))) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

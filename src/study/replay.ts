/**
 * `hpsearch replay`: a pbt member's schedule retrained from scratch as ONE trial of the study
 * `<study>-replay` (same storage). The segments of the member's final lineage run back to back
 * in one slot, each with the parameters and seed it had in the search, each starting from the
 * replay's own previous segment (no exploits: the weights it took are retrained, not copied),
 * so its final figure says whether the search's result reproduces.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError, UsageError } from '../core/errors.js';
import type { Spec } from '../core/spec.js';
import type { TrialExecutor, TrialOutcome } from '../core/trainer.js';
import { rankByValue, type EpochRecord, type FrozenTrial, type JsonValue, type Params } from '../core/types.js';
import { lineageOf } from '../search/pbt-lineage.js';
import type { Storage, StudyRecord, TrialFinish, TrialOwner } from '../store/storage.js';
import { KeptModels, modelsRoot } from './keep.js';
import { SPEC_PATH_ATTR } from './open.js';
import { decideFinish, withObjectiveValues } from './outcome.js';
import { ownerId } from './owner.js';
import { checkpointsRoot, segmentAttr } from './pbt.js';
import { taskFor } from './run.js';
import { resolveInitFrom } from './warm-start.js';

/** The study attr naming the study a replay study replays. */
export const REPLAY_OF_ATTR = 'replay_of';

/** One epoch range of the schedule: the parameters (and seed) its segment trained with. */
export interface ScheduleStep {
  /** The search's trial that trained it. */
  trial: number;
  start_epoch: number;
  end_epoch: number;
  params: Params;
  seed: number;
}

export interface ReplayOptions {
  storage: Storage;
  study: StudyRecord;
  /** The study's spec (method pbt). */
  spec: Spec;
  executor: TrialExecutor;
  /** Replay the member of this trial (default: the member of the best complete segment). */
  trial?: number;
  onEpoch?: (epoch: EpochRecord) => void;
}

export interface ReplayResult {
  study: StudyRecord;
  trial: FrozenTrial;
  /** The member's final complete segment: the result the replay is compared with. */
  original: FrozenTrial;
  member: number;
  schedule: ScheduleStep[];
}

/** The final complete segment of the member to replay. */
export function replayTarget(trials: readonly FrozenTrial[], study: StudyRecord, number: number | undefined): FrozenTrial {
  const segments = trials.filter((t) => segmentAttr(t) !== undefined);
  let member: number;
  if (number === undefined) {
    const best = rankByValue(segments.filter((t) => t.state === 'complete'), study.direction)[0];
    if (best === undefined) throw new NotFoundError(`study '${study.name}' has no complete pbt segment to replay`);
    member = segmentAttr(best)?.member as number;
  } else {
    const chosen = trials.find((t) => t.number === number);
    if (chosen === undefined) throw new NotFoundError(`study '${study.name}' has no trial ${number}`);
    const a = segmentAttr(chosen);
    if (a === undefined) throw new UsageError(`trial ${number} of study '${study.name}' is not a pbt segment`);
    member = a.member;
  }
  const own = segments.filter((t) => t.state === 'complete' && segmentAttr(t)?.member === member);
  const last = own.at(-1);
  if (last === undefined) throw new NotFoundError(`member ${member} of study '${study.name}' has no complete segment to replay`);
  return last;
}

/** The epoch ranges and parameters trial `original`'s weights went through, first to last. */
export function scheduleOf(trials: readonly FrozenTrial[], original: FrozenTrial): ScheduleStep[] {
  const seeds = new Map(trials.map((t) => [t.number, t.seed]));
  return lineageOf(trials, original.number).map((s) => ({ trial: s.trial, start_epoch: s.start_epoch, end_epoch: s.end_epoch, params: s.params, seed: seeds.get(s.trial) ?? original.seed }));
}

/** The replay study of `study`: created with its spec when absent; another study of that name is refused. */
async function replayStudy(storage: Storage, study: StudyRecord): Promise<StudyRecord> {
  const name = `${study.name}-replay`;
  const existing = await storage.getStudy(name);
  if (existing !== null) {
    if (existing.attrs[REPLAY_OF_ATTR] !== study.name) throw new UsageError(`study '${name}' exists in ${storage.location} and is not a replay of '${study.name}'`);
    return existing;
  }
  const { specText, specHash, specJson, direction, metric, seed } = study;
  const created = await storage.createStudy({ name, specText, specHash, specJson, direction, metric, seed });
  await storage.setStudyAttr(created.id, REPLAY_OF_ATTR, study.name);
  const path = study.attrs[SPEC_PATH_ATTR];
  if (path !== undefined) await storage.setStudyAttr(created.id, SPEC_PATH_ATTR, path);
  return (await storage.getStudy(name)) ?? created;
}

/** Retrains the schedule as one trial of `<study>-replay` and records it (see the file's comment). */
export async function replaySchedule(options: ReplayOptions): Promise<ReplayResult> {
  const { storage, study, spec, executor } = options;
  const trials = await storage.listTrials(study.id);
  const original = replayTarget(trials, study, options.trial);
  const schedule = scheduleOf(trials, original);
  const first = schedule[0] as ScheduleStep;
  const lastStep = schedule.at(-1) as ScheduleStep;
  const member = segmentAttr(original)?.member as number;
  const replay = await replayStudy(storage, study);
  const attr = { study: study.name, member, trial: original.number, schedule: schedule as unknown as JsonValue };
  const trial = await storage.createTrial(replay.id, {
    cap: null,
    worker: ownerId(),
    build: () => ({ params: lastStep.params, distributions: original.distributions, seed: first.seed, attrs: { replay: attr } }),
  });
  if (trial === null || trial.worker === null) throw new Error(`study '${replay.name}' refused a new trial`);
  const owner: TrialOwner = { worker: trial.worker, attempt: trial.attempt };
  const root = join(checkpointsRoot(spec, storage, replay.name), `trial-${trial.number}`);
  // No model is kept; a warm start (train.init_from) is the search's.
  const kept = new KeptModels(null, spec.keep_models, await resolveInitFrom(storage, spec, study.name, modelsRoot(storage.location)));
  let outcome: TrialOutcome | null = null;
  let failedAt: ScheduleStep | null = null;
  try {
    let from: string | null = null;
    for (const [i, step] of schedule.entries()) {
      const to = join(root, `segment-${i}`);
      const task = taskFor(spec, replay.name, { number: trial.number, attempt: trial.attempt, seed: step.seed, params: step.params }, kept, {
        segment: { start_epoch: step.start_epoch, from, to },
        epochs: step.end_epoch,
      });
      const epochs: EpochRecord[] = [];
      outcome = await executor.start(task, (epoch) => {
        epochs.push(epoch);
        options.onEpoch?.(epoch);
      }).outcome;
      if (epochs.length > 0) await storage.appendEpochs(replay.id, trial.number, epochs, owner);
      if (outcome.kind === 'failed' || outcome.result.diverged !== undefined) {
        failedAt = step;
        break;
      }
      from = to;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const ended = outcome as TrialOutcome;
  let finish: TrialFinish = withObjectiveValues(decideFinish(ended, { stop: false }, false, spec.metric.name, {}), ended, spec.objectives);
  if (failedAt !== null && failedAt !== lastStep) {
    finish = { ...finish, value: null, error: `epochs ${failedAt.start_epoch}–${failedAt.end_epoch} (trial ${failedAt.trial}'s segment): ${finish.error ?? finish.state}` };
  }
  const stored = await storage.finishTrial(replay.id, trial.number, finish, owner);
  return { study: replay, trial: stored, original, member, schedule };
}

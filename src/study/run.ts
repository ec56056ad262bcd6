import { oneMoreInterruption } from '../core/attempts.js';
import type { Spec } from '../core/spec.js';
import type { SegmentTask, TrialExecutor, TrialTask } from '../core/trainer.js';
import { isFinished, rankByValue, type Attrs, type EpochRecord, type FrozenTrial } from '../core/types.js';
import { createPruner, observeAll, stopRulesFor, type StopDecision } from '../prune/rules.js';
import type { Pruner } from '../prune/pruner.js';
import { createSampler } from '../search/index.js';
import { paramStream } from '../search/rng.js';
import { storedStages } from '../search/stored-stages.js';
import type { Storage, StudyRecord, TrialOwner } from '../store/storage.js';
import { TrialFinishedError, TrialOwnershipError } from '../store/errors.js';
import { CurveCache } from './curve-cache.js';
import { EpochWriter } from './epoch-writer.js';
import type { StudyEvents } from './events.js';
import { InFlight } from './in-flight.js';
import type { LingerOptions } from './linger.js';
import { Linger } from './linger.js';
import { KeptModels, modelsRoot } from './keep.js';
import { resolveInitFrom } from './warm-start.js';
import { openStudy } from './open.js';
import { decideFinish, withObjectiveValues } from './outcome.js';
import { nextTrial } from './next-trial.js';
import { OrphanScan } from './orphans.js';
import { ownerId } from './owner.js';
import { checkpointsRoot, pruneCheckpoints, segmentTask } from './pbt.js';
import { VerdictKeeper } from './verdict.js';

export interface RunStudyOptions {
  spec: Spec;
  storage: Storage;
  executor: TrialExecutor;
  /** Study name; defaults to the spec's name. */
  studyName?: string;
  /** Total trials for this run, instead of the spec's run_cap (not stored with the study). */
  runCap?: number | null;
  allowSpecChange?: boolean;
  events?: StudyEvents;
  /**
   * Aborting (a first Ctrl-C) launches nothing new; running trials may still finish within
   * `graceMs`, are then asked to stop, and have their workers killed if they have not ended
   * shortly after (see InFlight). Those end `interrupted`.
   */
  signal?: AbortSignal;
  /** Aborting (a second Ctrl-C) kills running trials' workers at once; they end `interrupted`. */
  killSignal?: AbortSignal;
  /** Default 10 000. */
  graceMs?: number;
  /** Runs once the study is open, only if it has trials left to run (e.g. the preflight checks). */
  beforeTrials?: () => Promise<void>;
  /** Owner id of this process's trials (default host:pid). */
  owner?: string;
  heartbeatMs?: number;
  /** A running trial whose heartbeat is older than this is an orphan (another host died). */
  staleAfterMs?: number;
  /** Start at most this many trials in this process (a worker's --max-trials). */
  maxTrials?: number | null;
  /**
   * With nothing to claim, wait while the study's trials run elsewhere (to take over those
   * orphaned) instead of returning: how a worker sharing a study behaves (see Linger).
   */
  linger?: LingerOptions;
}

export interface RunSummary {
  study: StudyRecord;
  resumed: boolean;
  /** Trials this run started (new or re-run). */
  ran: number;
  interrupted: boolean;
  /** Why the run stopped itself before its budget (a full disk under method pbt); null otherwise. */
  halted: string | null;
  trials: FrozenTrial[];
}

/** The trials a study will have: a grid or a stage plan has only so many, and a larger run_cap stops at its end. */
export function trialCap(spec: Spec, planned: number | null, requested: number | null): number | null {
  return spec.method === 'random' || planned === null ? requested : requested === null ? planned : Math.min(requested, planned);
}

/** Runs a study to its budget: ask → dispatch → record each epoch → tell, on every slot. */
export async function runStudy(options: RunStudyOptions): Promise<RunSummary> {
  const { spec, storage, executor, events = {} } = options;
  const name = options.studyName ?? spec.name;
  const owner = options.owner ?? ownerId();
  // Load the trainer first: a backend that cannot load leaves no empty study behind.
  const ready = await executor.prepare();
  // A new study is checked before it is created; an existing one after the spec comparison.
  const isNew = (await storage.getStudy(name)) === null;
  if (isNew) await options.beforeTrials?.();
  const root = modelsRoot(storage.location);
  const kept = new KeptModels(root, spec.keep_models, await resolveInitFrom(storage, spec, name, root));
  const { study, resumed } = await openStudy(storage, spec, { name, allowSpecChange: options.allowSpecChange ?? false });
  const stages = spec.method === 'coarse-to-fine' ? storedStages(await storage.listTrials(study.id), study.attrs['stages']) : [];
  const sampler = createSampler({ spec, direction: spec.metric.goal, storedStages: stages });
  const cap = trialCap(spec, sampler.planned, options.runCap ?? spec.run_cap);
  const maxAttempts = 1 + spec.pool.max_retries;
  const staleAfterMs = options.staleAfterMs ?? 120_000;

  const before = await storage.listTrials(study.id);
  const finishedBefore = before.filter((t) => isFinished(t.state)).length;
  if (!isNew && (cap === null || finishedBefore < cap)) await options.beforeTrials?.();
  events.studyStarted?.({
    study,
    resumed,
    cap,
    ...(spec.method === 'pbt' && spec.pbt?.synch !== true ? { atMost: true } : {}),
    finishedBefore,
    bestBefore: rankByValue(before.filter((t) => t.state === 'complete'), study.direction)[0]?.value ?? null,
    executor: executor.description,
    slots: executor.slots,
    backend: ready.backend,
    backendNote: ready.note,
    ...(sampler.choice === undefined ? {} : { choice: sampler.choice }),
  });

  const pbtRoot = spec.method === 'pbt' ? checkpointsRoot(spec, storage, study.name) : null;
  const writer = new EpochWriter(storage, study.id);
  const curves = await storage.getStudyEpochs(study.id);
  const verdicts = new VerdictKeeper(
    spec.diagnose,
    before.filter((t) => t.state === 'complete').map((t) => curves.get(t.number) ?? []),
  );
  const pruner = createPruner(spec.early_terminate, { metric: spec.metric, bracketDraw: (n) => paramStream(spec.seed, n, 'early_terminate.bracket').uniform() });
  const pruning = pruner === null || spec.early_terminate === null ? null : { pruner, cache: new CurveCache(storage, study.id, spec.early_terminate.metric, before, curves) };
  const running = new InFlight();
  const onAbort = (): void => running.drain(options.graceMs ?? 10_000);
  const onKill = (): void => running.now();
  if (options.signal?.aborted === true) onAbort();
  options.signal?.addEventListener('abort', onAbort);
  options.killSignal?.addEventListener('abort', onKill);
  const heartbeat = setInterval(() => {
    if (running.size > 0) void storage.heartbeat(study.id, running.numbers(), owner).catch(() => undefined);
  }, options.heartbeatMs ?? 5_000);
  heartbeat.unref();

  let ran = 0;
  const orphans = new OrphanScan();
  const next = (): Promise<FrozenTrial | null> =>
    nextTrial({ storage, study, sampler, spec, cap, owner, maxAttempts, staleAfterMs, events, orphans, isStopping: () => running.stopping });

  let taken = 0;
  const maxTrials = options.maxTrials ?? null;
  const slotLoop = async (slot: number): Promise<void> => {
    const linger = options.linger === undefined ? null : new Linger(storage, study, cap, sampler, options.linger);
    while (!running.stopping) {
      if (maxTrials !== null && taken >= maxTrials) return;
      taken += 1;
      const trial = await next();
      if (trial === null) {
        taken -= 1;
        if (linger !== null && (await linger.again(() => running.stopping))) continue;
        return;
      }
      linger?.busy();
      if (running.stopping) {
        // Taken just as the run was interrupted: left for the next run, which re-runs it.
        await storage.finishTrial(study.id, trial.number, {
          state: 'interrupted',
          value: null,
          error: 'interrupted before it started',
          attrs: oneMoreInterruption(trial.attrs),
        });
        return;
      }
      ran += 1;
      await runTrial({ trial, slot, spec, study, executor, writer, storage, events, running, verdicts, pruning, kept, pbtRoot });
    }
  };
  try {
    await Promise.all(Array.from({ length: executor.slots }, (_, slot) => slotLoop(slot)));
  } finally {
    clearInterval(heartbeat);
    running.dispose();
    options.signal?.removeEventListener('abort', onAbort);
    options.killSignal?.removeEventListener('abort', onKill);
    await writer.flush();
  }
  return { study, resumed, ran, interrupted: running.stopping, halted: running.halted, trials: await storage.listTrials(study.id) };
}

interface RunTrialContext {
  trial: FrozenTrial;
  slot: number;
  spec: Spec;
  study: StudyRecord;
  executor: TrialExecutor;
  writer: EpochWriter;
  storage: Storage;
  events: StudyEvents;
  running: InFlight;
  verdicts: VerdictKeeper;
  pruning: { pruner: Pruner; cache: CurveCache } | null;
  kept: KeptModels;
  /** method: pbt — the folder of the segments' checkpoints (null for other methods). */
  pbtRoot: string | null;
}

/** What the trainer of `trial` is given; a pbt segment trains from `segment.from` up to `epochs`. */
export function taskFor(
  spec: Spec,
  study: string,
  trial: Pick<FrozenTrial, 'number' | 'attempt' | 'seed' | 'params'>,
  kept: KeptModels,
  segment: { segment: SegmentTask; epochs: number } | undefined,
): TrialTask {
  const keep = kept.target(study, trial.number);
  return {
    ...(segment === undefined ? {} : { segment: segment.segment }),
    ...(keep === undefined ? {} : { keep }),
    ...(kept.initFrom === undefined ? {} : { init_from: kept.initFrom }),
    ...(spec.user_model === undefined ? {} : { user_model: spec.user_model }),
    study,
    trial: trial.number,
    attempt: trial.attempt,
    seed: trial.seed,
    params: trial.params,
    trainer: spec.trainer,
    module: spec.module,
    // The data's seed defaults to the study's, so a study seed changes the split too.
    data: spec.data === null ? null : { ...spec.data, seed: spec.data.seed ?? spec.seed },
    // A segment trains up to its end epoch.
    train: segment === undefined ? spec.train : { ...spec.train, epochs: segment.epochs },
    early_terminate: spec.early_terminate,
    metric: spec.metric,
    measure_inference: (spec.objectives ?? [spec.metric]).some((o) => o.name === 'inference_ms'),
  };
}

/**
 * Dispatches one trial, streams its epochs to storage and stop rules, and records its end.
 * Every write is guarded by the trial's owner and attempt: when another process has taken
 * the trial over meanwhile, this run's epochs and result are refused and dropped.
 */
async function runTrial(ctx: RunTrialContext): Promise<void> {
  const { trial, spec, storage, events } = ctx;
  // createTrial and claimUnfinishedTrial hand the trial over owned by this process.
  if (trial.worker === null) throw new Error(`trial ${trial.number} has no owner`);
  const owner: TrialOwner = { worker: trial.worker, attempt: trial.attempt };
  events.trialStarted?.(trial, ctx.slot);
  const { pruning } = ctx;
  if (pruning !== null) {
    await pruning.cache.refresh();
    pruning.cache.start(trial.number);
  }
  const curves = pruning?.cache.curves;
  const rules = stopRulesFor(spec.early_terminate, spec.metric, pruning === null || curves === undefined ? undefined : { pruner: pruning.pruner, curves, trial: trial.number });
  const epochsPlanned = typeof trial.params['epochs'] === 'number' ? trial.params['epochs'] : typeof spec.train['epochs'] === 'number' ? spec.train['epochs'] : null;
  let decision: StopDecision = { stop: false };
  let stopTrial: (reason: string) => void = () => undefined;
  const started = performance.now();
  const epochs: EpochRecord[] = [];
  const handle = ctx.executor.start(taskFor(spec, ctx.study.name, trial, ctx.kept, ctx.pbtRoot === null ? undefined : segmentTask(ctx.pbtRoot, trial)), (epoch) => {
    epochs.push(epoch);
    curves?.record(trial.number, epoch);
    ctx.writer.add(trial.number, epoch, owner);
    events.epoch?.(trial.number, epoch, epochsPlanned);
    if (!decision.stop) {
      decision = observeAll(rules, epoch);
      if (decision.stop) stopTrial(decision.reason);
    }
  });
  stopTrial = (reason) => handle.stop(reason);
  ctx.running.add(trial.number, handle);
  const outcome = await handle.outcome;
  const stoppedByRun = ctx.running.remove(trial.number);
  const { failure: lost, tail } = await ctx.writer.settle(trial.number, epochs, owner);
  const stage = trial.attrs['stage'];
  const extra: Attrs = stage === undefined ? {} : { stage };
  const interrupted = outcome.kind === 'finished' ? outcome.stopReason === 'interrupted' : stoppedByRun;
  // Epochs that could not be stored, even again (not for ownership: that is told below, with the finish).
  const hole = lost !== null && !(lost instanceof TrialOwnershipError) ? lost : null;
  // A full disk is not the segment's fault: it is left to be re-run, and the run stops.
  const full = ctx.pbtRoot !== null && outcome.kind === 'failed' && outcome.error.includes('ENOSPC');
  if (full) {
    events.info?.(`trial ${trial.number}: ${outcome.error}`);
    ctx.running.halt(outcome.error);
  }
  const decided = full ? { state: 'interrupted' as const, value: null, error: outcome.error, attrs: extra } : withObjectiveValues(decideFinish(outcome, decision, interrupted, spec.metric.name, extra), outcome, spec.objectives);
  // A curve with a hole is not a result: the trial is left to be re-run whole.
  const finish = hole === null ? decided : { state: 'interrupted' as const, value: null, error: `some epochs could not be stored (${hole.message})`, attrs: extra };
  ctx.kept.settle(finish);
  if (finish.state === 'interrupted') {
    finish.attrs = { ...finish.attrs, ...oneMoreInterruption(trial.attrs) };
  } else {
    const ended: FrozenTrial = { ...trial, state: finish.state, value: finish.value, error: finish.error, attrs: finish.attrs ?? {} };
    finish.attrs = { ...finish.attrs, verdict: ctx.verdicts.judge(ended, epochs) };
  }
  if (hole !== null) events.info?.(`trial ${trial.number}: some epochs could not be stored (${hole.message}); it is left to be re-run`);
  let stored: FrozenTrial;
  try {
    // The epochs still queued are stored with the finish (dropped with it when refused).
    stored = await storage.finishTrial(ctx.study.id, trial.number, tail.length === 0 ? finish : { ...finish, epochs: tail }, owner);
  } catch (error) {
    pruning?.cache.finish({ ...trial, state: 'interrupted' });
    // Another process took the trial over (its heartbeat looked stale, or this process
    // looked dead) and runs or recorded it: keep theirs, and keep this run going.
    if (error instanceof TrialOwnershipError) {
      events.info?.(`trial ${trial.number} was taken over by another process; this run's result is dropped`);
      return;
    }
    if (!(error instanceof TrialFinishedError)) throw error;
    events.info?.(`trial ${trial.number} was recorded by another process; this run's result is dropped`);
    return;
  }
  pruning?.cache.finish(stored);
  await ctx.kept.prune(storage, ctx.study.id, spec.metric.goal, spec.objectives);
  if (ctx.pbtRoot !== null) await pruneCheckpoints(storage, ctx.study, ctx.pbtRoot, spec.pbt?.synch ?? false);
  events.trialFinished?.(stored, (performance.now() - started) / 1000);
}

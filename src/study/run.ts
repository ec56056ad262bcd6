import type { Spec } from '../core/spec.js';
import type { RunningTrial, TrialExecutor, TrialTask } from '../core/trainer.js';
import { isFinished, type Attrs, type EpochRecord, type FrozenTrial, type JsonValue } from '../core/types.js';
import { observeAll, stopRulesFor, type StopDecision } from '../prune/rules.js';
import { createSampler, stageOfTrial, stagePlan } from '../search/index.js';
import type { Sampler, StageRanges } from '../search/sampler.js';
import type { Storage, StudyRecord } from '../store/storage.js';
import { EpochWriter } from './epoch-writer.js';
import type { StudyEvents } from './events.js';
import { openStudy } from './open.js';
import { decideFinish } from './outcome.js';
import { ownerId, ownerIsGone } from './owner.js';
import { trialSeed } from './seed.js';
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
  /** Aborting launches nothing new and stops running trials, which end `interrupted`. */
  signal?: AbortSignal;
  /** Owner id of this process's trials (default host:pid). */
  owner?: string;
  heartbeatMs?: number;
  /** A running trial whose heartbeat is older than this is an orphan (another host died). */
  staleAfterMs?: number;
}

export interface RunSummary {
  study: StudyRecord;
  resumed: boolean;
  /** Trials this run started (new or re-run). */
  ran: number;
  interrupted: boolean;
  trials: FrozenTrial[];
}

/** Runs a study to its budget: ask → dispatch → record each epoch → tell, on every slot. */
export async function runStudy(options: RunStudyOptions): Promise<RunSummary> {
  const { spec, storage, executor, events = {} } = options;
  const name = options.studyName ?? spec.name;
  const owner = options.owner ?? ownerId();
  const { study, resumed } = await openStudy(storage, spec, { name, allowSpecChange: options.allowSpecChange ?? false });
  const storedStages = (study.attrs['stages'] ?? []) as unknown as StageRanges[];
  const sampler = createSampler({ spec, direction: spec.metric.goal, storedStages });
  const cap = options.runCap ?? spec.run_cap ?? sampler.planned;
  const maxAttempts = 1 + spec.pool.max_retries;
  const staleAfterMs = options.staleAfterMs ?? 120_000;

  const before = await storage.listTrials(study.id);
  events.studyStarted?.({
    study,
    resumed,
    cap,
    finishedBefore: before.filter((t) => ['complete', 'pruned', 'diverged', 'failed'].includes(t.state)).length,
    executor: executor.description,
    slots: executor.slots,
  });

  const writer = new EpochWriter(storage, study.id);
  const curves = await storage.getStudyEpochs(study.id);
  const verdicts = new VerdictKeeper(
    spec.diagnose,
    before.filter((t) => t.state === 'complete').map((t) => curves.get(t.number) ?? []),
  );
  const running = new Map<number, RunningTrial>();
  let stopping = options.signal?.aborted ?? false;
  const onAbort = (): void => {
    stopping = true;
    for (const handle of running.values()) handle.stop('interrupted');
  };
  options.signal?.addEventListener('abort', onAbort);
  const heartbeat = setInterval(() => {
    if (running.size > 0) void storage.heartbeat(study.id, [...running.keys()], owner).catch(() => undefined);
  }, options.heartbeatMs ?? 5_000);
  heartbeat.unref();

  let ran = 0;
  const next = (): Promise<FrozenTrial | null> =>
    nextTrial({ storage, study, sampler, spec, cap, owner, maxAttempts, staleAfterMs, events, isStopping: () => stopping });

  const slotLoop = async (slot: number): Promise<void> => {
    while (!stopping) {
      const trial = await next();
      if (trial === null) return;
      ran += 1;
      await runTrial({ trial, slot, spec, study, executor, writer, storage, events, running, isStopping: () => stopping, verdicts });
    }
  };
  try {
    await Promise.all(Array.from({ length: executor.slots }, (_, slot) => slotLoop(slot)));
  } finally {
    clearInterval(heartbeat);
    options.signal?.removeEventListener('abort', onAbort);
    await writer.flush();
  }
  return { study, resumed, ran, interrupted: stopping, trials: await storage.listTrials(study.id) };
}

interface NextTrialContext {
  storage: Storage;
  study: StudyRecord;
  sampler: Sampler;
  spec: Spec;
  cap: number | null;
  owner: string;
  maxAttempts: number;
  staleAfterMs: number;
  events: StudyEvents;
  isStopping: () => boolean;
}

/** An unfinished trial to re-run (same parameters and seed), else a new one, else null. */
async function nextTrial(ctx: NextTrialContext): Promise<FrozenTrial | null> {
  const { storage, study, sampler, spec } = ctx;
  const runningTrials = await storage.listTrials(study.id, { states: ['running'] });
  const orphanOwners = [...new Set(runningTrials.map((t) => t.worker ?? ''))].filter((w) => w !== '' && ownerIsGone(w));
  const staleBefore = new Date(Date.now() - ctx.staleAfterMs).toISOString();
  const claimed = await storage.claimUnfinishedTrial(study.id, {
    worker: ctx.owner,
    staleBefore,
    orphanOwners,
    maxAttempts: ctx.maxAttempts,
  });
  if (claimed !== null) {
    ctx.events.info?.(`re-running trial ${claimed.number} (attempt ${claimed.attempt}) with its parameters and seed`);
    return claimed;
  }
  await abandonExhausted(ctx, runningTrials, orphanOwners, staleBefore);

  if (spec.method === 'coarse-to-fine' && !(await earlierStagesDone(ctx))) return null;
  const known = sampler.stages().length;
  const history =
    spec.method === 'coarse-to-fine'
      ? (await storage.listTrials(study.id, { states: ['complete'] })).map((t) => ({ number: t.number, params: t.params, value: t.value }))
      : [];
  const created = await storage.createTrial(study.id, {
    cap: ctx.cap,
    worker: ctx.owner,
    build: (number) => {
      const s = sampler.suggest(number, history);
      const attrs: Attrs = s.stage === null ? {} : { stage: s.stage };
      return {
        params: s.params,
        distributions: s.distributions,
        seed: trialSeed(spec.seed, number),
        attrs,
      };
    },
  });
  const stages = sampler.stages();
  if (stages.length > known) {
    await storage.setStudyAttr(study.id, 'stages', stages as unknown as JsonValue);
    for (const stage of stages.slice(known)) ctx.events.stageDecided?.(stage);
  }
  return created;
}

/**
 * A coarse-to-fine stage is fitted to the trials before it, so its first trial waits until
 * every earlier trial has finished. Resolves false if the run is stopping meanwhile.
 */
async function earlierStagesDone(ctx: NextTrialContext): Promise<boolean> {
  const plan = stagePlan(ctx.spec.stages);
  for (;;) {
    if (ctx.isStopping()) return false;
    const trials = await ctx.storage.listTrials(ctx.study.id);
    const stage = stageOfTrial(plan, trials.length);
    const first = stage === null ? undefined : plan[stage]?.first;
    if (stage === 0 || first === undefined) return true;
    if (!trials.some((t) => t.number < first && !isFinished(t.state))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Orphaned trials that used up their attempts end as failed, so the study can finish. */
async function abandonExhausted(
  ctx: NextTrialContext,
  runningTrials: readonly FrozenTrial[],
  orphanOwners: readonly string[],
  staleBefore: string,
): Promise<void> {
  for (const t of runningTrials) {
    const orphan = orphanOwners.includes(t.worker ?? '') || (t.heartbeat !== null && t.heartbeat < staleBefore);
    if (orphan && t.attempt >= ctx.maxAttempts) {
      await ctx.storage
        .finishTrial(ctx.study.id, t.number, {
          state: 'failed',
          value: null,
          error: `its worker died ${t.attempt} time(s); gave up after max_retries`,
        })
        .catch(() => undefined);
    }
  }
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
  running: Map<number, RunningTrial>;
  isStopping: () => boolean;
  verdicts: VerdictKeeper;
}

function taskFor(spec: Spec, study: StudyRecord, trial: FrozenTrial): TrialTask {
  return {
    study: study.name,
    trial: trial.number,
    attempt: trial.attempt,
    seed: trial.seed,
    params: trial.params,
    trainer: spec.trainer,
    module: spec.module,
    data: spec.data,
    train: spec.train,
    early_terminate: spec.early_terminate,
    metric: spec.metric,
  };
}

/** Dispatches one trial, streams its epochs to storage and stop rules, and records its end. */
async function runTrial(ctx: RunTrialContext): Promise<void> {
  const { trial, spec, storage, events } = ctx;
  events.trialStarted?.(trial, ctx.slot);
  const rules = stopRulesFor(spec.early_terminate);
  const epochsPlanned = typeof trial.params['epochs'] === 'number' ? trial.params['epochs'] : typeof spec.train['epochs'] === 'number' ? spec.train['epochs'] : null;
  let decision: StopDecision = { stop: false };
  let handle: RunningTrial | null = null;
  const started = performance.now();
  const epochs: EpochRecord[] = [];
  handle = ctx.executor.start(taskFor(spec, ctx.study, trial), (epoch) => {
    epochs.push(epoch);
    ctx.writer.add(trial.number, epoch);
    events.epoch?.(trial.number, epoch, epochsPlanned);
    if (!decision.stop) {
      decision = observeAll(rules, epoch);
      if (decision.stop) handle?.stop(decision.reason);
    }
  });
  ctx.running.set(trial.number, handle);
  if (ctx.isStopping()) handle.stop('interrupted');
  const outcome = await handle.outcome;
  ctx.running.delete(trial.number);
  await ctx.writer.flush();
  const stage = trial.attrs['stage'];
  const extra: Attrs = stage === undefined ? {} : { stage };
  const interrupted = outcome.kind === 'finished' ? outcome.stopReason === 'interrupted' : ctx.isStopping();
  const finish = decideFinish(outcome, decision, interrupted, spec.metric.name, extra);
  if (finish.state !== 'interrupted') {
    const ended: FrozenTrial = { ...trial, state: finish.state, value: finish.value, error: finish.error, attrs: finish.attrs ?? {} };
    finish.attrs = { ...finish.attrs, verdict: ctx.verdicts.judge(ended, epochs) };
  }
  const stored = await storage.finishTrial(ctx.study.id, trial.number, finish);
  events.trialFinished?.(stored, (performance.now() - started) / 1000);
}

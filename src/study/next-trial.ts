/** Which trial a slot runs next: an orphaned or interrupted one to re-run, else a new one. */
import { VALUES_ATTR } from '../core/objectives.js';
import type { Spec } from '../core/spec.js';
import { STAGE_RANGES_ATTR } from '../core/stages.js';
import { isFinished, type Attrs, type FrozenTrial, type JsonValue } from '../core/types.js';
import { PbtSampler, stageOfTrial, stagePlan } from '../search/index.js';
import type { SampledTrial, Sampler, StageRanges } from '../search/sampler.js';
import type { Storage, StudyRecord } from '../store/storage.js';
import type { StudyEvents } from './events.js';
import type { OrphanScan } from './orphans.js';
import { nextSegmentTrial } from './pbt.js';
import { trialSeed } from './seed.js';

export interface NextTrialContext {
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
  orphans: OrphanScan;
}

/**
 * An unfinished trial to re-run (same parameters and seed), else a new one, else null (the
 * budget is met and nothing is left to re-run).
 */
export async function nextTrial(ctx: NextTrialContext): Promise<FrozenTrial | null> {
  const { storage, study, sampler, spec } = ctx;
  const claimed = await claimUnfinished(ctx, false);
  if (claimed !== null) return claimed;
  if (sampler instanceof PbtSampler) return (await nextSegmentTrial(ctx, sampler, () => claimUnfinished(ctx, false))) ?? (await claimUnfinished(ctx, true));

  let created: FrozenTrial | null = null;
  let decided: StageRanges[] = [];
  for (;;) {
    if (spec.method === 'coarse-to-fine') {
      const waited = await earlierStagesDone(ctx);
      if (waited !== true) return waited;
    }
    const learns = usesHistory(spec);
    const snapshot = learns ? await storage.listTrials(study.id) : [];
    const live = learns ? snapshot.map(sampledTrial) : undefined;
    try {
      created = await storage.createTrial(study.id, {
        cap: ctx.cap,
        worker: ctx.owner,
        // A sampler that does not learn builds any number's trial cheaply and alike anywhere.
        lookahead: learns ? 0 : LOOKAHEAD,
        build: (number) => {
          const known = sampler.stages().length;
          const s = sampler.suggest(number, stageHistory(spec, snapshot, number), live);
          const attrs: Attrs = s.stage === null ? {} : { stage: s.stage };
          // A stage this allocation decided is stored with it, in the same transaction.
          decided = sampler.stages().slice(known);
          if (decided.length > 0) attrs[STAGE_RANGES_ATTR] = decided as unknown as JsonValue;
          return { params: s.params, distributions: s.distributions, seed: trialSeed(spec.seed, number), attrs };
        },
      });
      break;
    } catch (error) {
      // Another process took the number the barrier was checked for: wait again.
      if (!(error instanceof StageNotReady)) throw error;
    }
  }
  if (created !== null) for (const stage of decided) ctx.events.stageDecided?.(stage);
  // The budget is met: one fresh look for trials orphaned since the last scan.
  return created ?? (await claimUnfinished(ctx, true));
}

/**
 * How many numbers past the next a trial is built for when it costs little (see
 * Storage.createTrial): enough that a PostgreSQL worker rarely loses its number to the
 * others inserting while its statement is on its way.
 */
const LOOKAHEAD = 8;

/** Whether the method learns from the trials so far (all but random and grid). */
function usesHistory(spec: Spec): boolean {
  return spec.method !== 'random' && spec.method !== 'grid';
}

function sampledTrial(t: FrozenTrial): SampledTrial {
  const values = t.attrs[VALUES_ATTR];
  const vector = Array.isArray(values) ? values.map((v) => (typeof v === 'number' ? v : null)) : undefined;
  return { number: t.number, params: t.params, value: t.value, state: t.state, ...(vector === undefined ? {} : { values: vector }) };
}

/** Thrown inside a trial's allocation when its coarse-to-fine stage may not start yet. */
class StageNotReady extends Error {}

/**
 * What a coarse-to-fine stage is fitted to: the complete trials before its first, and only
 * when every one of those has finished (else StageNotReady: the allocation is abandoned).
 * The same inputs in every process give every process the same stage ranges.
 */
function stageHistory(spec: Spec, snapshot: readonly FrozenTrial[], number: number): SampledTrial[] {
  if (spec.method !== 'coarse-to-fine') return [];
  const plan = stagePlan(spec.stages);
  const stage = stageOfTrial(plan, number);
  const first = stage === null ? undefined : plan[stage]?.first;
  if (stage === null || stage === 0 || first === undefined) return [];
  const before = snapshot.filter((t) => t.number < first);
  if (before.length < first || before.some((t) => !isFinished(t.state))) throw new StageNotReady();
  return before.filter((t) => t.state === 'complete').map((t) => ({ number: t.number, params: t.params, value: t.value }));
}

/**
 * Takes an interrupted or waiting trial to re-run, else an orphaned one, if there is one. An
 * interruption (Ctrl-C) is not the trial's fault: such trials are re-run however often that
 * happened; orphans (their worker died) at most `max_retries` times. While the last scan of
 * the study (at most a second old, OrphanScan) shows nothing to take over, and this is not
 * the fresh look taken once the budget is met, no claim is sent.
 */
async function claimUnfinished(ctx: NextTrialContext, fresh: boolean): Promise<FrozenTrial | null> {
  const { storage, study, owner } = ctx;
  // Staleness by the storage's clock (the one heartbeats are stamped with), not this host's.
  const staleBefore = new Date((await ctx.orphans.storageNow(storage)) - ctx.staleAfterMs).toISOString();
  const scan = await ctx.orphans.scan(ctx, staleBefore, fresh);
  if (!scan.claimable && !fresh) return null;
  const claimed =
    (await storage.claimUnfinishedTrial(study.id, { worker: owner, staleBefore: null, orphanOwners: [], maxAttempts: null })) ??
    (await storage.claimUnfinishedTrial(study.id, {
      worker: owner,
      staleBefore,
      orphanOwners: scan.owners,
      maxAttempts: ctx.maxAttempts,
    }));
  if (claimed === null) ctx.orphans.nothingLeft();
  else ctx.events.info?.(`re-running trial ${claimed.number} (attempt ${claimed.attempt}) with its parameters and seed`);
  return claimed;
}

/**
 * A coarse-to-fine stage is fitted to the trials before it, so its first trial waits until
 * every earlier trial has finished: true then. Meanwhile an earlier trial orphaned by another
 * process is taken over (and returned), as nobody else may be left to re-run it; null if the
 * run is stopping.
 */
async function earlierStagesDone(ctx: NextTrialContext): Promise<true | FrozenTrial | null> {
  const plan = stagePlan(ctx.spec.stages);
  for (;;) {
    if (ctx.isStopping()) return null;
    const trials = await ctx.storage.listTrials(ctx.study.id);
    const stage = stageOfTrial(plan, trials.length);
    const first = stage === null ? undefined : plan[stage]?.first;
    if (stage === 0 || first === undefined) return true;
    if (!trials.some((t) => t.number < first && !isFinished(t.state))) return true;
    const orphan = await claimUnfinished(ctx, false);
    if (orphan !== null) return orphan;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

import { pathToFileURL } from 'node:url';
import { errorMessage, UsageError } from '../core/errors.js';
import type { TrainContext, TrainFunction, TrialTask } from '../core/trainer.js';
import type { Attrs, JsonValue, Metrics, ParamValue, Params } from '../core/types.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';

/** The context a user's `train(params, ctx)` receives. */
export interface ModuleTrainContext {
  readonly seed: number;
  readonly trial: number;
  /**
   * Resolves with the epoch's verdict: `await` it, and a stopped trial trains no epoch past it.
   * Called once the trial was asked to stop, it throws (ending a loop that does not await it).
   * Under method pbt, pass `{ checkpoint }` (any JSON value: weights, state, a file name): the
   * last one passed is what this member, or another that exploits it, starts from next.
   */
  report(metrics: Record<string, number>, options?: { checkpoint?: JsonValue }): Promise<void>;
  shouldStop(): boolean;
  /** Epochs trained already (method pbt: where this segment starts; 0 otherwise). */
  readonly startEpoch: number;
  /** What the member this segment starts from last reported as its checkpoint (null: from scratch). */
  readonly checkpoint: JsonValue | null;
}

type UserTrain = (params: Params, ctx: ModuleTrainContext) => unknown;

const loaded = new Map<string, Promise<UserTrain>>();

/** Imports the user's module once per worker and finds its `train` function. */
function loadUserTrain(path: string): Promise<UserTrain> {
  let found = loaded.get(path);
  if (found === undefined) {
    found = import(pathToFileURL(path).href).then((mod: Record<string, unknown>) => {
      const candidate = mod['train'] ?? (mod['default'] as Record<string, unknown> | undefined)?.['train'] ?? mod['default'];
      if (typeof candidate !== 'function') {
        throw new TypeError(`${path} does not export a train(params, ctx) function`);
      }
      return candidate as UserTrain;
    });
    loaded.set(path, found);
  }
  return found;
}

/**
 * Loads a module trainer's file and checks it exports `train`, before any study is made:
 * a missing export is bad usage (exit 2), not a study full of failed trials.
 */
export async function checkModuleTrainer(path: string): Promise<void> {
  try {
    await loadUserTrain(path);
  } catch (error) {
    loaded.delete(path);
    throw new UsageError(`module trainer ${path}: ${errorMessage(error)}`, { cause: error });
  }
}

/** Thrown by a report made after the trial was asked to stop; ends the user's loop. */
class TrialStopped extends Error {}

/** Checks that every reported value is a number; names the offending one otherwise. */
function toMetrics(value: unknown, what: string): Metrics {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${what} must be an object of numbers, got ${JSON.stringify(value)}`);
  }
  const out: Metrics = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'number') throw new TypeError(`${what}: metric '${k}' must be a number, got ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out;
}

/** Fixed settings and sampled parameters, as the user's function sees them (lists as JSON). */
export function userParams(task: TrialTask): Params {
  const fixed: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(task.train)) fixed[k] = Array.isArray(v) ? JSON.stringify(v) : v;
  return { ...fixed, ...task.params };
}

/**
 * The `module` trainer: runs a user's JavaScript `train(params, ctx)`. It reports once per
 * epoch through `ctx.report` and returns its final metrics (an object of numbers, a single
 * number for the study's metric, or nothing: then the last report counts).
 */
export const train: TrainFunction = async (task: TrialTask, ctx: TrainContext) => {
  if (task.module === null) throw new Error('trainer: module needs `module:` in the spec');
  const userTrain = await loadUserTrain(task.module);
  let last: Metrics = {};
  const segment = task.segment;
  const startEpoch = segment?.start_epoch ?? 0;
  const from = segment?.from === null || segment?.from === undefined ? null : readCheckpoint(segment.from).state;
  let checkpoint: JsonValue | undefined;
  let epochs = startEpoch;
  const userCtx: ModuleTrainContext = {
    seed: ctx.seed,
    trial: task.trial,
    startEpoch,
    checkpoint: from,
    report(metrics, options) {
      if (ctx.shouldStop()) throw new TrialStopped('the trial was asked to stop');
      last = toMetrics(metrics, 'ctx.report()');
      if (options?.checkpoint !== undefined) checkpoint = options.checkpoint;
      epochs += 1;
      return ctx.report(last);
    },
    shouldStop: () => ctx.shouldStop(),
  };
  let returned: unknown;
  try {
    returned = await userTrain(userParams(task), userCtx);
  } catch (error) {
    if (!(error instanceof TrialStopped)) throw error;
    returned = undefined;
  }
  let metrics: Metrics;
  if (returned === undefined || returned === null) metrics = { ...last };
  else if (typeof returned === 'number') metrics = { ...last, [task.metric.name]: returned };
  else metrics = { ...last, ...toMetrics(returned, 'the value train() returned') };
  const attrs: Attrs = { trainer: 'module' };
  if (segment !== undefined && !ctx.shouldStop()) {
    if (checkpoint === undefined) throw new Error('method pbt: train() reported no checkpoint (pass ctx.report(metrics, { checkpoint }) each epoch)');
    writeCheckpoint(segment.to, { epoch: epochs, state: checkpoint });
  }
  return { metrics, attrs };
};

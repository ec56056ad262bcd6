/**
 * The pool: where and how many trials run at once. Slots are long-lived worker threads, or
 * child processes for native TensorFlow.js backends (see plan.ts); each runs one trial at a
 * time (see slot.ts). Workers never open the database: they post each epoch to the main
 * thread, which writes.
 */
import type { Spec } from '../core/spec.js';
import type { TrialExecutor } from '../core/trainer.js';
import { describePlan, planPool, thisMachine, type Machine } from './plan.js';
import { processSpawner } from './process-worker.js';
import type { PrepareRequest } from './protocol.js';
import { SlotExecutor } from './slot-executor.js';
import { Slot, type SlotLimits } from './slot.js';
import { ThreadMemoryWatch } from './thread-memory.js';
import { threadSpawner } from './thread-worker.js';

export { describePlan, planPool, type Machine, type PoolPlan } from './plan.js';

export interface ExecutorOptions {
  spec: Spec;
  /** Slots asked for on the command line; else the spec's parallelism; else one per core. */
  parallelism: number | null;
  /** Overrides for tests. */
  machine?: Machine;
}

/** What a slot's worker must load before its first trial. */
export function prepareRequestFor(spec: Spec): PrepareRequest {
  const backend = spec.train['backend'];
  return { trainer: spec.trainer, backend: typeof backend === 'string' ? backend : null };
}

/**
 * The executor for a study. Workers start lazily (or with `prepare()`); `max_rss_mb` is a
 * worker's heap limit, the memory a running trial may use (measured every 200 ms: threads
 * their heap plus external memory, Buffers and WebAssembly included, and a silent thread its
 * share of the RSS from outside, thread-memory.ts; processes their RSS, from outside), and the
 * level above which a worker is replaced after a trial.
 */
export async function createExecutor(options: ExecutorOptions): Promise<TrialExecutor> {
  const { spec } = options;
  const plan = planPool(spec, options.parallelism, options.machine ?? thisMachine);
  const limits: SlotLimits = {
    maxTrials: spec.pool.max_trials_per_worker,
    maxMemoryMb: spec.pool.max_rss_mb,
    timeoutSeconds: spec.pool.trial_timeout,
  };
  if (spec.trainer === 'command' && spec.command !== undefined) {
    // With `devices:`, one slot per device unless parallelism says otherwise.
    const count = options.parallelism ?? spec.parallelism ?? spec.pool.devices?.length ?? plan.slots;
    // Imported only here: a study of threads or processes never loads the command runner.
    const { commandSlots } = await import('./command-slots.js');
    const { slots, description } = commandSlots(spec.command, count, spec.pool.devices, limits);
    return new SlotExecutor(slots, description, prepareRequestFor(spec));
  }
  const heapLimitMb = spec.pool.max_rss_mb === null ? null : Math.max(1, Math.round(spec.pool.max_rss_mb));
  const watch = spec.pool.max_rss_mb === null ? null : new ThreadMemoryWatch();
  const slots = plan.devices.map(
    (device, i) =>
      new Slot(i, plan.mode === 'thread' ? threadSpawner({ heapLimitMb, watch }) : processSpawner({ heapLimitMb, device }), limits),
  );
  return new SlotExecutor(slots, describePlan(plan), prepareRequestFor(spec));
}

import type { ExecutorInfo, RunningTrial, TrialExecutor, TrialTask } from '../core/trainer.js';
import type { EpochRecord } from '../core/types.js';
import { unwrapReply } from './prepare.js';
import type { PrepareRequest } from './protocol.js';
import type { Slot } from './slot.js';

/** Runs trials on long-lived slots (threads or processes); see Slot. */
export class SlotExecutor implements TrialExecutor {
  readonly slots: number;
  private prepared: Promise<ExecutorInfo> | null = null;

  constructor(
    private readonly pool: readonly Slot[],
    readonly description: string,
    private readonly request: PrepareRequest,
  ) {
    this.slots = pool.length;
  }

  /** Prepares every slot's worker at once; answers with the first slot's backend. */
  prepare(): Promise<ExecutorInfo> {
    this.prepared ??= Promise.all(this.pool.map((slot) => slot.prepare(this.request))).then((replies) => {
      const first = replies.map(unwrapReply)[0];
      return first?.info ?? { backend: null, note: null };
    });
    return this.prepared;
  }

  start(task: TrialTask, onEpoch: (epoch: EpochRecord) => void): RunningTrial {
    const slot = this.pool.find((s) => !s.busy);
    if (slot === undefined) throw new Error(`all ${this.slots} slots already run a trial`);
    return slot.run(task, onEpoch);
  }

  async close(): Promise<void> {
    await Promise.all(this.pool.map((slot) => slot.close()));
  }
}

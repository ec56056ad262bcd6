import type { ExecutorInfo, RunningTrial, TrialExecutor, TrialOutcome, TrialTask } from '../core/trainer.js';
import type { EpochRecord } from '../core/types.js';
import { prepareTrainer, unwrapReply } from './prepare.js';
import type { PrepareRequest } from './protocol.js';
import { runTask } from './run-task.js';

/**
 * Runs trials one at a time in the calling thread: the simplest executor, and the reference.
 * It cannot kill a trial: `terminate` fails it at once and lets the trainer run on unheard.
 */
export class InlineExecutor implements TrialExecutor {
  readonly slots = 1;
  readonly description = '1 slot in the main thread';

  constructor(private readonly request: PrepareRequest | null = null) {}

  async prepare(): Promise<ExecutorInfo> {
    if (this.request === null) return { backend: null, note: null };
    return unwrapReply(await prepareTrainer(this.request)).info;
  }

  start(task: TrialTask, onEpoch: (epoch: EpochRecord) => void): RunningTrial {
    let reason: string | null = null;
    let terminated: ((outcome: TrialOutcome) => void) | null = null;
    const killed = new Promise<TrialOutcome>((resolve) => (terminated = resolve));
    const outcome = Promise.race([runTask(task, onEpoch, () => reason), killed]);
    return {
      stop(why: string) {
        reason ??= why;
      },
      terminate(why: string) {
        reason ??= why;
        terminated?.({ kind: 'failed', error: why });
      },
      outcome,
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

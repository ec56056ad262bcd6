import type { RunningTrial, TrialExecutor, TrialTask } from '../core/trainer.js';
import type { EpochRecord } from '../core/types.js';
import { runTask } from './run-task.js';

/** Runs trials one at a time in the calling thread: the simplest executor, and the reference. */
export class InlineExecutor implements TrialExecutor {
  readonly slots = 1;
  readonly description = '1 slot in the main thread';

  start(task: TrialTask, onEpoch: (epoch: EpochRecord) => void): RunningTrial {
    let reason: string | null = null;
    const outcome = runTask(task, onEpoch, () => reason);
    return {
      stop(why: string) {
        reason ??= why;
      },
      outcome,
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

import { errorMessage } from '../core/errors.js';
import type { TrialOutcome, TrialTask } from '../core/trainer.js';
import type { EpochRecord } from '../core/types.js';
import { loadTrainFunction } from '../train/load.js';

/**
 * Runs one trial in the current thread: loads its trainer, numbers its epochs, turns a
 * throw into a failed outcome. Shared by the thread and process worker entries.
 */
export async function runTask(
  task: TrialTask,
  /** Resolves when the epoch's verdict is in. */
  onEpoch: (epoch: EpochRecord) => Promise<void>,
  stopReason: () => string | null,
): Promise<TrialOutcome> {
  try {
    const train = await loadTrainFunction(task.trainer);
    const startEpoch = task.segment?.start_epoch ?? 0;
    let epoch = startEpoch;
    const result = await train(task, {
      seed: task.seed,
      startEpoch,
      report: (metrics) => onEpoch({ epoch: epoch++, metrics: { ...metrics } }),
      shouldStop: () => stopReason() !== null,
    });
    return { kind: 'finished', result, stopReason: stopReason() };
  } catch (error) {
    return { kind: 'failed', error: errorMessage(error) };
  }
}

import { errorMessage } from '../core/errors.js';
import type { TrialOutcome } from '../core/trainer.js';
import type { EpochRecord } from '../core/types.js';
import { prepareTrainer } from './prepare.js';
import { MEMORY_POLL_MS, type FromWorker, type ToWorker } from './protocol.js';
import { runTask } from './run-task.js';

/** How a worker talks to the main thread (parentPort for threads, the IPC channel for processes). */
export interface WorkerChannel {
  post(message: FromWorker): void;
  listen(handler: (message: ToWorker) => void): void;
}

/**
 * The worker side of a slot: answers `prepare`, runs one trial per `run`, streaming each
 * epoch as it ends and holding the trainer until that epoch's `verdict` comes back, and sets
 * the stop flag the trainer polls through ctx.shouldStop() when a verdict or a `stop` says so.
 * Announces itself with `ready` once it listens. A thread's `stopFlag` (set by the main
 * thread with Atomics as it sends a stop) reaches a trainer whose loop never yields.
 */
export function serve(
  channel: WorkerChannel,
  memoryMb: () => number,
  tid: number | null = null,
  stopFlag: Int32Array | null = null,
): void {
  let stopReason: string | null = null;
  const currentStop = (): string | null =>
    stopReason ?? (stopFlag !== null && Atomics.load(stopFlag, 0) !== 0 ? 'asked to stop' : null);
  /** The trainer's reports waiting for their verdicts, by epoch. */
  const judging = new Map<number, () => void>();
  const release = (): void => {
    for (const resolve of judging.values()) resolve();
    judging.clear();
  };
  const postDone = (outcome: TrialOutcome): void => {
    try {
      channel.post({ type: 'done', outcome, memoryMb: memoryMb() });
    } catch (error) {
      // The result could not be cloned (e.g. a function among the attributes).
      const failed: TrialOutcome = { kind: 'failed', error: `the trainer's result could not be sent: ${errorMessage(error)}` };
      channel.post({ type: 'done', outcome: failed, memoryMb: memoryMb() });
    }
  };
  channel.listen((message) => {
    switch (message.type) {
      case 'stop':
        stopReason ??= message.reason;
        release();
        break;
      case 'verdict': {
        const resolve = judging.get(message.epoch);
        if (resolve === undefined) break; // a trial that has ended
        if (message.stop !== null) stopReason ??= message.stop;
        judging.delete(message.epoch);
        resolve();
        break;
      }
      case 'prepare':
        void prepareTrainer(message.request).then((reply) => {
          channel.post({ type: 'prepared', reply });
          channel.post({ type: 'memory', memoryMb: memoryMb() }); // with the trainer loaded
        });
        break;
      case 'run': {
        stopReason = null;
        release();
        // Measured whenever the trainer yields; a process slot is also measured from outside.
        const poll = setInterval(() => channel.post({ type: 'memory', memoryMb: memoryMb() }), MEMORY_POLL_MS);
        const report = (epoch: EpochRecord): Promise<void> =>
          new Promise((resolve) => {
            judging.set(epoch.epoch, resolve);
            channel.post({ type: 'epoch', epoch });
          });
        void runTask(message.task, report, currentStop).then((outcome) => {
          clearInterval(poll);
          release();
          postDone(outcome);
        });
        break;
      }
    }
  });
  channel.post(tid === null ? { type: 'ready' } : { type: 'ready', tid });
  channel.post({ type: 'memory', memoryMb: memoryMb() });
}

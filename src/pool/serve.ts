import { errorMessage } from '../core/errors.js';
import type { TrialOutcome } from '../core/trainer.js';
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
 * epoch as it ends, and sets the stop flag the trainer polls through ctx.shouldStop() when
 * a `stop` arrives. Announces itself with `ready` once it listens.
 */
export function serve(channel: WorkerChannel, memoryMb: () => number): void {
  let stopReason: string | null = null;
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
        break;
      case 'prepare':
        void prepareTrainer(message.request).then((reply) => channel.post({ type: 'prepared', reply }));
        break;
      case 'run': {
        stopReason = null;
        // Measured whenever the trainer yields; a process slot is also measured from outside.
        const poll = setInterval(() => channel.post({ type: 'memory', memoryMb: memoryMb() }), MEMORY_POLL_MS);
        void runTask(message.task, (epoch) => channel.post({ type: 'epoch', epoch }), () => stopReason).then((outcome) => {
          clearInterval(poll);
          postDone(outcome);
        });
        break;
      }
    }
  });
  channel.post({ type: 'ready' });
}

import type { CommandSpec } from '../core/spec.js';
import type { PrepareReply } from './protocol.js';
import { startCommand, type RunningCommand } from './command-process.js';
import type { SpawnWorker } from './worker-handle.js';

/** Nothing to load: spec/ checked that the command's program can be run (see spec/command-program.ts). */
const PREPARED: PrepareReply = { ok: true, info: { backend: null, note: null } };

/**
 * A slot of `trainer: command`. Its "worker" lives in this thread and runs each trial's
 * script as a child process (see command-process.ts), speaking the slots' protocol, so the
 * slot's timeout, terminate and close apply to the script's whole process group.
 */
export function commandSpawner(command: CommandSpec, device: number | null): SpawnWorker {
  return (events) => {
    let running: RunningCommand | null = null;
    let gone = false;
    queueMicrotask(() => events.message({ type: 'ready' }));
    return {
      send(message) {
        if (gone) return;
        switch (message.type) {
          case 'prepare': {
            queueMicrotask(() => events.message({ type: 'prepared', reply: PREPARED }));
            break;
          }
          case 'run':
            running = startCommand(message.task, command, device, {
              epoch: (epoch) => events.message({ type: 'epoch', epoch }),
              done: (outcome) => {
                running = null;
                events.message({ type: 'done', outcome, memoryMb: 0 });
              },
            });
            break;
          case 'stop':
            running?.stop(message.reason);
            break;
          case 'verdict':
            // A script cannot wait for its verdict: a stop ends it (SIGTERM) wherever it has got to.
            if (message.stop !== null) running?.stop(message.stop);
            break;
        }
      },
      async kill() {
        if (gone) return;
        gone = true;
        await running?.kill();
        running = null;
        events.exit('the command was killed');
      },
    };
  };
}

import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { CommandSpec } from '../core/spec.js';
import type { PrepareReply } from './protocol.js';
import { expandCommand } from '../train/command/macros.js';
import { startCommand, type RunningCommand } from './command-process.js';
import type { SpawnWorker } from './worker-handle.js';

/** Whether `program` names an executable, as spawn would find it from `cwd`. */
function findable(program: string, cwd: string): boolean {
  const candidates = program.includes('/')
    ? [isAbsolute(program) ? program : resolve(cwd, program)]
    : (process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir === '' ? cwd : dir, program));
  return candidates.some((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Checks before any trial that the command's program can be run at all (exit 2 if not). */
function prepareCommand(command: CommandSpec): PrepareReply {
  const argv = expandCommand(command.argv, { params: {}, program: command.program, argsJsonFile: '', env: process.env });
  const program = argv[0] ?? '';
  if (findable(program, command.cwd)) return { ok: true, info: { backend: null, note: null } };
  return {
    ok: false,
    usage: true,
    message: `command: ${JSON.stringify(program)} is not an executable program (looked ${program.includes('/') ? `in ${command.cwd}` : 'on PATH'})`,
  };
}

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
            const reply = prepareCommand(command);
            queueMicrotask(() => events.message({ type: 'prepared', reply }));
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

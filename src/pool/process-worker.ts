import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isFromWorker } from './protocol.js';
import { exitCodeReason, Outbox, type SpawnWorker } from './worker-handle.js';
import { childVisibleDevice } from '../core/cuda.js';

export interface ProcessOptions {
  /** The child's heap limit (--max-old-space-size), MB. */
  heapLimitMb: number | null;
  /** CUDA_VISIBLE_DEVICES of the child (a GPU slot), or null to inherit. */
  device: number | null;
}

const ENTRY = fileURLToPath(new URL('./process-entry.js', import.meta.url));
/** How much of the child's stderr is kept to explain a death. */
const STDERR_TAIL = 4096;

/** A process's resident set from /proc (Linux), MB; null elsewhere or once it is gone. */
function residentMb(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

/**
 * Spawns slot workers as child processes with an IPC channel (structured-clone messages).
 * The child's stderr is kept (its tail explains a death: V8's out-of-memory report, a native
 * abort); its stdout goes to the parent's stderr.
 */
export function processSpawner(options: ProcessOptions): SpawnWorker {
  return (events) => {
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--max-old-space-size'));
    if (options.heapLimitMb !== null) execArgv.push(`--max-old-space-size=${options.heapLimitMb}`);
    const env = { ...process.env };
    if (options.device !== null) env['CUDA_VISIBLE_DEVICES'] = childVisibleDevice(options.device, process.env['CUDA_VISIBLE_DEVICES']);
    // In the parent's process group, so killing the group ends it too; it ignores the
    // terminal's Ctrl-C (the parent decides) and ends when the parent dies (parent-watch.ts).
    const child = fork(ENTRY, [], {
      execArgv,
      env,
      // What a trainer prints is a log, never data: its stdout joins our stderr (`--json` stays pure).
      stdio: ['ignore', process.stderr, 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const outbox = new Outbox((message) => {
      if (child.connected) child.send(message);
    });
    let stderr = '';
    let crash: string | null = null;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    child.on('message', (message: unknown) => {
      if (!isFromWorker(message)) return;
      if (message.type === 'ready') outbox.open();
      if (message.type === 'crash') crash ??= message.message;
      events.message(message);
    });
    child.on('error', () => undefined); // a failed send or kill; 'exit' follows or the child is gone
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // 'close' (not 'exit') comes after stderr is drained, so its tail is complete.
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (crash !== null) events.exit(`the worker process crashed: ${crash}`);
      else if (/heap out of memory|Reached heap limit/i.test(stderr)) {
        events.exit(`out of memory: the worker process reached its heap limit of ${String(options.heapLimitMb)} MB (max_rss_mb)`);
      } else {
        const tail = lastLine(stderr);
        events.exit(exitCodeReason('the worker process', code, signal) + (tail === '' ? '' : `: ${tail}`));
      }
    });
    return {
      send: (message) => outbox.send(message),
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited;
        }
      },
      memoryMb: () => (child.pid === undefined ? null : residentMb(child.pid)),
    };
  };
}

import { Worker } from 'node:worker_threads';
import { isFromWorker } from './protocol.js';
import type { ThreadMemoryWatch } from './thread-memory.js';
import { exitCodeReason, Outbox, type SpawnWorker } from './worker-handle.js';

export interface ThreadOptions {
  /** The thread's heap limit (Worker resourceLimits.maxOldGenerationSizeMb), MB. */
  heapLimitMb: number | null;
  /** Measures the slot threads from the main thread, one for all of them; null without max_rss_mb. */
  watch: ThreadMemoryWatch | null;
}

const ENTRY = new URL('./thread-entry.js', import.meta.url);

/** Spawns slot workers as worker threads of this process. */
export function threadSpawner(options: ThreadOptions): SpawnWorker {
  return (events) => {
    // Mirrors every stop into memory the trainer's thread reads itself: a trainer busy in a
    // synchronous loop never gets to the message that carries it.
    const stopFlag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const worker = new Worker(ENTRY, {
      workerData: { stopFlag },
      resourceLimits: options.heapLimitMb === null ? {} : { maxOldGenerationSizeMb: options.heapLimitMb },
      // What a trainer prints is a log, never data: it goes to stderr, so `--json` stays pure.
      stdout: true,
    });
    // Copied chunk by chunk: a pipe per slot would add listeners to process.stderr, and from
    // 11 slots on Node warns of a leak (MaxListenersExceededWarning).
    worker.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    const outbox = new Outbox((message) => worker.postMessage(message));
    const gauge = options.watch?.add() ?? null;
    let error: (Error & { code?: unknown }) | null = null;
    worker.on('message', (message: unknown) => {
      if (!isFromWorker(message)) return;
      if (message.type === 'ready') {
        gauge?.identify(message.tid ?? null);
        outbox.open();
      }
      if (message.type === 'memory' || message.type === 'done') gauge?.reported(message.memoryMb);
      events.message(message);
    });
    worker.on('error', (e: Error) => {
      error ??= e;
    });
    worker.on('exit', (code) => {
      gauge?.remove();
      if (error?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        events.exit(`out of memory: the worker thread reached its heap limit of ${String(options.heapLimitMb)} MB (max_rss_mb)`);
      } else if (error !== null) {
        events.exit(`the worker thread crashed: ${error.message}`);
      } else {
        events.exit(exitCodeReason('the worker thread', code, null));
      }
    });
    return {
      send: (message) => {
        // A trial starts: its growth is measured from here.
        if (message.type === 'run') gauge?.reported();
        if (message.type === 'run' || message.type === 'stop' || (message.type === 'verdict' && message.stop !== null)) {
          Atomics.store(stopFlag, 0, message.type === 'run' ? 0 : 1);
        }
        outbox.send(message);
      },
      kill: async () => {
        await worker.terminate();
      },
      // worker.terminate() interrupts even a trial that never yields.
      ...(gauge === null ? {} : { memoryMb: () => gauge.outsideMb() }),
    };
  };
}

import type { FromWorker, ToWorker } from './protocol.js';

/** What a slot hears from its worker. */
export interface WorkerEvents {
  message(message: FromWorker): void;
  /** The worker is gone; `reason` says why in users' words (a crash, an exit code, memory). */
  exit(reason: string): void;
}

/** A live worker (thread or process) as a slot sees it. */
export interface WorkerHandle {
  /** Sends a message; messages sent before the worker said `ready` wait for it. */
  send(message: ToWorker): void;
  /** Kills the worker at once; resolves when it is gone. Its `exit` event still fires. */
  kill(): Promise<void>;
  /** The worker's memory measured from outside it (a process's RSS, a silent thread's share), MB; null when unknown. */
  memoryMb?(): number | null;
}

/** Starts one worker of a slot. */
export type SpawnWorker = (events: WorkerEvents) => WorkerHandle;

/** Holds messages until the worker listens (a child process drops messages sent earlier). */
export class Outbox {
  private queue: ToWorker[] | null = [];

  constructor(private readonly deliver: (message: ToWorker) => void) {}

  send(message: ToWorker): void {
    if (this.queue === null) this.deliver(message);
    else this.queue.push(message);
  }

  /** The worker said `ready`: deliver what waited, then everything at once. */
  open(): void {
    const waiting = this.queue ?? [];
    this.queue = null;
    for (const message of waiting) this.deliver(message);
  }
}

/** The reason text for a worker that ended on its own with `code` while nothing was known. */
export function exitCodeReason(what: string, code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `${what} was killed by ${signal}`;
  return `${what} exited with code ${code ?? 'unknown'} (did the trainer call process.exit?)`;
}

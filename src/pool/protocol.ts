/**
 * The messages between the main thread and a slot's worker (a worker thread or a child
 * process: the same messages either way, as structured clones, so NaN metrics survive).
 *
 * main → worker: `prepare` (load the trainer and its backend), `run` (one trial), `stop`
 * (the trainer should end after its current batch or epoch), `verdict` (the reply to each
 * `epoch`: go on, or stop with a reason; the trainer waits for it before its next epoch).
 * worker → main: `ready` (listening), `prepared`, `epoch` (sent as each epoch ends), `done`
 * (the trial's outcome and the worker's memory), `memory` (while a trial runs), `crash` (an
 * uncaught error, just before the worker exits).
 */
import type { TrainerKind } from '../core/spec.js';
import type { ExecutorInfo, TrialOutcome, TrialTask } from '../core/trainer.js';
import type { EpochRecord } from '../core/types.js';

export interface PrepareRequest {
  trainer: TrainerKind;
  /** The `train.backend` setting when it is fixed (else auto). */
  backend: string | null;
}

export type ToWorker =
  | { type: 'prepare'; request: PrepareRequest }
  | { type: 'run'; task: TrialTask }
  | { type: 'stop'; reason: string }
  | { type: 'verdict'; /** The epoch judged. */ epoch: number; /** Why to stop; null: go on. */ stop: string | null };

export type PrepareReply =
  | { ok: true; info: ExecutorInfo }
  | { ok: false; message: string; /** The error was the user's to fix (exit 2). */ usage: boolean };

export type FromWorker =
  | { type: 'ready'; /** The worker's Linux thread id (its page faults are read from outside). */ tid?: number }
  | { type: 'prepared'; reply: PrepareReply }
  | { type: 'epoch'; epoch: EpochRecord }
  | { type: 'done'; outcome: TrialOutcome; /** The worker's memory after the trial, MB. */ memoryMb: number }
  | { type: 'memory'; /** The worker's memory, MB: when ready, when prepared, and every MEMORY_POLL_MS of a trial. */ memoryMb: number }
  | { type: 'crash'; message: string };

/** How often a running trial's memory is measured against max_rss_mb (ms). */
export const MEMORY_POLL_MS = 200;

const FROM_WORKER_TYPES = new Set(['ready', 'prepared', 'epoch', 'done', 'memory', 'crash']);
const TO_WORKER_TYPES = new Set(['prepare', 'run', 'stop', 'verdict']);

function hasType(value: unknown, types: ReadonlySet<string>): boolean {
  return typeof value === 'object' && value !== null && types.has(String((value as { type?: unknown }).type));
}

/** Whether a message received from a worker is one of ours (workers may post others). */
export function isFromWorker(value: unknown): value is FromWorker {
  return hasType(value, FROM_WORKER_TYPES);
}

export function isToWorker(value: unknown): value is ToWorker {
  return hasType(value, TO_WORKER_TYPES);
}

/** What each cluster worker asks for: its slots, CPUs and GPUs (shared by Slurm and Kubernetes). */
import { UsageError } from '../core/errors.js';

export interface WorkerResources {
  /** Parallel slots of each worker (its `hpsearch worker --slots`). */
  slots: number;
  cpus: number;
  /** GPUs of each worker, or null for none. */
  gpus: number | null;
}

/**
 * Slots: --slots, else one per GPU, else the spec's parallelism, else one per CPU asked for
 * (default 1). CPUs: --cpus-per-worker, else one per slot.
 */
export function workerResources(options: {
  slots: number | null;
  cpus: number | null;
  gpus: number | null;
  specParallelism: number | null;
}): WorkerResources {
  const slots = options.slots ?? options.gpus ?? options.specParallelism ?? options.cpus ?? 1;
  return { slots, cpus: options.cpus ?? slots, gpus: options.gpus };
}

/** The environment variable a cluster worker reads its storage URL from (never written into a script or manifest). */
export const STORAGE_ENV = 'HPSEARCH_STORAGE';

/** `--workers N` and friends: a whole number ≥ 1 (null when absent and optional). */
export function positiveCount(value: unknown, flag: string, required: boolean): number | null {
  if (value === undefined && !required) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number ≥ 1`);
  return value;
}

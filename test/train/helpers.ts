/** Shared builders for the trainer's tests: small tasks, recording contexts, backends. */
import { createRequire } from 'node:module';
import type { DataSpec, EarlyTerminate, SettingValue } from '../../src/core/spec.js';
import type { TrainContext, TrialTask } from '../../src/core/trainer.js';
import type { Metrics, Params } from '../../src/core/types.js';
import { resolveBackend } from '../../src/train/backend.js';
import { loadCblas } from '../../src/train/blas/cblas.js';
import type { BackendName } from '../../src/train/identifiers.js';

/** A data spec with every field, overridable. */
export function dataSpec(overrides: Partial<DataSpec> = {}): DataSpec {
  return {
    source: 'synthetic',
    path: null,
    label: null,
    header: true,
    samples: null,
    kind: 'blobs',
    classes: 3,
    points: 300,
    noise: 1,
    features: 4,
    seed: 1,
    split: { train: 0.7, val: 0.15, test: 0.15 },
    split_file: null,
    preprocess: 'standardize',
    ...overrides,
  };
}

/** A tfjs trial task on small synthetic data. */
export function task(
  train: Record<string, SettingValue> = {},
  options: { data?: DataSpec; params?: Params; early?: EarlyTerminate | null; seed?: number } = {},
): TrialTask {
  return {
    study: 'test',
    trial: 0,
    attempt: 0,
    seed: options.seed ?? 7,
    params: options.params ?? {},
    trainer: 'tfjs',
    module: null,
    data: options.data ?? dataSpec(),
    train: { epochs: 3, batch_size: 32, hidden_units: 16, backend: 'wasm', ...train },
    early_terminate: options.early ?? null,
    metric: { name: 'val_accuracy', goal: 'maximize' },
  };
}

/** A context recording every report; `stopAfter` makes shouldStop true after that many calls. */
export function recorder(seed = 7, stopAfter = Infinity): TrainContext & { reports: Metrics[]; stopCalls: number } {
  const ctx = {
    seed,
    reports: [] as Metrics[],
    stopCalls: 0,
    report(m: Metrics): Promise<void> {
      ctx.reports.push(m);
      return Promise.resolve();
    },
    shouldStop(): boolean {
      ctx.stopCalls++;
      return ctx.stopCalls > stopAfter;
    },
  };
  return ctx;
}

/** Activates a backend for tests that use tensors directly. */
export async function useBackend(name: BackendName): Promise<void> {
  await resolveBackend(name);
}

/** Largest absolute difference between two arrays of the same length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Whether an optional package (e.g. @tensorflow/tfjs-node) is installed here. */
export function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** True when neither native TensorFlow.js package is installed (auto then falls back to wasm). */
export function noNativeBackend(): boolean {
  return !installed('@tensorflow/tfjs-node') && !installed('@tensorflow/tfjs-node-gpu');
}

/** Why the blas backend's tests are skipped here (no OpenBLAS), or false when it can run. */
export function noBlas(): string | false {
  return typeof loadCblas() === 'string' ? 'no OpenBLAS here (install libopenblas0)' : false;
}

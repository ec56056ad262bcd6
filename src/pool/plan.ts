import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { cudaDeviceCount } from '../core/cuda.js';
import type { Spec } from '../core/spec.js';

/** How a study's trials run: in threads or processes, how many at once, on which GPU. */
export interface PoolPlan {
  mode: 'thread' | 'process';
  slots: number;
  /** The CUDA device pinned for each slot (CUDA_VISIBLE_DEVICES), or null. */
  devices: (number | null)[];
  /** Whether the trainer will use the GPU backend. */
  gpu: boolean;
}

/** What the plan depends on outside the spec (replaced in tests). */
export interface Machine {
  cores(): number;
  /** Whether an npm package can be found from here (without loading it). */
  resolves(pkg: string): boolean;
  /** CUDA devices visible to this process. */
  cudaDevices(): number;
}

const require = createRequire(import.meta.url);

export const thisMachine: Machine = {
  cores: () => availableParallelism(),
  resolves(pkg) {
    try {
      require.resolve(pkg);
      return true;
    } catch {
      return false;
    }
  },
  cudaDevices: () => cudaDeviceCount({ env: process.env, platform: process.platform, listDev: () => readdirSync('/dev') }),
};

/**
 * Plans the pool. Native TensorFlow.js backends (tfjs-node, tfjs-node-gpu) cannot be loaded
 * in a second worker thread of a process, so they get child processes: when train.backend
 * names one, or is auto and one resolves (tfjs-node-gpu only with a CUDA device, as auto
 * tries it only then). Everything else gets threads. `pool:` overrides the choice. Slots:
 * `parallelism` (command line), else the spec's, else one per GPU device on the GPU
 * backend, else one per core.
 */
export function planPool(spec: Spec, parallelism: number | null, machine: Machine = thisMachine): PoolPlan {
  const backend = typeof spec.train['backend'] === 'string' ? spec.train['backend'] : 'auto';
  const tfjs = spec.trainer === 'tfjs';
  const cuda = tfjs && (backend === 'tfjs-node-gpu' || backend === 'auto') ? machine.cudaDevices() : 0;
  const gpu =
    tfjs && (backend === 'tfjs-node-gpu' || (backend === 'auto' && cuda > 0 && machine.resolves('@tensorflow/tfjs-node-gpu')));
  const native = gpu || (tfjs && (backend === 'tfjs-node' || (backend === 'auto' && machine.resolves('@tensorflow/tfjs-node'))));
  const mode = spec.pool.mode === 'auto' ? (native ? 'process' : 'thread') : spec.pool.mode;
  const deviceList = gpu ? (spec.pool.devices ?? Array.from({ length: cuda }, (_, i) => i)) : [];
  const byDefault = gpu ? Math.max(1, deviceList.length) : machine.cores();
  const slots = Math.max(1, parallelism ?? spec.parallelism ?? byDefault);
  const pinned = mode === 'process' && deviceList.length > 0;
  return {
    mode,
    slots,
    devices: Array.from({ length: slots }, (_, i) => (pinned ? (deviceList[i % deviceList.length] ?? null) : null)),
    gpu,
  };
}

/** "2 worker threads", "2 child processes on CUDA devices 0, 1". */
export function describePlan(plan: PoolPlan): string {
  const n = plan.slots;
  const what = plan.mode === 'thread' ? `${n} worker thread${n === 1 ? '' : 's'}` : `${n} child process${n === 1 ? '' : 'es'}`;
  const devices = [...new Set(plan.devices.filter((d): d is number => d !== null))];
  return devices.length > 0 ? `${what} on CUDA device${devices.length === 1 ? '' : 's'} ${devices.join(', ')}` : what;
}

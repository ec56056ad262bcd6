/**
 * Backend resolution: which TensorFlow.js backend trains, and why.
 *
 * `auto` tries, in order: @tensorflow/tfjs-node-gpu (only when a CUDA device is visible),
 * @tensorflow/tfjs-node, blas (the wasm backend with its matrix products on the system's
 * OpenBLAS, blas/cblas.ts), wasm, cpu. The native packages are optionalDependencies that may be
 * missing (their install downloads libtensorflow, which fails on some machines): they are
 * loaded with a dynamic import, never statically. A forced backend that cannot load is an
 * error saying what to do. The `note` tells the user what was tried and why it fell back.
 */
import { readdirSync } from 'node:fs';
import { cudaDeviceCount } from '../core/cuda.js';
import { UsageError, errorMessage } from '../core/errors.js';
import type { BackendName } from './identifiers.js';
import { tf } from './tf.js';
import { requirePackage } from './tfjs-core.js';
import { installHint, loadCblas } from './blas/cblas.js';
import { installWasmKernelFixes, wasmInternalsMissing } from './wasm/index.js';

/** The backend a trial runs on. */
export interface ResolvedBackend {
  /** tfjs' backend name (`tensorflow` for both native packages), or `blas`: wasm with its products on CBLAS. */
  name: 'tensorflow' | 'blas' | 'wasm' | 'cpu';
  /** The npm package providing it. */
  package: string;
  /** True for tfjs-node-gpu with a CUDA device. */
  gpu: boolean;
  /** What was tried and why it fell back, for users (one line). */
  note: string;
}

/** The part of a native package's exports we look at (it re-exports @tensorflow/tfjs). */
interface NativeTfModule {
  version_core?: unknown;
}

type NativePackage = '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node';

const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';
const CPU_PACKAGE = '@tensorflow/tfjs-backend-cpu';

/** True when a CUDA device looks visible to this process: the pool's plan counts the same way. */
export function cudaDeviceVisible(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): boolean {
  return cudaDeviceCount({ env, platform, listDev: () => readdirSync('/dev') }) > 0;
}

/** Loads a native package; returns null on success or why it could not be used. */
async function loadNative(pkg: NativePackage): Promise<string | null> {
  let mod: unknown;
  try {
    mod = requirePackage(pkg);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'not installed';
    return `failed to load (${firstLine(errorMessage(error))})`;
  }
  const core = (mod as NativeTfModule).version_core;
  if (typeof core === 'string' && core !== tf.version_core) {
    return `brings @tensorflow/tfjs-core ${core} but hpsearch uses ${tf.version_core}`;
  }
  if (tf.findBackendFactory('tensorflow') === null) {
    return 'loaded, but registered its backend in another copy of @tensorflow/tfjs-core (run npm dedupe)';
  }
  try {
    if (!(await tf.setBackend('tensorflow'))) return 'its backend failed to initialise';
  } catch (error) {
    return `its backend failed to initialise (${firstLine(errorMessage(error))})`;
  }
  return null;
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0] ?? s;
}

async function useWasm(): Promise<string | null> {
  try {
    if (!(await tf.setBackend('wasm'))) return 'failed to initialise';
    await tf.ready();
  } catch (error) {
    return `failed to initialise (${firstLine(errorMessage(error))})`;
  }
  installWasmKernelFixes();
  return null;
}

/** ` (its kernel fixes off: …)` when tfjs lacks what they rely on, else nothing: for the note. */
function fixesNote(): string {
  const missing = wasmInternalsMissing();
  return missing.length === 0 ? '' : `; kernel fixes off, tfjs lacks ${missing.join(', ')}: reinstall @tensorflow/tfjs-backend-wasm 4.22.0`;
}

/** The blas backend: its description (`OpenBLAS 0.3.21 (Haswell)`), or why it cannot serve. */
async function useBlas(): Promise<{ ok: true; description: string } | { ok: false; why: string }> {
  const cblas = loadCblas();
  if (typeof cblas === 'string') return { ok: false, why: cblas };
  const whyWasm = await useWasm();
  if (whyWasm !== null) return { ok: false, why: `wasm ${whyWasm}` };
  const missing = wasmInternalsMissing();
  if (missing.length > 0) return { ok: false, why: `tfjs lacks ${missing.join(', ')}` };
  installWasmKernelFixes(cblas.sgemm);
  return { ok: true, description: `${cblas.description}, ${cblas.library}` };
}

const BLAS_PACKAGE = `${WASM_PACKAGE} + koffi`;

async function useCpu(): Promise<void> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend failed to initialise');
}

/** Tries the backends of `auto` in order; records every fallback in the note. */
async function resolveAuto(): Promise<ResolvedBackend> {
  const tried: string[] = [];
  if (cudaDeviceVisible()) {
    const why = await loadNative('@tensorflow/tfjs-node-gpu');
    if (why === null) return { name: 'tensorflow', package: '@tensorflow/tfjs-node-gpu', gpu: true, note: 'tfjs-node-gpu (CUDA)' };
    tried.push(`tfjs-node-gpu ${why}`);
  } else {
    tried.push('tfjs-node-gpu skipped (no CUDA device visible)');
  }
  const whyNode = await loadNative('@tensorflow/tfjs-node');
  if (whyNode === null) {
    return { name: 'tensorflow', package: '@tensorflow/tfjs-node', gpu: false, note: `tfjs-node (${tried.join('; ')})` };
  }
  tried.push(`tfjs-node ${whyNode}`);
  const blas = await useBlas();
  if (blas.ok) return { name: 'blas', package: BLAS_PACKAGE, gpu: false, note: `blas: ${blas.description} (${tried.join('; ')})` };
  tried.push(`blas: ${blas.why}`);
  const whyWasm = await useWasm();
  if (whyWasm === null) return { name: 'wasm', package: WASM_PACKAGE, gpu: false, note: `wasm (${tried.join('; ')}${fixesNote()})` };
  tried.push(`wasm ${whyWasm}`);
  await useCpu();
  return { name: 'cpu', package: CPU_PACKAGE, gpu: false, note: `cpu (${tried.join('; ')})` };
}

function unavailable(requested: BackendName, why: string, hint: string): UsageError {
  return new UsageError(`backend ${requested} was requested but cannot be used: ${why}. ${hint}`);
}

async function resolveForced(requested: Exclude<BackendName, 'auto'>): Promise<ResolvedBackend> {
  switch (requested) {
    case 'tfjs-node-gpu': {
      if (!cudaDeviceVisible()) {
        throw unavailable(requested, 'no CUDA device is visible', 'Check the driver and CUDA_VISIBLE_DEVICES, or use backend: tfjs-node or wasm.');
      }
      const why = await loadNative('@tensorflow/tfjs-node-gpu');
      if (why !== null) throw unavailable(requested, `@tensorflow/tfjs-node-gpu ${why}`, 'Install it (npm install @tensorflow/tfjs-node-gpu) or use backend: auto.');
      return { name: 'tensorflow', package: '@tensorflow/tfjs-node-gpu', gpu: true, note: 'tfjs-node-gpu (forced)' };
    }
    case 'tfjs-node': {
      const why = await loadNative('@tensorflow/tfjs-node');
      if (why !== null) throw unavailable(requested, `@tensorflow/tfjs-node ${why}`, 'Install it (npm install @tensorflow/tfjs-node) or use backend: auto.');
      return { name: 'tensorflow', package: '@tensorflow/tfjs-node', gpu: false, note: 'tfjs-node (forced)' };
    }
    case 'blas': {
      const blas = await useBlas();
      if (!blas.ok) throw unavailable(requested, blas.why, `${installHint()}, or use backend: auto.`);
      return { name: 'blas', package: BLAS_PACKAGE, gpu: false, note: `blas: ${blas.description} (forced)` };
    }
    case 'wasm': {
      const why = await useWasm();
      if (why !== null) throw unavailable(requested, `wasm ${why}`, 'Use backend: cpu.');
      return { name: 'wasm', package: WASM_PACKAGE, gpu: false, note: `wasm (forced${fixesNote()})` };
    }
    case 'cpu':
      await useCpu();
      return { name: 'cpu', package: CPU_PACKAGE, gpu: false, note: 'cpu (forced)' };
  }
}

const resolved = new Map<BackendName, Promise<ResolvedBackend>>();

/**
 * Resolves (once per process and requested name) and activates a backend. Later calls with
 * the same name return the same answer and re-activate that backend if another one is active.
 * Rejects with a UsageError when a forced backend cannot be used.
 */
export async function resolveBackend(requested: BackendName): Promise<ResolvedBackend> {
  let pending = resolved.get(requested);
  if (pending === undefined) {
    tf.enableProdMode(); // tfjs must not print to the terminal (only cli/ does)
    pending = requested === 'auto' ? resolveAuto() : resolveForced(requested);
    resolved.set(requested, pending);
    pending.catch(() => resolved.delete(requested));
  }
  const backend = await pending;
  const tfjsName = backend.name === 'blas' ? 'wasm' : backend.name;
  if (tf.getBackend() !== tfjsName && !(await tf.setBackend(tfjsName))) throw new Error(`backend ${backend.name} failed to re-initialise`);
  if (backend.name === 'wasm') installWasmKernelFixes();
  if (backend.name === 'blas') {
    const cblas = loadCblas();
    if (typeof cblas !== 'string') installWasmKernelFixes(cblas.sgemm);
  }
  return backend;
}

/**
 * Fast and correct training kernels for the tfjs wasm backend (tfjs 4.22), installed by
 * re-registering kernels in the public kernel registry of @tensorflow/tfjs-core:
 *
 * - `BatchMatMul`, `_FusedMatMul`: transposed operands are transposed first, so every product
 *   of the backward pass takes the XNNPACK path (matmul.ts), by a JS transpose 3× faster than
 *   the stock one (transpose.ts, also registered as `Transpose` for that permutation);
 * - `Conv2DBackpropFilter`: missing on wasm; im2col and one product (conv-backprop-filter.ts);
 * - `Conv2DBackpropInput`: a convolution on XNNPACK instead of a scalar loop
 *   (conv-backprop-input.ts);
 * - `MaxPoolGrad`: the cpu backend's semantics (the stock kernel is wrong for windows ≤ 0);
 * - `GatherV2`, `Slice`, `Tile`: block copies on the heap instead of per-element work;
 * - `Sum` over leading axes without a transpose (sum.ts); `Identity` shares memory instead of
 *   copying (identity.ts);
 * - the fused Adam update the trainer's Adam runs as one kernel for every weight tensor
 *   (fused-adam-kernel.ts; measured faster on the trainer's loop: `npm run bench`).
 *
 * With an `sgemm` (the system's CBLAS, the `blas` backend), `BatchMatMul` and `_FusedMatMul`
 * (blas-matmul.ts), and `Conv2D`, `FusedConv2D` and both convolution gradients as im2col
 * products (blas-conv.ts) run on it instead, the rest as above.
 *
 * Call {@link installWasmKernelFixes} once after `await tf.setBackend('wasm')`; calling it
 * again with the same `sgemm` does nothing, with another one swaps the products. The stock
 * setup functions are kept, so installing before the backend is initialised works too.
 */
import { core } from '../tfjs-core.js';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import type { Sgemm } from '../blas/cblas.js';
import { missingWasmMembers, wasmKernelFunc } from './backend.js';
import { makeBlasConv2D, makeBlasConv2DBackpropFilter, makeBlasConv2DBackpropInput, makeBlasFusedConv2D } from './blas-conv.js';
import { makeBlasBatchMatMul, makeBlasFusedMatMul } from './blas-matmul.js';
import { makeConv2DBackpropFilter } from './conv-backprop-filter.js';
import { makeConv2DBackpropInput } from './conv-backprop-input.js';
import { FUSED_ADAM_KERNEL, fusedAdamKernel } from './fused-adam-kernel.js';
import { makeGatherV2 } from './gather.js';
import { makeIdentity } from './identity.js';
import { makeBatchMatMul, makeFusedMatMul } from './matmul.js';
import { maxPoolGrad } from './max-pool-grad.js';
import { makeSlice } from './slice.js';
import { makeSum } from './sum.js';
import { makeTile } from './tile.js';
import { makeTranspose } from './transpose.js';

const { findBackend, getKernel, registerKernel, unregisterKernel } = core;

/** Kernel functions registered by this module, to recognise them on a second call. */
const ours = new WeakSet<KernelFunc>();
/** The stock configs replaced (undefined: none was registered), to restore them. */
const stockConfigs = new Map<string, KernelConfig | undefined>();

/** Registers `kernelFunc` for `kernelName` on wasm, keeping the stock setup/dispose functions. */
function replace(kernelName: string, kernelFunc: KernelFunc): void {
  const stock: KernelConfig | undefined = getKernel(kernelName, 'wasm');
  if (stock !== undefined) unregisterKernel(kernelName, 'wasm');
  stockConfigs.set(kernelName, stock);
  ours.add(kernelFunc);
  registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc,
    setupFunc: stock?.setupFunc,
    disposeFunc: stock?.disposeFunc,
  });
}

/** The sgemm the installed products run on (null: XNNPACK), while installed. */
let installedSgemm: Sgemm | null = null;

/** True once this module's kernels are registered on wasm. */
export function wasmKernelFixesInstalled(): boolean {
  const current = getKernel('BatchMatMul', 'wasm');
  return current !== undefined && ours.has(current.kernelFunc);
}

/** True when the installed products run on a CBLAS (the `blas` backend). */
export function blasProductsInstalled(): boolean {
  return wasmKernelFixesInstalled() && installedSgemm !== null;
}

/**
 * Re-registers the wasm kernels listed in this file's comment, the products on `sgemm` when
 * given. Idempotent; a no-op when the wasm backend's kernels are not registered
 * (tfjs-backend-wasm not imported).
 */
export function installWasmKernelFixes(sgemm: Sgemm | null = null): void {
  if (wasmKernelFixesInstalled()) {
    if (installedSgemm === sgemm) return;
    uninstallWasmKernelFixes();
  }
  if (wasmInternalsMissing().length > 0) return;
  installAll(sgemm);
}

/**
 * What the kernels here need of tfjs internals and the installed tfjs lacks: `BackendWasm`
 * members (once the wasm backend is initialised) and kernels they wrap. Empty with the
 * pinned 4.22.0; after an upgrade that changed them, the fixes stay off (the stock kernels
 * and the trainer's unfused Adam train instead) and the backend's note says why.
 */
export function wasmInternalsMissing(): string[] {
  const backend = findBackend('wasm');
  const members = backend === null ? [] : missingWasmMembers(backend);
  return [...members, ...STOCK.filter((name) => wasmKernelFunc(name) === undefined).map((name) => `kernel ${name}`)];
}

/**
 * Restores the stock wasm kernels (for before/after measurements and tests). Idempotent; the
 * trainer never needs it.
 */
export function uninstallWasmKernelFixes(): void {
  for (const [kernelName, stock] of stockConfigs) {
    const current = getKernel(kernelName, 'wasm');
    if (current !== undefined && ours.has(current.kernelFunc)) unregisterKernel(kernelName, 'wasm');
    if (stock !== undefined && getKernel(kernelName, 'wasm') === undefined) registerKernel(stock);
  }
  stockConfigs.clear();
  installedSgemm = null;
}

/** The stock wasm kernels the replacements wrap or call. */
const STOCK = [
  'BatchMatMul',
  '_FusedMatMul',
  'Transpose',
  'GatherV2',
  'Slice',
  'Tile',
  'Sum',
  'Identity',
  'Conv2D',
  'FusedConv2D',
  'Conv2DBackpropInput',
  'Relu',
  'LeakyRelu',
  'Elu',
  'Sigmoid',
] as const;

function installAll(sgemm: Sgemm | null): void {
  const k = {} as Record<(typeof STOCK)[number], KernelFunc>;
  for (const name of STOCK) {
    const f = wasmKernelFunc(name);
    if (f === undefined) return;
    k[name] = f;
  }
  const fusedMatMul = makeFusedMatMul(k._FusedMatMul);
  const batchMatMul = makeBatchMatMul(k.BatchMatMul);
  const filterGrad = makeConv2DBackpropFilter(k.BatchMatMul, k.Transpose);
  const inputGrad = makeConv2DBackpropInput(k.Conv2DBackpropInput, k.Conv2D);
  if (sgemm === null) {
    replace('Conv2DBackpropFilter', filterGrad);
    replace('Conv2DBackpropInput', inputGrad);
  } else {
    replace('Conv2DBackpropFilter', makeBlasConv2DBackpropFilter(sgemm, filterGrad));
    replace('Conv2DBackpropInput', makeBlasConv2DBackpropInput(sgemm, inputGrad));
    replace('Conv2D', makeBlasConv2D(sgemm, k.Conv2D));
    replace('FusedConv2D', makeBlasFusedConv2D(sgemm, k.FusedConv2D, k));
  }
  replace('MaxPoolGrad', maxPoolGrad);
  replace('GatherV2', makeGatherV2(k.GatherV2));
  replace('Slice', makeSlice(k.Slice));
  replace('Tile', makeTile(k.Tile));
  replace('Sum', makeSum(k.Sum));
  replace('Identity', makeIdentity(k.Identity));
  replace('Transpose', makeTranspose(k.Transpose));
  replace(FUSED_ADAM_KERNEL, fusedAdamKernel);
  replace('_FusedMatMul', sgemm === null ? fusedMatMul : makeBlasFusedMatMul(sgemm, fusedMatMul, k));
  // Last: its presence marks the whole set as installed.
  replace('BatchMatMul', sgemm === null ? batchMatMul : makeBlasBatchMatMul(sgemm, batchMatMul));
  installedSgemm = sgemm;
}

/**
 * A typed view of the few `BackendWasm` members (tfjs-backend-wasm 4.22) the kernels in this
 * folder use, and helpers to call registered kernels and free their temporaries.
 *
 * These members are public on the class but are not a documented extension API, which is why
 * the package is pinned to 4.22.x and every kernel here is checked against the cpu backend in
 * test/train/wasm/.
 */
import { core } from '../tfjs-core.js';
import type { DataId, DataType, KernelFunc, NamedAttrMap, TensorInfo, TypedArray } from '@tensorflow/tfjs-core';

const { getKernel } = core;

/** The members of `BackendWasm` the kernels in this folder rely on. */
export interface WasmBackend {
  /** Allocates a tensor on the wasm heap (uninitialised). */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** Increments the reference count of `dataId` (another tensor shares its memory). */
  incRef(dataId: DataId): void;
  /** Decrements the reference count of `dataId`, freeing it at zero (or at once with `force`); true when freed or already gone. */
  disposeData(dataId: DataId, force?: boolean): boolean;
  /**
   * A typed view (no copy) of a tensor's memory on the wasm heap. Heap growth (any
   * allocation) detaches older views, so kernels take them after their last `makeOutput`.
   */
  typedArrayFromHeap(info: TensorInfo): TypedArray;
}

const checked = new WeakSet<object>();

/** The `BackendWasm` members of {@link WasmBackend}, by name. */
const MEMBERS = ['makeOutput', 'incRef', 'disposeData', 'typedArrayFromHeap'] as const satisfies ReadonlyArray<keyof WasmBackend>;

/** The members of {@link WasmBackend} that `backend` lacks (none for tfjs-backend-wasm 4.22). */
export function missingWasmMembers(backend: object): string[] {
  const candidate = backend as Partial<Record<keyof WasmBackend, unknown>>;
  return MEMBERS.filter((name) => typeof candidate[name] !== 'function').map((name) => `BackendWasm.${name}`);
}

/** Narrows the `backend` a kernel receives to {@link WasmBackend}, or throws naming what is missing. */
export function asWasmBackend(backend: object): WasmBackend {
  if (checked.has(backend)) return backend as WasmBackend;
  const missing = missingWasmMembers(backend);
  if (missing.length > 0) throw new Error(`hpsearch wasm kernels: the backend lacks ${missing.join(', ')} (tfjs-backend-wasm must be 4.22)`);
  checked.add(backend);
  return backend as WasmBackend;
}

/** The kernel function registered for `kernelName` on the wasm backend, or undefined. */
export function wasmKernelFunc(kernelName: string): KernelFunc | undefined {
  return getKernel(kernelName, 'wasm')?.kernelFunc;
}

/** Calls a kernel function that returns exactly one tensor. */
export function callSingle(
  kernel: KernelFunc,
  backend: object,
  inputs: Record<string, TensorInfo | undefined>,
  attrs: NamedAttrMap,
): TensorInfo {
  const out = kernel({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error('hpsearch wasm kernels: expected a single output');
  return out;
}

/** A tensor info sharing `x`'s data under another shape of the same size (no new data id). */
export function view(x: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/** The product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

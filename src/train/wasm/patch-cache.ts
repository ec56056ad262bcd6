/**
 * Patch matrices (blas-conv.ts) kept from a convolution's forward pass for its filter gradient,
 * which needs the same matrix of the same input: without it a training step builds each
 * layer's patch matrix twice. A tensor's data never changes under its data id (tfjs tensors
 * are immutable; a reshape shares the id, so the convolution's geometry is part of the key),
 * so a kept matrix stays right for as long as its input lives, and is freed with it: the
 * backend's `disposeData` is wrapped to drop the matrices of an input it frees.
 *
 * What is kept is bounded by a byte budget, oldest first out: a big network's matrices, or a
 * validation set's, are rebuilt as before rather than held.
 */
import type { DataId, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './backend.js';

/** Bytes of patch matrices one backend may keep: the built-in CNN at batch 256 needs about 22 MB. */
export const PATCH_CACHE_BYTES = 64 * 1024 * 1024;

interface Kept {
  input: DataId;
  key: string;
  patches: TensorInfo;
  bytes: number;
}

/** The kept matrices of one backend. */
export class PatchCache {
  /** Insertion order is age: the first entry is the oldest. */
  private readonly kept = new Map<string, Kept>();
  private readonly ids = new WeakMap<DataId, number>();
  private nextId = 0;
  private bytes = 0;

  constructor(
    private readonly free: (patches: TensorInfo) => void,
    readonly budget: number = PATCH_CACHE_BYTES,
  ) {}

  /** Bytes held now. */
  get held(): number {
    return this.bytes;
  }

  /** The matrix kept for `input` under `key` (its geometry), or undefined. */
  get(input: DataId, key: string): TensorInfo | undefined {
    const id = this.ids.get(input);
    return id === undefined ? undefined : this.kept.get(`${id}|${key}`)?.patches;
  }

  /**
   * Keeps `patches`, built from `input` under `key`; false when it does not fit the budget (the
   * caller then frees it). Older matrices make room for it.
   */
  put(input: DataId, key: string, patches: TensorInfo, bytes: number): boolean {
    if (bytes > this.budget) return false;
    const slot = `${this.idOf(input)}|${key}`;
    const old = this.kept.get(slot);
    if (old !== undefined) this.drop(slot, old);
    for (const [oldest, entry] of this.kept) {
      if (this.bytes + bytes <= this.budget) break;
      this.drop(oldest, entry);
    }
    this.kept.set(slot, { input, key, patches, bytes });
    this.bytes += bytes;
    return true;
  }

  /** Frees every matrix kept for `input` (it was freed). */
  forget(input: DataId): void {
    const id = this.ids.get(input);
    if (id === undefined) return;
    for (const [slot, entry] of this.kept) if (entry.input === input) this.drop(slot, entry);
    this.ids.delete(input);
  }

  /** Frees everything kept. */
  clear(): void {
    for (const [slot, entry] of this.kept) this.drop(slot, entry);
  }

  private idOf(input: DataId): number {
    let id = this.ids.get(input);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(input, id);
    }
    return id;
  }

  private drop(slot: string, entry: Kept): void {
    this.kept.delete(slot);
    this.bytes -= entry.bytes;
    this.free(entry.patches);
  }
}

const caches = new WeakMap<WasmBackend, PatchCache>();

/**
 * The patch cache of `backend`, made on first use; from then on the backend's `disposeData`
 * also frees the matrices of an input it frees.
 */
export function patchCacheOf(backend: WasmBackend): PatchCache {
  const cache = caches.get(backend);
  if (cache !== undefined) return cache;
  const dispose = backend.disposeData.bind(backend);
  const made = new PatchCache((patches) => dispose(patches.dataId));
  backend.disposeData = (dataId: DataId, force?: boolean): boolean => {
    const freed = dispose(dataId, force);
    if (freed) made.forget(dataId);
    return freed;
  };
  caches.set(backend, made);
  return made;
}

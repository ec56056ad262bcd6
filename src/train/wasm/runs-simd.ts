/**
 * The two copies of the im2col convolutions (blas-conv.ts) as WebAssembly loops over the
 * backend's heap, driven by the same table of runs (patch offset, input offset, length, patch
 * stride, input stride): im2col copies each run, a contiguous one with `memory.copy`; col2im
 * adds each run of the patch gradient onto the input gradient, a contiguous one four floats at
 * a time in SIMD. The JavaScript loops they replace stay as the fallback and the reference the
 * tests compare them with. The tables live on the wasm heap (allocated with the backend's own
 * malloc, outside its tensors), one per convolution geometry.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './backend.js';
import { I32, addTo, get, loopFor, mem, moduleBytes, op, set, simd, whileBelow } from './asm.js';

/** (runs: byte offset of the table; count: runs; from, to: byte offsets of the arrays). */
export type RunsLoop = (runs: number, count: number, from: number, to: number) => void;

const [RUNS, COUNT, FROM, TO] = [0, 1, 2, 3];
/** i32 locals: table pointer, its end, the two addresses, length, the two strides in bytes, counter, length rounded down to 4. */
const [P, END, A, B, LEN, AS, BS, I, LEN4] = [4, 5, 6, 7, 8, 9, 10, 11, 12];

const i32 = (n: number): number[] => [op.i32Const, n];
const times4 = (code: number[]): number[] => [...code, ...i32(2), op.i32Shl];
/** The fields of the run at P: A = base(a) + 4·field0, B = base(b) + 4·field1, LEN, and the strides in bytes. */
function readRun(aBase: number, bBase: number): number[] {
  return [
    ...get(aBase), ...times4([...get(P), ...mem.i32Load(0)]), op.i32Add, ...set(A),
    ...get(bBase), ...times4([...get(P), ...mem.i32Load(4)]), op.i32Add, ...set(B),
    ...get(P), ...mem.i32Load(8), ...set(LEN),
    ...times4([...get(P), ...mem.i32Load(12)]), ...set(AS),
    ...times4([...get(P), ...mem.i32Load(16)]), ...set(BS),
  ];
}
/** Both strides one float. */
const contiguous = [...get(AS), ...i32(4), op.i32Eq, ...get(BS), ...i32(4), op.i32Eq, op.i32And];
/** A scalar loop over the run: `step` reads A and B; then A += AS, B += BS. */
const scalar = (step: number[]): number[] => [...i32(0), ...set(I), ...whileBelow(I, LEN, [...step, ...addTo(A, get(AS)), ...addTo(B, get(BS)), ...addTo(I, i32(1))])];
const overTable = (run: number[]): number[] => [
  ...get(RUNS), ...set(P),
  ...get(RUNS), ...get(COUNT), ...i32(20), op.i32Mul, op.i32Add, ...set(END),
  ...whileBelow(P, END, [...run, ...addTo(P, i32(20))]),
];

/** im2col: patches (A = to + 4·patch offset) ← input (B = from + 4·input offset). */
function copyBody(): number[] {
  const run = [
    ...readRun(TO, FROM),
    ...contiguous, op.if, op.void,
    ...get(A), ...get(B), ...times4(get(LEN)), ...mem.copy,
    op.else,
    ...scalar([...get(A), ...get(B), ...mem.f32Load, ...mem.f32Store]),
    op.end,
  ];
  return overTable(run);
}

/** col2im: input gradient (B = to + 4·input offset) += patch gradient (A = from + 4·patch offset). */
function addBody(): number[] {
  const addAt = [...get(B), ...get(B), ...mem.f32Load, ...get(A), ...mem.f32Load, op.f32Add, ...mem.f32Store];
  const run = [
    ...readRun(FROM, TO),
    ...contiguous, op.if, op.void,
    // 0x7c is −4 in signed LEB128: LEN4 = LEN & ~3.
    ...get(LEN), ...i32(0x7c), op.i32And, ...set(LEN4),
    ...i32(0), ...set(I),
    ...whileBelow(I, LEN4, [
      ...get(B), ...get(B), ...simd.load, ...get(A), ...simd.load, ...simd.add, ...simd.store,
      ...addTo(A, i32(16)), ...addTo(B, i32(16)), ...addTo(I, i32(4)),
    ]),
    ...whileBelow(I, LEN, [...addAt, ...addTo(A, i32(4)), ...addTo(B, i32(4)), ...addTo(I, i32(1))]),
    op.else,
    ...scalar(addAt),
    op.end,
  ];
  return overTable(run);
}

const PARAMS = new Array<number>(4).fill(I32);
const LOCALS: ReadonlyArray<readonly [number, number]> = [[9, I32]];

/** im2col over the heap, or null where it cannot run. */
export const copyRunsFor = loopFor<RunsLoop>('copy', () => moduleBytes('copy', PARAMS, LOCALS, copyBody()));
/** col2im (adds, onto an input gradient that starts at zero) over the heap, or null where it cannot run. */
export const addRunsFor = loopFor<RunsLoop>('add', () => moduleBytes('add', PARAMS, LOCALS, addBody()));

/** The members of the backend's Emscripten module used for the tables. */
interface Heap {
  _malloc(bytes: number): number;
  _free(offset: number): void;
  HEAPU8: Uint8Array;
}

function heapOf(backend: object): Heap | null {
  const wasm = (backend as { wasm?: Partial<Heap> }).wasm;
  return wasm !== undefined && typeof wasm._malloc === 'function' && typeof wasm._free === 'function' && wasm.HEAPU8 instanceof Uint8Array ? (wasm as Heap) : null;
}

const tables = new WeakMap<object, Map<string, number>>();

/**
 * The byte offset on `backend`'s heap of `runs`, copied there the first time `key` is asked
 * for; null where the heap cannot be reached. Allocating may grow the heap: take views after.
 */
export function heapRuns(backend: object, key: string, runs: Int32Array): number | null {
  const heap = heapOf(backend);
  if (heap === null) return null;
  let kept = tables.get(backend);
  if (kept === undefined) {
    kept = new Map();
    tables.set(backend, kept);
  }
  const found = kept.get(key);
  if (found !== undefined) return found;
  if (kept.size >= 32) {
    for (const offset of kept.values()) heap._free(offset);
    kept.clear();
  }
  const offset = heap._malloc(runs.byteLength) >>> 0;
  heap.HEAPU8.set(new Uint8Array(runs.buffer, runs.byteOffset, runs.byteLength), offset);
  kept.set(key, offset);
  return offset;
}

/**
 * Zeroes `to`, then copies (`copy`: im2col) or adds (`add`: col2im) the runs of `runs` from
 * `from` into it on the heap, the table kept there under `key`; where the loop or the table
 * cannot be had, `fallback` (the JavaScript loop, which zeroes `to` itself) runs on views.
 */
export function runOnHeap(
  backend: WasmBackend,
  loop: 'copy' | 'add',
  key: string,
  runs: Int32Array,
  from: TensorInfo,
  to: TensorInfo,
  fallback: (from: Float32Array, to: Float32Array) => void,
): void {
  const fn = (loop === 'copy' ? copyRunsFor : addRunsFor)(backend);
  const table = fn === null ? null : heapRuns(backend, key, runs);
  // Views after the last allocation (the table's may grow the heap).
  const fromView = backend.typedArrayFromHeap(from) as Float32Array;
  const toView = backend.typedArrayFromHeap(to) as Float32Array;
  if (fn === null || table === null) {
    fallback(fromView, toView);
    return;
  }
  toView.fill(0);
  fn(table, runs.length / 5, fromView.byteOffset, toView.byteOffset);
}

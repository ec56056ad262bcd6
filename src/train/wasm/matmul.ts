/**
 * `BatchMatMul` and `_FusedMatMul` wrappers: the stock wasm kernels use XNNPACK only for a
 * product with no transposed operand and batch 1; every other product (all of the backward
 * pass of a dense layer) takes a scalar loop ten times slower. The wrappers transpose such
 * an operand first (O(n²), transpose.ts), fold the batch of `a` into its rows
 * when `b` has batch 1, and then call the stock kernel on its fast path.
 */
import { core } from '../tfjs-core.js';
import type { _FusedMatMulAttrs, BatchMatMulAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend, callSingle, sizeOf, view } from './backend.js';
import type { WasmBackend } from './backend.js';
import { swapLastTwo } from './transpose.js';

const { broadcast_util } = core;

/** The operands of a product, each already in non-transposed layout. */
interface Prepared {
  a: TensorInfo;
  b: TensorInfo;
  /** Temporaries to free after the product. */
  temps: TensorInfo[];
  /** Shape of the result: broadcast batch dims, then rows of a, columns of b. */
  outShape: number[];
  batchA: number;
  batchB: number;
}

function prepare(
  backend: WasmBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): Prepared {
  const temps: TensorInfo[] = [];
  const a2 = transposeA ? swapLastTwo(backend, a) : a;
  if (transposeA) temps.push(a2);
  const b2 = transposeB ? swapLastTwo(backend, b) : b;
  if (transposeB) temps.push(b2);
  const batchShape = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const rows = a2.shape[a2.shape.length - 2] ?? 1;
  const cols = b2.shape[b2.shape.length - 1] ?? 1;
  return {
    a: a2,
    b: b2,
    temps,
    outShape: [...batchShape, rows, cols],
    batchA: sizeOf(a.shape.slice(0, -2)),
    batchB: sizeOf(b.shape.slice(0, -2)),
  };
}

function release(backend: WasmBackend, temps: TensorInfo[]): void {
  for (const t of temps) backend.disposeData(t.dataId);
}

/** `a` (…, M, K) seen as one matrix of `batch`·M rows. */
function foldRows(a: TensorInfo, rank: number): TensorInfo {
  const k = a.shape[a.shape.length - 1] ?? 1;
  const rows = sizeOf(a.shape) / k;
  return view(a, rank === 3 ? [1, rows, k] : [rows, k]);
}

/** Wraps the stock wasm `BatchMatMul` kernel (see the file comment). */
export function makeBatchMatMul(original: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    if (a === undefined || b === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
    const batchA = sizeOf(a.shape.slice(0, -2));
    const batchB = sizeOf(b.shape.slice(0, -2));
    // A product of two batched operands has no fast path to reach.
    if (batchB !== 1 || (batchA === 1 && !transposeA && !transposeB)) return original(args);
    const backend = asWasmBackend(args.backend);
    const p = prepare(backend, a, b, transposeA, transposeB);
    try {
      const out = callSingle(original, backend, { a: foldRows(p.a, 2), b: foldRows(p.b, 2) }, {
        transposeA: false,
        transposeB: false,
      });
      out.shape = p.outShape;
      return out;
    } finally {
      release(backend, p.temps);
    }
  };
}

/** Wraps the stock wasm `_FusedMatMul` kernel (see the file comment); inputs are rank 3. */
export function makeFusedMatMul(original: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs;
    const attrs = args.attrs as unknown as _FusedMatMulAttrs;
    if (a === undefined || b === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
    if (a.shape.length !== 3 || b.shape.length !== 3) return original(args);
    const batchA = a.shape[0] ?? 1;
    const batchB = b.shape[0] ?? 1;
    if (batchB !== 1 || (batchA === 1 && !attrs.transposeA && !attrs.transposeB)) return original(args);
    const backend = asWasmBackend(args.backend);
    const p = prepare(backend, a, b, attrs.transposeA, attrs.transposeB);
    // Folding the batch into rows is exact when the epilogue broadcasts along columns only.
    const fold = batchA === 1 || preluActivationWeights === undefined || preluActivationWeights.shape.length <= 1;
    try {
      const inputs: Record<string, TensorInfo | undefined> = {
        a: fold ? foldRows(p.a, 3) : p.a,
        b: p.b,
        bias,
        preluActivationWeights,
      };
      const out = callSingle(original, backend, inputs, { ...attrs, transposeA: false, transposeB: false });
      out.shape = p.outShape;
      return out;
    } finally {
      release(backend, p.temps);
    }
  };
}

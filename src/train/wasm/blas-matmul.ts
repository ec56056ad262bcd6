/**
 * `BatchMatMul` and `_FusedMatMul` on the system's CBLAS (the `blas` backend): the product
 * runs in `cblas_sgemm` directly on the wasm heap (views, no copies), transposed operands
 * included, so neither the transposes nor XNNPACK's per-call weight packing of matmul.ts
 * are paid. The fused kernel's bias is written into the output first (sgemm then adds the
 * product, beta = 1); the activation is the stock wasm kernel's (SIMD: several times faster
 * than a JavaScript loop over the output). Anything else (prelu, relu6, other dtypes, a bias that is not one
 * row) goes to the kernel this one replaces.
 */
import { core } from '../tfjs-core.js';
import type { _FusedMatMulAttrs, BatchMatMulAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { Sgemm } from '../blas/cblas.js';
import { asWasmBackend, callSingle, sizeOf } from './backend.js';
import type { WasmBackend } from './backend.js';

const { broadcast_util } = core;

/** The shape of one product, batch by batch. */
interface Product {
  m: number;
  n: number;
  k: number;
  batch: number;
  batchA: number;
  batchB: number;
  outShape: number[];
}

function productOf(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): Product | null {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb) return null;
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  // Batches broadcast only as all-or-one here; anything subtler goes to the stock kernel.
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  const batchShape = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return { m, n, k, batch: Math.max(batchA, batchB), batchA, batchB, outShape: [...batchShape, m, n] };
}

/** out[i] = op(a[i])·op(b[i]) + beta·out[i] for every batch i; views are taken here, after all allocation. */
function multiply(
  sgemm: Sgemm,
  backend: WasmBackend,
  p: Product,
  a: TensorInfo,
  b: TensorInfo,
  out: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  beta: number,
): void {
  const av = backend.typedArrayFromHeap(a) as Float32Array;
  const bv = backend.typedArrayFromHeap(b) as Float32Array;
  const ov = backend.typedArrayFromHeap(out) as Float32Array;
  const { m, n, k } = p;
  const lda = transposeA ? m : k;
  const ldb = transposeB ? k : n;
  if (p.batch === 1) {
    sgemm(transposeA, transposeB, m, n, k, 1, av, lda, bv, ldb, beta, ov, n);
    return;
  }
  for (let i = 0; i < p.batch; i++) {
    const aAt = p.batchA === 1 ? 0 : i * m * k;
    const bAt = p.batchB === 1 ? 0 : i * k * n;
    sgemm(transposeA, transposeB, m, n, k, 1, av.subarray(aAt), lda, bv.subarray(bAt), ldb, beta, ov.subarray(i * m * n), n);
  }
}

const isFloat = (...ts: Array<TensorInfo | undefined>): boolean => ts.every((t) => t === undefined || t.dtype === 'float32');

/** `BatchMatMul` on sgemm; `fallback` serves what sgemm does not. */
export function makeBlasBatchMatMul(sgemm: Sgemm, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    if (a === undefined || b === undefined || !isFloat(a, b)) return fallback(args);
    const p = productOf(a, b, transposeA, transposeB);
    if (p === null || p.k === 0) return fallback(args);
    const backend = asWasmBackend(args.backend);
    const out = backend.makeOutput(p.outShape, 'float32');
    multiply(sgemm, backend, p, a, b, out, transposeA, transposeB, 0);
    return out;
  };
}

/** The stock wasm kernels of the activations the fused product supports. */
export interface ActivationKernels {
  Relu: KernelFunc;
  LeakyRelu: KernelFunc;
  Elu: KernelFunc;
  Sigmoid: KernelFunc;
}

const KERNEL_OF = { relu: 'Relu', leakyrelu: 'LeakyRelu', elu: 'Elu', sigmoid: 'Sigmoid' } as const;

/** True for the fused activations served here. */
export function fusable(activation: string): boolean {
  return activation === 'linear' || activation in KERNEL_OF;
}

/** `out` after the activation (a fusable one): itself for linear, else a new tensor, `out` freed. */
export function applyActivation(backend: WasmBackend, out: TensorInfo, activation: string, leakyreluAlpha: number | undefined, stock: ActivationKernels): TensorInfo {
  if (activation === 'linear') return out;
  const kernel = stock[KERNEL_OF[activation as keyof typeof KERNEL_OF]];
  try {
    return callSingle(kernel, backend, { x: out }, activation === 'leakyrelu' ? { alpha: leakyreluAlpha ?? 0.2 } : {});
  } finally {
    backend.disposeData(out.dataId);
  }
}

/** Writes the first `n` values of `row` into every row of `out` (n columns), doubling what is written with each copy. */
export function fillRows(out: Float32Array, row: Float32Array, n: number): void {
  out.set(row.subarray(0, n), 0);
  for (let done = n; done < out.length; done *= 2) out.copyWithin(done, 0, Math.min(done, out.length - done));
}

/** `_FusedMatMul` on sgemm (see the file comment); `fallback` serves the rest. */
export function makeBlasFusedMatMul(sgemm: Sgemm, fallback: KernelFunc, stock: ActivationKernels): KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs;
    const attrs = args.attrs as unknown as _FusedMatMulAttrs;
    const activation = attrs.activation ?? 'linear';
    if (a === undefined || b === undefined || !fusable(activation) || preluActivationWeights !== undefined || !isFloat(a, b, bias)) {
      return fallback(args);
    }
    const p = productOf(a, b, attrs.transposeA, attrs.transposeB);
    if (p === null || p.k === 0 || (bias !== undefined && sizeOf(bias.shape) !== p.n)) return fallback(args);
    const backend = asWasmBackend(args.backend);
    const out = backend.makeOutput(p.outShape, 'float32');
    if (bias !== undefined) fillRows(backend.typedArrayFromHeap(out) as Float32Array, backend.typedArrayFromHeap(bias) as Float32Array, p.n);
    multiply(sgemm, backend, p, a, b, out, attrs.transposeA, attrs.transposeB, bias === undefined ? 0 : 1);
    return applyActivation(backend, out, activation, attrs.leakyreluAlpha, stock);
  };
}

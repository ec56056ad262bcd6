/**
 * Convolutions on the system's CBLAS (the `blas` backend), as im2col products: each output
 * pixel's receptive field is one row of a patch matrix P [batch·outH·outW, fh·fw·inC], whose
 * column order (fh, fw, ci) is the filter's HWIO layout flattened, W [fh·fw·inC, outC]. Then
 *
 * - forward (`Conv2D`, `FusedConv2D`): out = P·W, already NHWC (bias written first, sgemm
 *   adds onto it; the activation is the stock wasm kernel's);
 * - filter gradient (`Conv2DBackpropFilter`): dW = Pᵀ·dy, with the P its forward pass built
 *   and left in the patch cache (patch-cache.ts) when it fits there;
 * - input gradient (`Conv2DBackpropInput`): dP = dy·Wᵀ, then each patch row is added back
 *   where it came from (col2im).
 *
 * In NHWC a patch row is filterHeight runs of filterWidth·inC contiguous input values (fewer
 * at the borders), so both copies move whole runs, in WebAssembly (runs-simd.ts) where it
 * runs. NCHW, dilations and dtypes other than float32 go to the kernels these replace.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { core } from '../tfjs-core.js';
import type { Conv2DAttrs, Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, FusedConv2DAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { Sgemm } from '../blas/cblas.js';
import { asWasmBackend, sizeOf } from './backend.js';
import type { WasmBackend } from './backend.js';
import { applyActivation, fillRows, fusable, type ActivationKernels } from './blas-matmul.js';
import { patchCacheOf } from './patch-cache.js';
import { runOnHeap } from './runs-simd.js';

const { backend_util } = core;

type Conv2DInfo = TfCore.backend_util.Conv2DInfo;

/** Rows (output pixels) and columns (filter taps × input channels) of the patch matrix. */
function patchShape(info: Conv2DInfo): [number, number] {
  return [info.batchSize * info.outHeight * info.outWidth, info.filterHeight * info.filterWidth * info.inChannels];
}

/**
 * The copies between an input and its patch matrix, as runs of five numbers (patch offset,
 * input offset, length, patch stride, input stride); taps outside the image have no run (their
 * columns stay zero). Two layouts, whichever has the longer runs: along a patch row (for every
 * output pixel and filter row, filterWidth·inC contiguous values), or, for few input channels
 * (the first layer of an image model), along an output row (for every tap and channel, the
 * outW values it meets, strided on both sides). Computed once per geometry (every step of a
 * layer has the same) and kept.
 */
export function runsOf(info: Conv2DInfo): Int32Array {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top: padTop, left: padLeft } = info.padInfo;
  const key = geometryKey(info);
  const cached = runCache.get(key);
  if (cached !== undefined) return cached;
  const K = FH * FW * C;
  const runs: number[] = [];
  const alongRows = FW * C >= OW;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const top = oh * sh - padTop;
      const rowStart = (b * OH + oh) * OW * K;
      for (let fh = 0; fh < FH; fh++) {
        const ih = top + fh;
        if (ih < 0 || ih >= H) continue;
        const inRow = (b * H + ih) * W;
        if (alongRows) {
          for (let ow = 0; ow < OW; ow++) {
            const left = ow * sw - padLeft;
            const fwLo = Math.max(0, -left);
            const fwHi = Math.min(FW, W - left);
            if (fwLo < fwHi) runs.push(rowStart + ow * K + (fh * FW + fwLo) * C, (inRow + left + fwLo) * C, (fwHi - fwLo) * C, 1, 1);
          }
          continue;
        }
        for (let fw = 0; fw < FW; fw++) {
          // Output columns whose input column ow·sw − padLeft + fw lies inside the image.
          const owLo = Math.max(0, Math.ceil((padLeft - fw) / sw));
          const owHi = Math.min(OW, Math.floor((W - 1 + padLeft - fw) / sw) + 1);
          if (owLo >= owHi) continue;
          for (let c = 0; c < C; c++) {
            runs.push(rowStart + owLo * K + (fh * FW + fw) * C + c, (inRow + owLo * sw - padLeft + fw) * C + c, owHi - owLo, K, sw * C);
          }
        }
      }
    }
  }
  if (runCache.size >= 32) runCache.clear();
  const table = Int32Array.from(runs);
  runCache.set(key, table);
  return table;
}

const runCache = new Map<string, Int32Array>();

/** What a patch matrix depends on besides its input's values. */
export function geometryKey(info: Conv2DInfo): string {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  return [batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo.top, padInfo.left].join(',');
}

/** Writes the patch matrix of `x` (NHWC) into `patches` (zeros where taps fall outside). */
export function im2colPatches(x: Float32Array, patches: Float32Array, info: Conv2DInfo): void {
  patches.fill(0);
  const runs = runsOf(info);
  for (let r = 0; r < runs.length; r += 5) {
    const length = runs[r + 2]!;
    const toStride = runs[r + 3]!;
    const fromStride = runs[r + 4]!;
    for (let i = 0, to = runs[r]!, from = runs[r + 1]!; i < length; i++, to += toStride, from += fromStride) patches[to] = x[from]!;
  }
}

/** Adds every patch row of `dPatches` back onto `dx` (NHWC), the adjoint of im2colPatches. */
export function col2imPatches(dPatches: Float32Array, dx: Float32Array, info: Conv2DInfo): void {
  dx.fill(0);
  const runs = runsOf(info);
  for (let r = 0; r < runs.length; r += 5) {
    const length = runs[r + 2]!;
    const atStride = runs[r + 3]!;
    const toStride = runs[r + 4]!;
    for (let i = 0, at = runs[r]!, to = runs[r + 1]!; i < length; i++, at += atStride, to += toStride) dx[to] = dx[to]! + dPatches[at]!;
  }
}

function convInfo(xShape: number[], filterShape: number[], attrs: Pick<Conv2DAttrs, 'strides' | 'pad' | 'dimRoundingMode'>): Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

const plain = (attrs: { dataFormat?: string; dilations?: number | [number, number] }): boolean =>
  attrs.dataFormat !== 'NCHW' && (attrs.dilations === undefined || attrs.dilations === 1 || (Array.isArray(attrs.dilations) && attrs.dilations.every((d) => d === 1)));

/**
 * The patch matrix of `x`, and whether the caller must free it. A matrix the cache holds (an
 * earlier pass over the same tensor) is reused; with `keep`, a new one is offered to the
 * cache (the forward pass: its filter gradient will ask for it).
 */
function patchesOf(backend: WasmBackend, x: TensorInfo, info: Conv2DInfo, keep: boolean): { patches: TensorInfo; owned: boolean } {
  const cache = patchCacheOf(backend);
  const key = geometryKey(info);
  const kept = cache.get(x.dataId, key);
  if (kept !== undefined) return { patches: kept, owned: false };
  const shape = patchShape(info);
  const patches = backend.makeOutput(shape, 'float32');
  runOnHeap(backend, 'copy', key, runsOf(info), x, patches, (xv, pv) => im2colPatches(xv, pv, info));
  const owned = !(keep && cache.put(x.dataId, key, patches, shape[0] * shape[1] * Float32Array.BYTES_PER_ELEMENT));
  return { patches, owned };
}

/** Frees a patch matrix the cache does not hold. */
function release(backend: WasmBackend, got: { patches: TensorInfo; owned: boolean }): void {
  if (got.owned) backend.disposeData(got.patches.dataId);
}

/** out = P·W (+ bias), NHWC; views taken after the last allocation. */
function forward(sgemm: Sgemm, backend: WasmBackend, x: TensorInfo, filter: TensorInfo, bias: TensorInfo | undefined, info: Conv2DInfo): TensorInfo {
  const [rows, k] = patchShape(info);
  const got = patchesOf(backend, x, info, true);
  try {
    const out = backend.makeOutput([info.batchSize, info.outHeight, info.outWidth, info.outChannels], 'float32');
    const ov = backend.typedArrayFromHeap(out) as Float32Array;
    const co = info.outChannels;
    if (bias !== undefined) fillRows(ov, backend.typedArrayFromHeap(bias) as Float32Array, co);
    const pv = backend.typedArrayFromHeap(got.patches) as Float32Array;
    const wv = backend.typedArrayFromHeap(filter) as Float32Array;
    sgemm(false, false, rows, co, k, 1, pv, k, wv, co, bias === undefined ? 0 : 1, ov, co);
    return out;
  } finally {
    release(backend, got);
  }
}

/** `Conv2D` on sgemm; `fallback` serves NCHW, dilations and other dtypes. */
export function makeBlasConv2D(sgemm: Sgemm, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs;
    const attrs = args.attrs as unknown as Conv2DAttrs;
    if (x === undefined || filter === undefined || x.dtype !== 'float32' || filter.dtype !== 'float32' || !plain(attrs)) return fallback(args);
    const backend = asWasmBackend(args.backend);
    return forward(sgemm, backend, x, filter, undefined, convInfo(x.shape, filter.shape, attrs));
  };
}

/** `FusedConv2D` on sgemm: bias per output channel and the activations blas-matmul.ts supports. */
export function makeBlasFusedConv2D(sgemm: Sgemm, fallback: KernelFunc, stock: ActivationKernels): KernelFunc {
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs;
    const attrs = args.attrs as unknown as FusedConv2DAttrs;
    const activation = attrs.activation ?? 'linear';
    if (x === undefined || filter === undefined || x.dtype !== 'float32' || !plain(attrs) || !fusable(activation) || preluActivationWeights !== undefined) {
      return fallback(args);
    }
    const info = convInfo(x.shape, filter.shape, attrs);
    if (bias !== undefined && sizeOf(bias.shape) !== info.outChannels) return fallback(args);
    const backend = asWasmBackend(args.backend);
    return applyActivation(backend, forward(sgemm, backend, x, filter, bias, info), activation, attrs.leakyreluAlpha, stock);
  };
}

/** `Conv2DBackpropFilter` on sgemm: dW = Pᵀ·dy. */
export function makeBlasConv2DBackpropFilter(sgemm: Sgemm, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs;
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    if (x === undefined || dy === undefined || x.dtype !== 'float32' || !plain(attrs)) return fallback(args);
    const backend = asWasmBackend(args.backend);
    const info = convInfo(x.shape, attrs.filterShape, attrs);
    const [rows, k] = patchShape(info);
    const got = patchesOf(backend, x, info, false);
    try {
      const out = backend.makeOutput(attrs.filterShape, 'float32');
      const co = info.outChannels;
      sgemm(true, false, k, co, rows, 1, backend.typedArrayFromHeap(got.patches) as Float32Array, k, backend.typedArrayFromHeap(dy) as Float32Array, co, 0, backend.typedArrayFromHeap(out) as Float32Array, co);
      return out;
    } finally {
      release(backend, got);
    }
  };
}

/** `Conv2DBackpropInput` on sgemm: dP = dy·Wᵀ, then col2im. */
export function makeBlasConv2DBackpropInput(sgemm: Sgemm, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs;
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (dy === undefined || filter === undefined || dy.dtype !== 'float32' || !plain(attrs)) return fallback(args);
    const backend = asWasmBackend(args.backend);
    const info = convInfo(attrs.inputShape, filter.shape, attrs);
    const [rows, k] = patchShape(info);
    const dPatches = backend.makeOutput([rows, k], 'float32');
    try {
      const dx = backend.makeOutput(attrs.inputShape, 'float32');
      const co = info.outChannels;
      sgemm(false, true, rows, k, co, 1, backend.typedArrayFromHeap(dy) as Float32Array, co, backend.typedArrayFromHeap(filter) as Float32Array, co, 0, backend.typedArrayFromHeap(dPatches) as Float32Array, k);
      runOnHeap(backend, 'add', geometryKey(info), runsOf(info), dPatches, dx, (dp, dxv) => col2imPatches(dp, dxv, info));
      return dx;
    } finally {
      backend.disposeData(dPatches.dataId);
    }
  };
}

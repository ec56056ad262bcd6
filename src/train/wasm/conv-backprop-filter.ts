/**
 * `Conv2DBackpropFilter` for the wasm backend, which registers none in 4.22 (so any trainable
 * conv layer throws there). The filter gradient is one product: the im2col matrix of the
 * input, (filterHeight·filterWidth·inChannels) × (batch·outHeight·outWidth), times the
 * output gradient seen as (batch·outHeight·outWidth) × outChannels — neither transposed, so
 * the stock `BatchMatMul` runs it through XNNPACK. The im2col copies run in WebAssembly
 * (runs-simd.ts) where it can be instantiated, else in JavaScript (im2colRows).
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { core } from '../tfjs-core.js';
import type { Conv2DBackpropFilterAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend, callSingle, view } from './backend.js';
import type { WasmBackend } from './backend.js';
import { runOnHeap } from './runs-simd.js';

const { backend_util } = core;

type Conv2DInfo = TfCore.backend_util.Conv2DInfo;

/** Writes the im2col matrix of `x` (NHWC) into `cols`, row k = (fh, fw, ci), column n = (b, oh, ow). */
export function im2colRows(x: Float32Array, cols: Float32Array, info: Conv2DInfo): void {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const n = batchSize * OH * OW;
  let row = 0;
  for (let fh = 0; fh < info.filterHeight; fh++) {
    for (let fw = 0; fw < info.filterWidth; fw++) {
      const colShift = fw * dw - left;
      // Output columns whose input column lies inside the image: lo ≤ ow < hi.
      const lo = Math.min(OW, Math.max(0, Math.ceil(-colShift / sw)));
      const hi = Math.max(lo, Math.min(OW, Math.floor((W - 1 - colShift) / sw) + 1));
      for (let ci = 0; ci < C; ci++, row += n) {
        let at = row;
        for (let b = 0; b < batchSize; b++) {
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * sh + fh * dh - top;
            if (ih < 0 || ih >= H) {
              cols.fill(0, at, at + OW);
              at += OW;
              continue;
            }
            const base = ((b * H + ih) * W + colShift) * C + ci;
            const step = sw * C;
            for (let ow = 0; ow < lo; ow++) cols[at + ow] = 0;
            for (let ow = lo, src = base + lo * step; ow < hi; ow++, src += step) cols[at + ow] = x[src]!;
            for (let ow = hi; ow < OW; ow++) cols[at + ow] = 0;
            at += OW;
          }
        }
      }
    }
  }
}

/**
 * The copies of im2colRows as runs for runs-simd.ts (patch offset, input offset, length,
 * patch stride, input stride): for every row (fh, fw, ci) and input row it meets, the output
 * columns whose input column lies inside the image. Computed once per geometry and kept.
 */
export function rowRunsOf(info: Conv2DInfo): { key: string; runs: Int32Array } {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const key = `rows:${[batchSize, H, W, C, OH, OW, FH, FW, sh, sw, dh, dw, top, left].join(',')}`;
  const cached = rowRunCache.get(key);
  if (cached !== undefined) return { key, runs: cached };
  const n = batchSize * OH * OW;
  const runs: number[] = [];
  let row = 0;
  for (let fh = 0; fh < FH; fh++) {
    for (let fw = 0; fw < FW; fw++) {
      const colShift = fw * dw - left;
      const lo = Math.min(OW, Math.max(0, Math.ceil(-colShift / sw)));
      const hi = Math.max(lo, Math.min(OW, Math.floor((W - 1 - colShift) / sw) + 1));
      for (let ci = 0; ci < C; ci++, row += n) {
        if (lo >= hi) continue;
        for (let b = 0, at = row; b < batchSize; b++) {
          for (let oh = 0; oh < OH; oh++, at += OW) {
            const ih = oh * sh + fh * dh - top;
            if (ih >= 0 && ih < H) runs.push(at + lo, ((b * H + ih) * W + colShift + lo * sw) * C + ci, hi - lo, 1, sw * C);
          }
        }
      }
    }
  }
  if (rowRunCache.size >= 32) rowRunCache.clear();
  const table = Int32Array.from(runs);
  rowRunCache.set(key, table);
  return { key, runs: table };
}

const rowRunCache = new Map<string, Int32Array>();

function toChannelsLast(transpose: KernelFunc, backend: WasmBackend, t: TensorInfo): TensorInfo {
  return callSingle(transpose, backend, { x: t }, { perm: [0, 2, 3, 1] });
}

/** Builds the `Conv2DBackpropFilter` kernel from the stock wasm BatchMatMul and Transpose kernels. */
export function makeConv2DBackpropFilter(batchMatMul: KernelFunc, transpose: KernelFunc): KernelFunc {
  return (args) => {
    const backend = asWasmBackend(args.backend);
    const { x, dy } = args.inputs;
    if (x === undefined || dy === undefined) throw new Error('Conv2DBackpropFilter: missing x or dy');
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const temps: TensorInfo[] = [];
    try {
      let xs = x;
      let dys = dy;
      if (attrs.dataFormat === 'NCHW') {
        xs = toChannelsLast(transpose, backend, x);
        dys = toChannelsLast(transpose, backend, dy);
        temps.push(xs, dys);
      }
      const info = backend_util.computeConv2DInfo(
        xs.shape as [number, number, number, number],
        attrs.filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        'channelsLast',
      );
      const k = info.filterHeight * info.filterWidth * info.inChannels;
      const n = info.batchSize * info.outHeight * info.outWidth;
      const cols = backend.makeOutput([k, n], 'float32');
      temps.push(cols);
      const { key, runs } = rowRunsOf(info);
      runOnHeap(backend, 'copy', key, runs, xs, cols, (xv, cv) => im2colRows(xv, cv, info));
      const out = callSingle(batchMatMul, backend, { a: cols, b: view(dys, [n, info.outChannels]) }, {
        transposeA: false,
        transposeB: false,
      });
      out.shape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
      return out;
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

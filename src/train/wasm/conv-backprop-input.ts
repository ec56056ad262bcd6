/**
 * `Conv2DBackpropInput` (the input gradient of every conv layer but the first) through the
 * stock wasm Conv2D kernel, i.e. XNNPACK, where the stock kernel runs a scalar loop (~2
 * GFLOP/s; the largest cost of a small CNN's step). The input gradient of a convolution is a
 * stride-1 convolution of dy — dilated by the stride with zeros when the stride exceeds 1 — by
 * the filter rotated 180° with its channel axes swapped, padded by (filter − 1 − forward pad).
 * NCHW, or paddings larger than the filter, go to the stock kernel.
 */
import { core } from '../tfjs-core.js';
import type { Conv2DBackpropInputAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend, callSingle } from './backend.js';
import type { WasmBackend } from './backend.js';

const { backend_util } = core;

/** Writes filter [fh, fw, ci, co] rotated 180° with channels swapped: out [fh, fw, co, ci]. */
export function rotateFilter(w: Float32Array, out: Float32Array, fh: number, fw: number, ci: number, co: number): void {
  for (let h = 0; h < fh; h++) {
    for (let x = 0; x < fw; x++) {
      const src = ((fh - 1 - h) * fw + (fw - 1 - x)) * ci * co;
      const dst = (h * fw + x) * co * ci;
      for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) out[dst + o * ci + i] = w[src + i * co + o]!;
    }
  }
}

/** dy [b, oh, ow, c] spread to [b, (oh−1)·sh+1, (ow−1)·sw+1, c] with zeros between. */
function dilate(backend: WasmBackend, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  const [b, oh, ow, c] = dy.shape as [number, number, number, number];
  const h = (oh - 1) * sh + 1;
  const w = (ow - 1) * sw + 1;
  const out = backend.makeOutput([b, h, w, c], 'float32');
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const src = backend.typedArrayFromHeap(dy) as Float32Array;
  dst.fill(0);
  for (let n = 0, at = 0; n < b; n++) {
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++, at += c) dst.set(src.subarray(at, at + c), ((n * h + r * sh) * w + q * sw) * c);
    }
  }
  return out;
}

/** Builds the kernel from the stock wasm `Conv2DBackpropInput` (fallback) and `Conv2D` kernels. */
export function makeConv2DBackpropInput(original: KernelFunc, conv2d: KernelFunc): KernelFunc {
  return (args) => {
    const { dy, filter } = args.inputs;
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (dy === undefined || filter === undefined || attrs.dataFormat === 'NCHW' || dy.dtype !== 'float32') {
      return original(args);
    }
    const info = backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
    const pads = [
      fh - 1 - padInfo.top,
      info.inHeight - ((info.outHeight - 1) * sh + 1) + padInfo.top,
      fw - 1 - padInfo.left,
      info.inWidth - ((info.outWidth - 1) * sw + 1) + padInfo.left,
    ];
    if (pads.some((p) => p < 0)) return original(args);
    const backend = asWasmBackend(args.backend);
    const temps: TensorInfo[] = [];
    try {
      const rotated = backend.makeOutput([fh, fw, info.outChannels, info.inChannels], 'float32');
      temps.push(rotated);
      const spread = sh === 1 && sw === 1 ? dy : dilate(backend, dy, sh, sw);
      if (spread !== dy) temps.push(spread);
      rotateFilter(
        backend.typedArrayFromHeap(filter) as Float32Array,
        backend.typedArrayFromHeap(rotated) as Float32Array,
        fh,
        fw,
        info.inChannels,
        info.outChannels,
      );
      const [top, bottom, left, right] = pads as [number, number, number, number];
      return callSingle(conv2d, backend, { x: spread, filter: rotated }, {
        strides: [1, 1],
        dilations: [1, 1],
        pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
        dataFormat: 'NHWC',
      });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

/**
 * `MaxPoolGrad` for the wasm backend with the cpu backend's semantics. The stock 4.22 kernel
 * starts its running maximum at +FLT_MIN, so a window whose maximum is ≤ 0 loses its gradient,
 * and gives ties to the last element. Here the maximum starts at −∞, a strictly greater value
 * wins (ties go to the first element in row-major window order), a window with no number
 * above −∞ passes no gradient, and dy is scattered to each window's argmax.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { core } from '../tfjs-core.js';
import type { KernelFunc, MaxPoolGradAttrs } from '@tensorflow/tfjs-core';
import { asWasmBackend } from './backend.js';
import { poolGradSimdFor } from './pool-grad-simd.js';

const { backend_util } = core;

type Conv2DInfo = TfCore.backend_util.Conv2DInfo;

/** Adds each window's dy to dx at the window's argmax; x and dx are NHWC, dx starts at zero. */
export function scatterMaxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, info: Conv2DInfo): void {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const rowStep = dh * W * C;
  const colStep = dw * C;
  let dyAt = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < OH; oh++) {
      // Window rows inside the image: corner + fh·dh for fhLo ≤ fh < fhHi.
      const rowCorner = oh * sh - info.padInfo.top;
      const fhLo = Math.max(0, Math.ceil(-rowCorner / dh));
      const fhHi = Math.min(info.filterHeight, Math.floor((H - 1 - rowCorner) / dh) + 1);
      for (let ow = 0; ow < OW; ow++, dyAt += C) {
        const colCorner = ow * sw - info.padInfo.left;
        const fwLo = Math.max(0, Math.ceil(-colCorner / dw));
        const fwHi = Math.min(info.filterWidth, Math.floor((W - 1 - colCorner) / dw) + 1);
        if (fhLo >= fhHi || fwLo >= fwHi) continue;
        const first = ((b * H + rowCorner + fhLo * dh) * W + colCorner + fwLo * dw) * C;
        if (fhHi - fhLo === 2 && fwHi - fwLo === 2) {
          // A whole 2×2 window (the built-in CNN's pool, away from a border): the loop below, unrolled.
          for (let c = 0, i = first; c < C; c++, i++) {
            let best = -Infinity;
            let at = -1;
            const right = i + colStep;
            const below = i + rowStep;
            const diagonal = below + colStep;
            if (x[i]! > best) {
              best = x[i]!;
              at = i;
            }
            if (x[right]! > best) {
              best = x[right]!;
              at = right;
            }
            if (x[below]! > best) {
              best = x[below]!;
              at = below;
            }
            if (x[diagonal]! > best) at = diagonal;
            if (at >= 0) dx[at] = dx[at]! + dy[dyAt + c]!;
          }
          continue;
        }
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          for (let fh = fhLo, row = first + c; fh < fhHi; fh++, row += rowStep) {
            for (let fw = fwLo, i = row; fw < fwHi; fw++, i += colStep) {
              const v = x[i]!;
              if (v > best) {
                best = v;
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] = dx[at]! + dy[dyAt + c]!;
        }
      }
    }
  }
}

/**
 * True when the windows are 2×2 with stride 2 and tile the input exactly (even height and
 * width, no padding), over a multiple of four channels: what pool-grad-simd.ts serves.
 */
export function tiles(info: Conv2DInfo): boolean {
  return (
    info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
    info.dilationHeight === 1 && info.dilationWidth === 1 && info.padInfo.top === 0 && info.padInfo.left === 0 &&
    info.outHeight * 2 === info.inHeight && info.outWidth * 2 === info.inWidth && info.inChannels % 4 === 0
  );
}

/** The `MaxPoolGrad` kernel (inputs dy, input, output; NHWC): the SIMD loop where the windows tile the input, else scatterMaxPoolGrad. */
export const maxPoolGrad: KernelFunc = (args) => {
  const backend = asWasmBackend(args.backend);
  const { dy, input } = args.inputs;
  if (dy === undefined || input === undefined) throw new Error('MaxPoolGrad: missing dy or input');
  const attrs = args.attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const dx = backend.makeOutput(input.shape, 'float32');
  const dxValues = backend.typedArrayFromHeap(dx) as Float32Array;
  const xValues = backend.typedArrayFromHeap(input) as Float32Array;
  const dyValues = backend.typedArrayFromHeap(dy) as Float32Array;
  const simd = tiles(info) ? poolGradSimdFor(args.backend) : null;
  if (simd !== null) {
    simd(xValues.byteOffset, dyValues.byteOffset, dxValues.byteOffset, info.batchSize * info.outHeight, info.outWidth, 4 * info.inChannels, 4 * info.inWidth * info.inChannels);
    return dx;
  }
  dxValues.fill(0);
  scatterMaxPoolGrad(xValues, dyValues, dxValues, info);
  return dx;
};

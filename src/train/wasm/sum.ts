/**
 * `Sum` over leading axes (bias and BatchNorm gradients: a [batch, …, units] tensor summed to
 * [units]) as column sums in JS, eight rows at a time. The stock wasm kernel reduces only the
 * innermost axes, so it first transposes the whole input. Other reductions go to it.
 */
import { core } from '../tfjs-core.js';
import type { KernelFunc, SumAttrs } from '@tensorflow/tfjs-core';
import { asWasmBackend, sizeOf } from './backend.js';

const { util } = core;

/** Adds the `rows` rows (each `cols` long) of `src` into `acc`. */
export function addRows(src: Float32Array, rows: number, cols: number, acc: Float64Array): void {
  let r = 0;
  for (; r + 8 <= rows; r += 8) {
    const s0 = r * cols;
    const s1 = s0 + cols;
    const s2 = s1 + cols;
    const s3 = s2 + cols;
    const s4 = s3 + cols;
    const s5 = s4 + cols;
    const s6 = s5 + cols;
    const s7 = s6 + cols;
    for (let c = 0; c < cols; c++) {
      acc[c] =
        acc[c]! +
        (src[s0 + c]! + src[s1 + c]! + src[s2 + c]! + src[s3 + c]!) +
        (src[s4 + c]! + src[s5 + c]! + src[s6 + c]! + src[s7 + c]!);
    }
  }
  for (; r < rows; r++) {
    const s = r * cols;
    for (let c = 0; c < cols; c++) acc[c] = acc[c]! + src[s + c]!;
  }
}

/** Wraps the stock wasm `Sum` kernel (see the file comment). */
export function makeSum(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x;
    if (x === undefined || x.dtype !== 'float32' || x.shape.length < 2) return original(args);
    const attrs = args.attrs as unknown as SumAttrs;
    const axes = [...new Set(util.parseAxisParam(attrs.axis, x.shape))].sort((a, b) => a - b);
    const lead = axes.length;
    if (lead === 0 || lead >= x.shape.length || axes.some((a, i) => a !== i)) return original(args);
    const backend = asWasmBackend(args.backend);
    const rest = x.shape.slice(lead);
    const outShape = attrs.keepDims ? [...x.shape.slice(0, lead).map(() => 1), ...rest] : rest;
    const out = backend.makeOutput(outShape, 'float32');
    const cols = sizeOf(rest);
    const acc = new Float64Array(cols);
    addRows(backend.typedArrayFromHeap(x) as Float32Array, sizeOf(x.shape) / Math.max(cols, 1), cols, acc);
    (backend.typedArrayFromHeap(out) as Float32Array).set(acc);
    return out;
  };
}

/**
 * `Slice` for the wasm backend that reads the input through a view of the heap, where the
 * stock kernel first copies the whole input out of the heap (`readSync`). The slice is copied
 * as runs: the innermost partial dimension together with the full dimensions after it is one
 * contiguous run per position of the outer dimensions.
 */
import { core } from '../tfjs-core.js';
import type { KernelFunc, SliceAttrs } from '@tensorflow/tfjs-core';
import { asWasmBackend, sizeOf } from './backend.js';
import { copyRun } from './copy.js';

const { slice_util, util } = core;

/** Wraps the stock wasm `Slice` kernel, which still serves string tensors. */
export function makeSlice(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x;
    if (x === undefined || x.dtype === 'string') return original(args);
    const backend = asWasmBackend(args.backend);
    const attrs = args.attrs as unknown as SliceAttrs;
    const parsed = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
    const begin = parsed[0] ?? [];
    const size = parsed[1] ?? [];
    const out = backend.makeOutput(size, x.dtype);
    const total = sizeOf(size);
    if (total === 0) return out;
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const strides = util.computeStrides(x.shape);
    const rank = x.shape.length;
    // The run: dimension `d` (partial) and all full dimensions after it.
    let d = rank - 1;
    while (d > 0 && size[d] === x.shape[d]) d--;
    const run = d < 0 ? total : sizeOf(size.slice(d));
    let base = 0;
    for (let i = 0; i < rank; i++) base += (begin[i] ?? 0) * (strides[i] ?? 1);
    const outerRank = Math.max(d, 0);
    const counter = new Array<number>(outerRank).fill(0);
    for (let to = 0; to < total; to += run) {
      let from = base;
      for (let i = 0; i < outerRank; i++) from += counter[i]! * strides[i]!;
      copyRun(src, from, dst, to, run);
      for (let i = outerRank - 1; i >= 0; i--) {
        counter[i] = counter[i]! + 1;
        if (counter[i]! < size[i]!) break;
        counter[i] = 0;
      }
    }
    return out;
  };
}

/**
 * `GatherV2` for the wasm backend with batchDims 0 (what `model.fit` and mini-batch shuffling
 * use): each gathered slice is one contiguous run of the input, copied as a block, where the
 * stock kernel costs ~45 ns per element. Other cases go to the stock kernel.
 */
import { core } from '../tfjs-core.js';
import type { GatherV2Attrs, KernelFunc } from '@tensorflow/tfjs-core';
import { asWasmBackend, sizeOf } from './backend.js';
import { copyRun } from './copy.js';

const { util } = core;

/** Wraps the stock wasm `GatherV2` kernel (see the file comment). */
export function makeGatherV2(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs;
    const attrs = args.attrs as unknown as GatherV2Attrs;
    if (x === undefined || indices === undefined || x.dtype === 'string' || indices.dtype !== 'int32') {
      return original(args);
    }
    if ((attrs.batchDims ?? 0) !== 0) return original(args);
    const backend = asWasmBackend(args.backend);
    const axis = util.parseAxisParam(attrs.axis, x.shape)[0] ?? 0;
    const dim = x.shape[axis] ?? 1;
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    const count = sizeOf(indices.shape);
    const index = backend.typedArrayFromHeap(indices);
    for (let i = 0; i < count; i++) {
      const at = index[i]!;
      if (at < 0 || at >= dim) throw new Error(`GatherV2: the index value ${at} is not in [0, ${dim - 1}]`);
    }
    const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    const out = backend.makeOutput(outShape, x.dtype);
    if (sizeOf(outShape) === 0) return out;
    // Views are taken after the allocation: heap growth detaches older ones.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const idx = backend.typedArrayFromHeap(indices);
    let to = 0;
    for (let o = 0; o < outer; o++) {
      const block = o * dim;
      for (let i = 0; i < count; i++, to += inner) copyRun(src, (block + idx[i]!) * inner, dst, to, inner);
    }
    return out;
  };
}

/**
 * `Tile` for the wasm backend by block copies (the BatchNormalization gradient tiles), where the
 * stock kernel does index arithmetic per element. Each dimension, from the innermost out, is
 * written once and then repeated by doubling `copyWithin` calls.
 */
import { core } from '../tfjs-core.js';
import type { KernelFunc, TileAttrs, TypedArray } from '@tensorflow/tfjs-core';
import { asWasmBackend, sizeOf } from './backend.js';
import { copyRun, repeatBlock } from './copy.js';

const { util } = core;

/** Writes `x` (shape `shape`) tiled `reps` times into `out`, both row-major. */
export function tileInto(x: TypedArray, out: TypedArray, shape: readonly number[], reps: readonly number[]): void {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = x[0]!;
    return;
  }
  const outShape = shape.map((s, i) => s * (reps[i] ?? 1));
  const xStrides = util.computeStrides(shape as number[]);
  const outStrides = util.computeStrides(outShape);
  const fill = (d: number, xAt: number, outAt: number): void => {
    const n = shape[d]!;
    const r = reps[d] ?? 1;
    if (d === rank - 1) {
      copyRun(x, xAt, out, outAt, n);
      repeatBlock(out, outAt, n, r);
      return;
    }
    const xStride = xStrides[d]!;
    const outStride = outStrides[d]!;
    for (let i = 0; i < n; i++) fill(d + 1, xAt + i * xStride, outAt + i * outStride);
    repeatBlock(out, outAt, n * outStride, r);
  };
  fill(0, 0, 0);
}

/** Wraps the stock wasm `Tile` kernel, which still serves string tensors. */
export function makeTile(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x;
    if (x === undefined || x.dtype === 'string') return original(args);
    const backend = asWasmBackend(args.backend);
    const { reps } = args.attrs as unknown as TileAttrs;
    const outShape = x.shape.map((s, i) => s * (reps[i] ?? 1));
    const out = backend.makeOutput(outShape, x.dtype);
    if (sizeOf(outShape) === 0) return out;
    tileInto(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out), x.shape, reps);
    return out;
  };
}

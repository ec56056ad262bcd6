/**
 * Copies between tensors on the wasm heap: long runs as one `copyWithin` (a memmove inside
 * the heap), short runs element by element.
 */
import type { TypedArray } from '@tensorflow/tfjs-core';

/** Runs shorter than this many elements are copied by a plain loop. */
const SHORT_RUN = 24;

/**
 * Copies `length` elements from `src` at `from` to `dst` at `to`; both have the same element
 * type and, for the fast path, are views of the same heap (as `typedArrayFromHeap` makes them).
 */
export function copyRun(src: TypedArray, from: number, dst: TypedArray, to: number, length: number): void {
  if (length < SHORT_RUN) {
    for (let i = 0; i < length; i++) dst[to + i] = src[from + i]!;
    return;
  }
  if (src.buffer !== dst.buffer) {
    dst.set(src.subarray(from, from + length), to);
    return;
  }
  const width = dst.BYTES_PER_ELEMENT;
  const heap = new Uint8Array(dst.buffer);
  const srcByte = src.byteOffset + from * width;
  heap.copyWithin(dst.byteOffset + to * width, srcByte, srcByte + length * width);
}

/** Within `view`, repeats the block [start, start + length) `times` times in total (doubling). */
export function repeatBlock(view: TypedArray, start: number, length: number, times: number): void {
  const total = length * times;
  let filled = length;
  while (filled < total) {
    const chunk = Math.min(filled, total - filled);
    view.copyWithin(start + filled, start, start + chunk);
    filled += chunk;
  }
}

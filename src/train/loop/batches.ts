/**
 * Mini-batches of an epoch, prepared in JavaScript memory: the training rows are permuted
 * once per epoch (seeded) into fresh arrays, and each batch is a contiguous slice of them, so
 * the backend never gathers rows. Dropout masks are drawn here too, from the trial's seed.
 */
import type { Dataset } from '../data/types.js';
import type { Rng } from '../random.js';

/** One-hot rows of `labels` for `classes` classes. */
export function oneHot(labels: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((c, i) => (out[i * classes + c] = 1));
  return out;
}

/** The training rows of one epoch in a random order. */
export interface EpochData {
  /** Permuted features, rows × features. */
  x: Float32Array;
  /** One-hot labels in the same order. */
  y: Float32Array;
  /** Class indices in the same order. */
  labels: Int32Array;
  rows: number;
}

/** Permutes a dataset's rows with `rng` into new arrays. */
export function permuteEpoch(data: Dataset, features: number, classes: number, rng: Rng): EpochData {
  const order = rng.permutation(data.n);
  const x = new Float32Array(data.n * features);
  const labels = new Int32Array(data.n);
  order.forEach((src, i) => {
    x.set(data.x.subarray(src * features, (src + 1) * features), i * features);
    labels[i] = data.y[src]!;
  });
  return { x, y: oneHot(labels, classes), labels, rows: data.n };
}

/** Row ranges [start, end) of the batches of an epoch (the last one may be smaller). */
export function batchRanges(rows: number, batchSize: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let start = 0; start < rows; start += batchSize) out.push([start, Math.min(rows, start + batchSize)]);
  return out;
}

/**
 * An inverted-dropout mask: each value is 0 with probability `rate`, else 1/(1 − rate), so the
 * expected activation is unchanged and evaluation needs no rescaling.
 */
export function dropoutMask(size: number, rate: number, rng: Rng): Float32Array {
  const keep = 1 - rate;
  const scale = 1 / keep;
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) mask[i] = rng.uniform() < keep ? scale : 0;
  return mask;
}

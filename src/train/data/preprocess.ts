/**
 * Preprocessing fitted on the training split only, then applied to every split:
 *
 * - none;
 * - center: subtract each feature's training mean;
 * - standardize: subtract the mean and divide by the standard deviation (population std); a
 *   feature that is constant on the training split is divided by 1, so it stays finite;
 * - per_channel: for images, subtract one mean per channel (over all pixels of the training
 *   images), keeping the pixels' relative values.
 */
import type { Preprocess } from '../../core/spec.js';
import type { Dataset, Transform } from './types.js';

export type { Transform } from './types.js';

/** Zero-variance guard: a std at or below this counts as zero. */
const TINY_STD = 1e-8;

/**
 * Fits a transform on `train` (rows of `features` values). `channels` is the channel count of
 * image data (required by per_channel), laid out last (height × width × channels).
 */
export function fitPreprocess(kind: Preprocess, train: Dataset, features: number, channels: number | null): Transform {
  const shift = new Float32Array(features);
  const scale = new Float32Array(features).fill(1);
  if (kind === 'none' || train.n === 0) return { shift, scale };
  if (kind === 'per_channel') {
    if (channels === null) throw new Error('preprocess per_channel needs image data (mnist); use center or standardize');
    const sums = new Float64Array(channels);
    for (let i = 0; i < train.x.length; i++) sums[i % channels]! += train.x[i]!;
    const perChannel = train.x.length / channels;
    for (let k = 0; k < features; k++) shift[k] = sums[k % channels]! / perChannel;
    return { shift, scale };
  }
  const mean = new Float64Array(features);
  for (let r = 0; r < train.n; r++) for (let k = 0; k < features; k++) mean[k]! += train.x[r * features + k]!;
  for (let k = 0; k < features; k++) mean[k]! /= train.n;
  shift.set(mean);
  if (kind === 'standardize') {
    const sq = new Float64Array(features);
    for (let r = 0; r < train.n; r++) {
      for (let k = 0; k < features; k++) {
        const d = train.x[r * features + k]! - mean[k]!;
        sq[k]! += d * d;
      }
    }
    for (let k = 0; k < features; k++) {
      const std = Math.sqrt(sq[k]! / train.n);
      scale[k] = std > TINY_STD ? std : 1;
    }
  }
  return { shift, scale };
}

/** Applies a transform to a copy of `data`. */
export function applyPreprocess(t: Transform, data: Dataset): Dataset {
  const f = t.shift.length;
  const x = new Float32Array(data.x.length);
  for (let i = 0; i < x.length; i++) {
    const k = i % f;
    x[i] = (data.x[i]! - t.shift[k]!) / t.scale[k]!;
  }
  return { x, y: data.y, n: data.n };
}

/**
 * `train.augment`: random shift, rotation, zoom, mirroring, Gaussian noise and cutout of each
 * training image, applied in place to the mini-batch buffer the epoch loop gathers (never to
 * the validation or test splits, which never pass through it). Draws come from one seeded
 * stream per trial, so a trial sees the same augmented batches every time it runs.
 *
 * The batch holds preprocessed values; each image is mapped back to the data's own pixel units
 * first, so a warp moves pixels, not per-pixel statistics, and blank areas (outside the
 * source, cutout) are 0 there, the background of mnist.
 */
import type { AugmentSamples } from '../core/augment-samples.js';
import { affineOf, isIdentity, warp } from './augment-warp.js';
import type { Geometry } from './augment-warp.js';
import type { PreparedData, Transform } from './data/types.js';
import { deriveSeed, Rng } from './random.js';
import type { TrainSettings } from './settings.js';

export interface AugmentOptions {
  /** Largest shift in pixels, along each axis. */
  shift: number;
  /** Largest turn in degrees, either way. */
  rotate: number;
  /** The scale is drawn in [1 − zoom, 1 + zoom]. */
  zoom: number;
  flip: 'none' | 'horizontal';
  /** Standard deviation of the per-pixel noise. */
  noise: number;
  /** Side of the blanked square, in pixels. */
  cutout: number;
}

/** How many images of the first batch an augmenter keeps for the report. */
export const SAMPLE_IMAGES = 16;

/** A trial's augmentation options, or null when every knob is off. */
export function augmentOptions(s: TrainSettings): AugmentOptions | null {
  const o: AugmentOptions = {
    shift: s['augment.shift'],
    rotate: s['augment.rotate'],
    zoom: s['augment.zoom'],
    flip: s['augment.flip'],
    noise: s['augment.noise'],
    cutout: s['augment.cutout'],
  };
  const off = o.shift === 0 && o.rotate === 0 && o.zoom === 0 && o.flip === 'none' && o.noise === 0 && o.cutout === 0;
  return off ? null : o;
}

/** Augments mini-batches in place. */
export interface Augmenter {
  /** Augments the `labels.length` images at the start of `x` (preprocessed values, row-major). */
  apply(x: Float32Array, labels: Int32Array): void;
  /** The first images it augmented, in pixel units (null before any). */
  samples(classNames: readonly string[]): AugmentSamples | null;
}

/** Draws one image's geometry (each knob draws only when it is on). */
function drawGeometry(o: AugmentOptions, rng: Rng): Geometry {
  const spread = (r: number): number => (r === 0 ? 0 : (2 * rng.uniform() - 1) * r);
  return {
    dx: spread(o.shift),
    dy: spread(o.shift),
    degrees: spread(o.rotate),
    scale: 1 + spread(o.zoom),
    flip: o.flip === 'horizontal' && rng.uniform() < 0.5,
  };
}

/** Sets a `side` × `side` square centred at a random pixel (clipped to the image) to 0. */
function cutout(img: Float32Array, width: number, height: number, channels: number, side: number, rng: Rng): void {
  const x0 = rng.int(width) - (side >> 1);
  const y0 = rng.int(height) - (side >> 1);
  const x1 = Math.min(width, x0 + side);
  const y1 = Math.min(height, y0 + side);
  for (let y = Math.max(0, y0); y < y1; y++) img.fill(0, (y * width + Math.max(0, x0)) * channels, (y * width + x1) * channels);
}

/**
 * An augmenter for images of `shape` ([height, width, channels]) preprocessed by `transform`
 * (none: the values are pixels already), drawing from `rng`.
 */
export function createAugmenter(o: AugmentOptions, shape: readonly [number, number, number], transform: Transform | undefined, rng: Rng): Augmenter {
  const [height, width, channels] = shape;
  const size = height * width * channels;
  const shift = transform?.shift ?? new Float32Array(size);
  const scale = transform?.scale ?? new Float32Array(size).fill(1);
  if (shift.length !== size) throw new Error(`augment: images of ${height}×${width}×${channels} but ${shift.length} features`);
  const inverse = Float32Array.from(scale, (s) => 1 / s);
  const raw = new Float32Array(size);
  const moved = new Float32Array(size);
  const kept: Float32Array[] = [];
  const keptLabels: number[] = [];
  return {
    apply(x, labels) {
      for (let i = 0; i < labels.length; i++) {
        const img = x.subarray(i * size, (i + 1) * size);
        for (let k = 0; k < size; k++) raw[k] = img[k]! * scale[k]! + shift[k]!;
        const g = drawGeometry(o, rng);
        let out = raw;
        if (!isIdentity(g)) {
          warp(raw, moved, width, height, channels, affineOf(g, width, height));
          out = moved;
        }
        if (o.cutout > 0) cutout(out, width, height, channels, o.cutout, rng);
        if (o.noise > 0) for (let k = 0; k < size; k++) out[k]! += o.noise * rng.normal();
        if (kept.length < SAMPLE_IMAGES) {
          kept.push(out.slice());
          keptLabels.push(labels[i]!);
        }
        for (let k = 0; k < size; k++) img[k] = (out[k]! - shift[k]!) * inverse[k]!;
      }
    },
    samples(classNames) {
      if (kept.length === 0) return null;
      return encodeSamples(kept, keptLabels.map((c) => classNames[c] ?? String(c)), shape);
    },
  };
}

/**
 * The augmenter of a trial of seed `seed`, or null when its settings augment nothing. Throws
 * when they do but the data has no image shape.
 */
export function trialAugmenter(settings: TrainSettings, data: Pick<PreparedData, 'imageShape' | 'transform'>, seed: number): Augmenter | null {
  const o = augmentOptions(settings);
  if (o === null) return null;
  if (data.imageShape === null) throw new Error('train.augment needs image data (data source mnist)');
  return createAugmenter(o, data.imageShape, data.transform, new Rng(deriveSeed(seed, 'augment')));
}

/** Images as bytes spanning their own range of values (see AugmentSamples). */
function encodeSamples(images: readonly Float32Array[], labels: string[], shape: readonly [number, number, number]): AugmentSamples {
  let lo = Infinity;
  let hi = -Infinity;
  for (const img of images) for (const v of img) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (!(hi > lo)) [lo, hi] = [Number.isFinite(lo) ? lo : 0, (Number.isFinite(lo) ? lo : 0) + 1];
  // Float residue of the preprocessing round trip (−2e-8 for 0) is no part of the range.
  [lo, hi] = [Math.round(lo * 1e6) / 1e6 || 0, Math.round(hi * 1e6) / 1e6];
  const size = images[0]!.length;
  const bytes = new Uint8ClampedArray(images.length * size);
  images.forEach((img, i) => {
    for (let k = 0; k < size; k++) bytes[i * size + k] = Math.round((255 * ((img[k] ?? lo) - lo)) / (hi - lo));
  });
  const [height, width, channels] = shape;
  return { width, height, channels, labels, pixels: Buffer.from(bytes.buffer).toString('base64'), lo, hi };
}

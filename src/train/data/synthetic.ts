/**
 * Synthetic classification problems, generated deterministically from a seed:
 *
 * - spirals: `classes` interleaved arms in 2-D (the classic toy problem a linear model cannot
 *   solve); `noise` is the standard deviation of the angle jitter;
 * - blobs: one isotropic Gaussian per class in `features` dimensions, centres drawn uniformly
 *   in [−5, 5]ᵈ; `noise` is each blob's standard deviation.
 *
 * `points` is the total number of examples, spread as evenly as possible over the classes.
 */
import { Rng } from '../random.js';
import type { RawData } from './types.js';

/** Examples of class c when `points` are spread over `classes`. */
function countOf(c: number, points: number, classes: number): number {
  return Math.floor(points / classes) + (c < points % classes ? 1 : 0);
}

function classNames(classes: number): string[] {
  return Array.from({ length: classes }, (_, c) => String(c));
}

/** Spirals: arm c starts at angle 2πc/classes and sweeps 4 radians as its radius grows 0 → 1. */
export function spirals(classes: number, points: number, noise: number, seed: number): RawData {
  const rng = new Rng(seed);
  const x = new Float32Array(points * 2);
  const y = new Int32Array(points);
  let row = 0;
  for (let c = 0; c < classes; c++) {
    const n = countOf(c, points, classes);
    for (let i = 0; i < n; i++) {
      const r = n === 1 ? 1 : i / (n - 1);
      const t = (2 * Math.PI * c) / classes + 4 * r + rng.normal() * noise;
      x[row * 2] = r * Math.sin(t);
      x[row * 2 + 1] = r * Math.cos(t);
      y[row] = c;
      row++;
    }
  }
  return { x, y, n: points, features: 2, imageShape: null, classNames: classNames(classes) };
}

/** Gaussian blobs around random centres. */
export function blobs(classes: number, features: number, points: number, noise: number, seed: number): RawData {
  const rng = new Rng(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: features }, () => rng.uniform() * 10 - 5));
  const x = new Float32Array(points * features);
  const y = new Int32Array(points);
  let row = 0;
  for (let c = 0; c < classes; c++) {
    const n = countOf(c, points, classes);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < features; f++) x[row * features + f] = centres[c]![f]! + rng.normal() * noise;
      y[row] = c;
      row++;
    }
  }
  return { x, y, n: points, features, imageShape: null, classNames: classNames(classes) };
}

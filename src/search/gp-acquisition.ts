// Log expected improvement (Ament et al. 2023, "Unexpected improvements to expected
// improvement"), for minimisation, and its maximisation over the GP space: quasi-random
// (Halton) candidates and points near the best trials, then a seeded local search from the
// best few.
import { gauss, normalCdf } from './parzen.js';
import type { RandomStream } from './rng.js';
import { canonical, haltonPoints, type GpCoordinate } from './gp-space.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * 1 − x·R(x), with R(x) = Φ(−x)/φ(x) the Mills ratio, for x ≥ 1, by Laplace's continued
 * fraction R(x) = 1/(x + 1/(x + 2/(x + 3/(x + …)))): with t the tail after the first "1/",
 * 1 − x/(x + t) = t/(x + t), with no cancellation however small it gets.
 */
function oneMinusXMills(x: number): number {
  let tail = x;
  for (let k = 60; k >= 2; k--) tail = x + k / tail;
  const t = 1 / tail;
  return t / (x + t);
}

/** log h(z) with h(z) = φ(z) + z·Φ(z): EI of a standard normal, accurate for very negative z. */
export function logH(z: number): number {
  if (z > -1) {
    const phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    return Math.log(phi + z * normalCdf(z));
  }
  // h(z) = φ(z)·(1 − |z|·R(|z|)) for z < 0.
  return -0.5 * z * z - LOG_SQRT_2PI + Math.log(oneMinusXMills(-z));
}

/** log EI of a normal prediction below the incumbent `best` (minimisation). */
export function logExpectedImprovement(mean: number, variance: number, best: number): number {
  const sd = Math.sqrt(variance);
  return Math.log(sd) + logH((best - mean) / sd);
}

export interface AcquisitionSearch {
  coordinates: readonly GpCoordinate[];
  /** The acquisition at a canonical point (higher is better). */
  score(x: Float64Array): number;
  /** The best trials' points, best first: local candidates start near them. */
  incumbents: readonly Float64Array[];
  rng: RandomStream;
}

const QUASI_RANDOM = 256;
const PER_INCUMBENT = 16;
const REFINED = 4;
const REFINE_STEPS = 24;

function canonicalPoint(coordinates: readonly GpCoordinate[], free: Float64Array): Float64Array {
  return free.map((u, j) => canonical(coordinates[j] as GpCoordinate, u));
}

/** A numeric coordinate's free value near u, or a categorical one's index (category centre). */
function freeOf(c: GpCoordinate, x: number): number {
  return c.categories > 0 ? (x + 0.5) / c.categories : x;
}

/** One move of the local search: each numeric coordinate jiggled by `step`, a categorical one changed now and then. */
function neighbour(coordinates: readonly GpCoordinate[], x: Float64Array, step: number, rng: RandomStream): Float64Array {
  const free = new Float64Array(x.length);
  const switchChance = 1 / Math.max(2, x.length);
  coordinates.forEach((c, j) => {
    const u = x[j] as number;
    if (c.categories > 0) free[j] = rng.uniform() < switchChance ? rng.uniform() : freeOf(c, u);
    else free[j] = Math.min(1, Math.max(0, u + step * gauss(rng)));
  });
  return canonicalPoint(coordinates, free);
}

/** The point of highest acquisition found. */
export function maximiseAcquisition(search: AcquisitionSearch): Float64Array {
  const { coordinates, rng } = search;
  const dims = coordinates.length;
  const shift = Array.from({ length: dims }, () => rng.uniform());
  const starts = haltonPoints(QUASI_RANDOM, shift).map((free) => canonicalPoint(coordinates, free));
  for (const incumbent of search.incumbents) {
    for (let i = 0; i < PER_INCUMBENT; i++) starts.push(neighbour(coordinates, incumbent, i < PER_INCUMBENT / 2 ? 0.02 : 0.1, rng));
  }
  const scored = starts.map((x) => ({ x, score: search.score(x) }));
  scored.sort((a, b) => b.score - a.score);
  let best = scored[0] as { x: Float64Array; score: number };
  for (const start of scored.slice(0, REFINED)) {
    let here = start;
    for (let s = 0; s < REFINE_STEPS; s++) {
      const step = 0.1 * 0.85 ** s;
      const x = neighbour(coordinates, here.x, step, rng);
      const score = search.score(x);
      if (score > here.score) here = { x, score };
    }
    if (here.score > best.score) best = here;
  }
  return best.x;
}

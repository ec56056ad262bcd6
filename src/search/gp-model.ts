// A Gaussian process on the GP space (gp-space.ts): zero mean on standardised values, a
// Matérn-5/2 kernel with one length scale per parameter, a signal variance and a noise
// variance (fitted in gp-fit.ts), and its posterior. The Cholesky factorisations are
// ml-matrix's; the triangular solves on them are plain loops over typed arrays (ml-matrix's
// generic solve was most of a suggestion's time).
import { CholeskyDecomposition, Matrix } from 'ml-matrix';

export const SQRT5 = Math.sqrt(5);
const JITTER = 1e-8;

export interface GpHyper {
  /** One per coordinate, in the unit-cube coordinates. */
  lengthScales: Float64Array;
  signal: number;
  noise: number;
}

/** Squared distances of every pair of points along each coordinate: [(i·n + k)·dims + p]. */
export interface PairDistances {
  n: number;
  dims: number;
  d: Float64Array;
}

/**
 * Which coordinates are categorical (1) rather than numeric (0): the squared distance along a
 * numeric one is (a − b)², along a categorical one 0 or 1 (half that of the one-hot vectors).
 */
export type Kinds = Uint8Array;

function coordinateDistance(categorical: number, a: number, b: number): number {
  return categorical === 1 ? (a === b ? 0 : 1) : (a - b) * (a - b);
}

export function pairDistances(points: readonly Float64Array[], kinds: Kinds): PairDistances {
  const n = points.length;
  const dims = kinds.length;
  const d = new Float64Array(n * n * dims);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      for (let p = 0; p < dims; p++) {
        const v = coordinateDistance(kinds[p]!, points[i]![p]!, points[k]![p]!);
        d[(i * n + k) * dims + p] = v;
        d[(k * n + i) * dims + p] = v;
      }
    }
  }
  return { n, dims, d };
}

/** Matérn-5/2 of a scaled distance r, without the signal variance. */
export function matern(r: number): number {
  return (1 + SQRT5 * r + (5 / 3) * r * r) * Math.exp(-SQRT5 * r);
}

/** The scaled distances r of every pair (lower triangle, row-major). */
export function scaledDistances(pairs: PairDistances, inv2: Float64Array): Float64Array {
  const { n, dims, d } = pairs;
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const base = (i * n + k) * dims;
      let s = 0;
      for (let p = 0; p < dims; p++) s += d[base + p]! * inv2[p]!;
      r[i * n + k] = Math.sqrt(s);
    }
  }
  return r;
}

/** Cholesky of a covariance matrix (its rows get the jitter), with more jitter until it is positive definite. */
function factor(k: Float64Array[]): CholeskyDecomposition {
  let added = 0;
  for (let jitter = JITTER; ; jitter *= 100) {
    k.forEach((row, i) => (row[i] = row[i]! + jitter - added));
    added = jitter;
    const c = new CholeskyDecomposition(new Matrix(k));
    if (c.isPositiveDefinite() || jitter > 1) return c;
  }
}

/** The covariance of the training points (noise on the diagonal) from their scaled distances. */
export function covariance(r: Float64Array, n: number, h: GpHyper): Float64Array[] {
  const rows = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    rows[i]![i] = h.signal + h.noise;
    for (let k = 0; k < i; k++) {
      const v = h.signal * matern(r[i * n + k]!);
      rows[i]![k] = v;
      rows[k]![i] = v;
    }
  }
  return rows;
}

/** The lower Cholesky factor of a covariance matrix, row-major. */
export function lowerFactor(k: Float64Array[]): Float64Array {
  const n = k.length;
  const lower = factor(k).lowerTriangularMatrix;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) out[i * n + j] = lower.get(i, j);
  return out;
}

/** The posterior of a GP with fixed hyperparameters given training points and values. */
export class GpPosterior {
  readonly #points: readonly Float64Array[];
  readonly #hyper: GpHyper;
  readonly #inv2: Float64Array;
  readonly #kinds: Kinds;
  /** The Cholesky factor, row-major, for the forward solves of the variance. */
  readonly #lower: Float64Array;
  readonly #alpha: Float64Array;

  constructor(points: readonly Float64Array[], y: Float64Array, hyper: GpHyper, kinds: Kinds) {
    const n = points.length;
    this.#points = points;
    this.#hyper = hyper;
    this.#kinds = kinds;
    this.#inv2 = hyper.lengthScales.map((l) => 1 / (l * l));
    this.#lower = lowerFactor(covariance(scaledDistances(pairDistances(points, kinds), this.#inv2), n, hyper));
    // α = K⁻¹ y by a forward and a back substitution.
    const z = Float64Array.from(y);
    for (let i = 0; i < n; i++) {
      let s = z[i]!;
      for (let k = 0; k < i; k++) s -= this.#lower[i * n + k]! * z[k]!;
      z[i] = s / this.#lower[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = z[i]!;
      for (let k = i + 1; k < n; k++) s -= this.#lower[k * n + i]! * z[k]!;
      z[i] = s / this.#lower[i * n + i]!;
    }
    this.#alpha = z;
  }

  /** The posterior mean and variance (of the latent function, without noise) at x. */
  predict(x: Float64Array): { mean: number; variance: number } {
    const n = this.#points.length;
    const { signal } = this.#hyper;
    const kx = new Float64Array(n);
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const pi = this.#points[i] as Float64Array;
      let s = 0;
      for (let p = 0; p < x.length; p++) s += coordinateDistance(this.#kinds[p]!, x[p]!, pi[p]!) * this.#inv2[p]!;
      kx[i] = signal * matern(Math.sqrt(s));
      mean += (kx[i] as number) * (this.#alpha[i] as number);
    }
    // v = L⁻¹ k(x), in place.
    let explained = 0;
    for (let i = 0; i < n; i++) {
      let s = kx[i] as number;
      const row = i * n;
      for (let k = 0; k < i; k++) s -= (this.#lower[row + k] as number) * (kx[k] as number);
      const v = s / (this.#lower[row + i] as number);
      kx[i] = v;
      explained += v * v;
    }
    return { mean, variance: Math.max(1e-12, signal - explained) };
  }
}

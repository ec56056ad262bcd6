// Parzen estimators of TPE (Bergstra et al. 2011), one dimension at a time, in a parameter's
// sampling scale: truncated Gaussian kernels for numeric ranges (mass per lattice cell for
// integers and q steps on a linear scale), smoothed point masses for categoricals, and a
// prior kernel (the whole range, or the spec's probabilities) beside the observations.
import type { RandomStream } from './rng.js';

/** One kernel: draws in the dimension's coordinates (a scaled value, or a category index). */
export interface Kernel {
  sample(rng: RandomStream): number;
  logPdf(x: number): number;
}

const LOG_TINY = -700;

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/** A standard normal draw (Box–Muller). */
export function gauss(rng: RandomStream): number {
  const u = 1 - rng.uniform();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.uniform());
}

/** A numeric dimension: bounds in the sampling scale and, on a linear lattice, its cell width. */
export interface NumericDim {
  low: number;
  high: number;
  /** Lattice step for integers / q on a linear scale (mass per cell); null: a density. */
  step: number | null;
}

/** A normal kernel truncated to [low, high]. */
export class TruncatedNormal implements Kernel {
  readonly #logZ: number;
  constructor(
    readonly mu: number,
    readonly sigma: number,
    private readonly dim: NumericDim,
  ) {
    const z = normalCdf((dim.high - mu) / sigma) - normalCdf((dim.low - mu) / sigma);
    this.#logZ = Math.log(Math.max(z, 1e-300));
  }

  sample(rng: RandomStream): number {
    for (let i = 0; i < 100; i++) {
      const x = this.mu + this.sigma * gauss(rng);
      if (x >= this.dim.low && x <= this.dim.high) return x;
    }
    return Math.min(this.dim.high, Math.max(this.dim.low, this.mu));
  }

  logPdf(x: number): number {
    const { step } = this.dim;
    if (step !== null) {
      const lo = Math.max(this.dim.low, x - step / 2);
      const hi = Math.min(this.dim.high, x + step / 2);
      const mass = normalCdf((hi - this.mu) / this.sigma) - normalCdf((lo - this.mu) / this.sigma);
      return Math.max(LOG_TINY, Math.log(Math.max(mass, 0)) - this.#logZ);
    }
    const z = (x - this.mu) / this.sigma;
    return -0.5 * z * z - Math.log(this.sigma * Math.sqrt(2 * Math.PI)) - this.#logZ;
  }
}

/** A categorical kernel: weights over the category indices (normalised here). */
export class Categorical implements Kernel {
  readonly #p: number[];
  constructor(weights: readonly number[]) {
    const total = weights.reduce((a, b) => a + b, 0);
    this.#p = weights.map((w) => w / total);
  }

  /**
   * The kernel of one of `n` observations: its category, smoothed by the prior's weight
   * divided among the n observations and the prior (Optuna's prior_weight / (n + 1) per
   * category when the prior is uniform): the more trials, the sharper each kernel, so a
   * category the trials seldom tried keeps a low g(x) and its l(x)/g(x) stays high enough to
   * be tried again.
   */
  static around(index: number, prior: readonly number[], n: number): Categorical {
    const spread = prior.length / (n + 1);
    return new Categorical(prior.map((p, i) => p * spread + (i === index ? 1 : 0)));
  }

  sample(rng: RandomStream): number {
    const u = rng.uniform();
    let cumulative = 0;
    for (const [i, p] of this.#p.entries()) {
      cumulative += p;
      if (u < cumulative) return i;
    }
    return this.#p.length - 1;
  }

  logPdf(x: number): number {
    return Math.max(LOG_TINY, Math.log(this.#p[x] ?? 0));
  }
}

/**
 * Bandwidths of univariate TPE: each point's distance to its farther neighbour, clipped to
 * [range / min(100, n + 1), range] (Bergstra's rule, as Optuna's "magic clip"). The outermost
 * points have one neighbour, and their width is the distance to it: the bounds do not count
 * (Optuna's default, consider_endpoints=False), so a point near a bound does not spread the
 * kernel into the unsampled ground between the others and the far side. A lone point's
 * neighbours are the bounds.
 */
export function neighbourBandwidths(mus: readonly number[], dim: NumericDim): number[] {
  const range = dim.high - dim.low;
  const sorted = mus.map((m, i) => [m, i] as const).sort((a, b) => a[0] - b[0]);
  const at = (k: number): number => (sorted[k] as readonly [number, number])[0];
  const out = new Array<number>(mus.length).fill(range);
  const floor = range / Math.min(100, mus.length + 1);
  const last = sorted.length - 1;
  sorted.forEach(([m, i], k) => {
    const left = k === 0 ? (last === 0 ? m - dim.low : 0) : m - at(k - 1);
    const right = k === last ? (last === 0 ? dim.high - m : 0) : at(k + 1) - m;
    out[i] = Math.min(range, Math.max(floor, left, right));
  });
  return out;
}

/** Bandwidth of multivariate TPE (Scott's rule as Optuna uses it): 0.2 · n^(−1/(d+4)) · range. */
export function scottBandwidth(n: number, dims: number, dim: NumericDim): number {
  return Math.max(0.2 * n ** (-1 / (dims + 4)), 1 / Math.min(100, n + 1)) * (dim.high - dim.low);
}

/** log Σ exp(x). */
export function logSumExp(xs: readonly number[]): number {
  const m = Math.max(...xs);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
}

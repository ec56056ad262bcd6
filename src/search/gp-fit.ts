// The GP's hyperparameters, fitted by maximising the marginal likelihood with weak log-normal
// priors (so a few points cannot drive a length scale to an extreme): Adam on the log
// parameters from a few fixed starts.
import { covariance, lowerFactor, scaledDistances, SQRT5, type GpHyper, type PairDistances } from './gp-model.js';

/** The box and priors of the log parameters: [log ℓ_1 … log ℓ_P, log signal, log noise]. */
const LOG_LENGTH: [number, number] = [Math.log(0.01), Math.log(20)];
const LOG_SIGNAL: [number, number] = [Math.log(0.05), Math.log(20)];
const LOG_NOISE: [number, number] = [Math.log(1e-6), Math.log(0.5)];

function priorOf(dims: number): { mean: number[]; sd: number[] } {
  // Length scales near 0.5·√P (longer in more dimensions, where points lie further apart),
  // signal near 1 (values are standardised), little noise.
  const l = Math.log(0.5 * Math.sqrt(dims));
  return { mean: [...new Array<number>(dims).fill(l), 0, Math.log(1e-3)], sd: [...new Array<number>(dims).fill(1.5), 1, 3] };
}

function bounds(dims: number, i: number): [number, number] {
  return i < dims ? LOG_LENGTH : i === dims ? LOG_SIGNAL : LOG_NOISE;
}

function hyperOf(theta: readonly number[]): GpHyper {
  const dims = theta.length - 2;
  return { lengthScales: Float64Array.from(theta.slice(0, dims), Math.exp), signal: Math.exp(theta[dims] as number), noise: Math.exp(theta[dims + 1] as number) };
}

/** L⁻¹ of a lower-triangular L (row-major), by forward substitution, column by column. */
function inverseLower(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    inv[c * n + c] = 1 / l[c * n + c]!;
    for (let i = c + 1; i < n; i++) {
      let s = 0;
      for (let k = c; k < i; k++) s -= l[i * n + k]! * inv[k * n + c]!;
      inv[i * n + c] = s / l[i * n + i]!;
    }
  }
  return inv;
}

/** K⁻¹ = L⁻ᵀ L⁻¹ (symmetric, row-major) from L⁻¹. */
function inverseOf(linv: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let m = i; m < n; m++) s += linv[m * n + i]! * linv[m * n + k]!;
      out[i * n + k] = s;
      out[k * n + i] = s;
    }
  }
  return out;
}

/** The log posterior of θ (marginal likelihood plus priors) and its gradient. */
export function logPosterior(pairs: PairDistances, y: Float64Array, theta: readonly number[]): { value: number; grad: number[] } {
  const n = y.length;
  const dims = theta.length - 2;
  const h = hyperOf(theta);
  const inv2 = h.lengthScales.map((l) => 1 / (l * l));
  const r = scaledDistances(pairs, inv2);
  const lower = lowerFactor(covariance(r, n, h));
  const inverse = inverseOf(inverseLower(lower, n), n);
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += inverse[i * n + k]! * y[k]!;
    alpha[i] = s;
  }
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += 2 * Math.log(lower[i * n + i]!);
  let fit = 0;
  for (let i = 0; i < n; i++) fit += y[i]! * alpha[i]!;
  // ∂/∂θ = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ); off-diagonal pairs counted twice (K is symmetric).
  // ∂k/∂log ℓ_p = signal · (5/3)(1 + √5 r) e^(−√5 r) · d_p² / ℓ_p² (the 1/r of ∂r cancels).
  const lengthGrad = new Float64Array(dims);
  let signalGrad = 0;
  let noiseGrad = 0;
  const { d } = pairs;
  for (let i = 0; i < n; i++) {
    const wii = alpha[i]! * alpha[i]! - inverse[i * n + i]!;
    signalGrad += 0.5 * wii * h.signal;
    noiseGrad += 0.5 * wii * h.noise;
    for (let k = 0; k < i; k++) {
      const w = alpha[i]! * alpha[k]! - inverse[i * n + k]!;
      const rik = r[i * n + k]!;
      const e = Math.exp(-SQRT5 * rik);
      signalGrad += w * h.signal * (1 + SQRT5 * rik + (5 / 3) * rik * rik) * e;
      const g = w * h.signal * (5 / 3) * (1 + SQRT5 * rik) * e;
      const base = (i * n + k) * dims;
      for (let p = 0; p < dims; p++) lengthGrad[p] = lengthGrad[p]! + g * d[base + p]! * inv2[p]!;
    }
  }
  const grad = [...lengthGrad, signalGrad, noiseGrad];
  const prior = priorOf(dims);
  let value = -0.5 * fit - 0.5 * logDet;
  theta.forEach((t, i) => {
    const z = (t - (prior.mean[i] as number)) / (prior.sd[i] as number);
    value -= 0.5 * z * z;
    grad[i] = (grad[i] as number) - z / (prior.sd[i] as number);
  });
  return { value, grad };
}

const ADAM_STEPS = 40;
const ADAM_RATE = 0.12;
/** Steps each start gets before the best one alone goes on. */
const SCREEN_STEPS = 6;

/** Adam ascent on θ, kept inside the box, remembering the best θ seen. */
class Ascent {
  readonly theta: number[];
  readonly #m: number[];
  readonly #v: number[];
  #t = 0;
  best: { theta: number[]; value: number } = { theta: [], value: -Infinity };

  constructor(start: readonly number[]) {
    this.theta = [...start];
    this.#m = new Array<number>(start.length).fill(0);
    this.#v = new Array<number>(start.length).fill(0);
  }

  step(pairs: PairDistances, y: Float64Array): void {
    const dims = this.theta.length - 2;
    const { value, grad } = logPosterior(pairs, y, this.theta);
    if (value > this.best.value) this.best = { theta: [...this.theta], value };
    const t = ++this.#t;
    for (let i = 0; i < this.theta.length; i++) {
      const g = grad[i]!;
      this.#m[i] = 0.9 * this.#m[i]! + 0.1 * g;
      this.#v[i] = 0.999 * this.#v[i]! + 0.001 * g * g;
      const mHat = this.#m[i]! / (1 - 0.9 ** t);
      const vHat = this.#v[i]! / (1 - 0.999 ** t);
      const [lo, hi] = bounds(dims, i);
      this.theta[i] = Math.min(hi, Math.max(lo, this.theta[i]! + (ADAM_RATE * mHat) / (Math.sqrt(vHat) + 1e-8)));
    }
  }
}

/**
 * The hyperparameters of the best of a few ascents from fixed starts (the fit is deterministic):
 * each start takes SCREEN_STEPS, then the most promising goes on to ADAM_STEPS.
 */
export function fitHyper(pairs: PairDistances, y: Float64Array, dims: number): GpHyper {
  const prior = priorOf(dims);
  const start = (length: number, noise: number): number[] => [...new Array<number>(dims).fill(Math.log(length)), 0, Math.log(noise)];
  const ascents = [prior.mean, start(0.15, 1e-2), start(2, 1e-4)].map((s) => new Ascent(s));
  for (let i = 0; i < SCREEN_STEPS; i++) for (const a of ascents) a.step(pairs, y);
  const lead = ascents.reduce((a, b) => (b.best.value > a.best.value ? b : a));
  for (let i = SCREEN_STEPS; i < ADAM_STEPS; i++) lead.step(pairs, y);
  return hyperOf(lead.best.theta);
}


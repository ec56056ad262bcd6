/**
 * The gradient check: compares the trainer's backprop gradient with centred finite
 * differences of the loss, per weight tensor, on a small batch with dropout off.
 *
 * float32 arithmetic (the only precision TensorFlow.js offers) makes coordinate-wise
 * differences of a loss near 1 noisy (≈1e-7 / 2ε per coordinate), so each tensor is probed
 * along `directions` random unit directions v: the analytic directional derivative g·v is
 * compared with (L(w + εv) − L(w − εv)) / 2ε. With G and G̃ the vectors of those derivatives,
 * a tensor's relative error is ‖G − G̃‖ / (‖G‖ + ‖G̃‖) — the usual measure, within a random
 * subspace. Measured here, a correct gradient scores 1e-5 … 5e-3 in float32 (the upper end
 * for the first convolution of a CNN, whose ReLU and max-pool kinks the steps cross); a wrong
 * one (a missing factor, a transposed product, a dropped term) scores 1e-1 or more. Hence the
 * threshold of 1e-2.
 */
import { errorMessage } from '../core/errors.js';
import type { Spec } from '../core/spec.js';
import { headOf, Probe } from '../train/probe.js';
import { fixedTask } from './fixed-task.js';

export const GRADCHECK_SETTINGS = {
  /** Examples in the batch. */
  batch: 8,
  /** Random directions per tensor. */
  directions: 4,
  /**
   * Steps ε along a unit direction. Each tensor keeps its error at the better of the two: a
   * larger step crosses more ReLU and max-pool kinks, a smaller one suffers more float32
   * round-off, and which one wins depends on the tensor.
   */
  epsilons: [1e-3, 3e-3],
  /** A tensor passes below this relative error (suited to float32; see the file comment). */
  threshold: 1e-2,
  /** Below this size, both derivatives count as zero (a tensor with no gradient, e.g. behind zeros). */
  zero: 1e-7,
} as const;

export interface GradcheckTensor {
  name: string;
  size: number;
  relativeError: number;
  passed: boolean;
}

export interface GradcheckReport {
  passed: boolean;
  threshold: number;
  backend: string;
  batch: number;
  tensors: GradcheckTensor[];
}

export interface GradcheckOptions {
  /** Seed of the directions. */
  seed?: number;
  /** Alters the analytic gradients before comparing (to show the check catches a wrong one). */
  corrupt?: (grads: Float32Array[]) => void;
}

/** A seeded unit vector (xorshift + Box–Muller: reproducible, no state shared with training). */
function unitDirection(size: number, seed: number): Float32Array {
  let s = (seed >>> 0) || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const v = new Float32Array(size);
  let norm = 0;
  for (let i = 0; i < size; i++) {
    v[i] = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
    norm += v[i]! * v[i]!;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < size; i++) v[i] = v[i]! / norm;
  return v;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Runs the gradient check on the spec's fixed settings (throws if the trial can't be built). */
export async function gradcheck(spec: Spec, options: GradcheckOptions = {}): Promise<GradcheckReport> {
  const s = GRADCHECK_SETTINGS;
  let probe: Probe;
  try {
    probe = await Probe.open(fixedTask(spec));
  } catch (error) {
    throw new Error(`cannot build the trial to check: ${errorMessage(error)}`, { cause: error });
  }
  const weights = probe.initialWeights();
  const batch = headOf(probe.data.train, probe.data.features, s.batch);
  const penalties = { l1: probe.settings.l1, l2: probe.settings.l2 };
  const grads = probe.gradients(weights, batch, penalties);
  options.corrupt?.(grads);
  const seed = options.seed ?? spec.seed;
  const error = (t: number, epsilon: number): number => {
    const entry = probe.net.layout.entries[t]!;
    let diff = 0;
    let normA = 0;
    let normN = 0;
    for (let k = 0; k < s.directions; k++) {
      const v = unitDirection(entry.size, seed * 7919 + t * 104729 + k + 1);
      const analytic = dot(grads[t]!, v);
      const shifted = (sign: number): number => {
        const w = [...weights];
        w[t] = Float32Array.from(weights[t]!, (x, i) => x + sign * epsilon * v[i]!);
        return probe.loss(w, batch, penalties);
      };
      const numeric = (shifted(1) - shifted(-1)) / (2 * epsilon);
      diff += (analytic - numeric) ** 2;
      normA += analytic ** 2;
      normN += numeric ** 2;
    }
    const denominator = Math.sqrt(normA) + Math.sqrt(normN);
    return denominator < s.zero ? 0 : Math.sqrt(diff) / denominator;
  };
  const tensors = probe.net.layout.entries.map((entry, t): GradcheckTensor => {
    const relativeError = Math.min(...s.epsilons.map((e) => error(t, e)));
    return { name: entry.name, size: entry.size, relativeError, passed: relativeError < s.threshold };
  });
  return { passed: tensors.every((t) => t.passed), threshold: s.threshold, backend: probe.backend.name, batch: batch.rows, tensors };
}

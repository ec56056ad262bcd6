/**
 * The gradient check: the trainer's hand-written backward pass, per weight tensor, on a
 * small batch with dropout off, against two references:
 *
 * - tape autodiff (tf.grads over the same forward pass): exact up to float32 round-off, so
 *   the two must agree to `tapeThreshold` (max |difference| / max |tape gradient|);
 * - centred finite differences, which need nothing of TensorFlow.js' gradients. float32
 *   makes coordinate-wise differences noisy, so each tensor is probed along random unit
 *   directions v: the analytic g·v against (L(w + εv) − L(w − εv)) / 2ε, with a step ε
 *   chosen per tensor (relative to its norm); the relative error is ‖G − G̃‖ / (‖G‖ + ‖G̃‖)
 *   over its directions.
 *
 * A step that crosses a ReLU or max-pool kink would measure a mixture of two slopes, so the
 * differences are taken on the smooth piece of the loss through w (kinks frozen as they are
 * at w: Probe.smoothPiece), and the kinks the real loss crosses are counted and reported.
 * Zero-initialised tensors (biases, β) start from small random values, since a ReLU over a
 * blank image patch with a zero bias sits exactly on its kink.
 */
import { errorMessage } from '../core/errors.js';
import type { Spec } from '../core/spec.js';
import { headOf, Probe } from '../train/probe.js';
import { deriveSeed, Rng } from '../core/random.js';
import { fixedTask } from './fixed-task.js';

export const GRADCHECK_SETTINGS = {
  /** Examples in the batch. */
  batch: 32,
  /** Random directions per tensor. */
  directions: 4,
  /** Step along a unit direction: this fraction of the tensor's norm (at least of 1). */
  relativeStep: 1e-2,
  /** Standard deviation of the values given to zero-initialised tensors. */
  offKink: 0.1,
  /**
   * A tensor passes the numerical comparison below this relative error: float32 round-off
   * leaves a right gradient near 1e-4 … 1e-3; a wrong one (a factor, a sign, a dropped term)
   * scores 1e-1 or more.
   */
  threshold: 1e-2,
  /** …and the tape comparison below this. */
  tapeThreshold: 1e-4,
  /** Below this size, both derivatives count as zero (a tensor with no gradient, e.g. behind zeros). */
  zero: 1e-7,
} as const;

export interface GradcheckTensor {
  name: string;
  size: number;
  /** Step ε along a unit direction. */
  step: number;
  /** Kinks the real loss crossed over all the steps (the smooth piece does not). */
  kinks: number;
  relativeError: number;
  /** Max |hand-written − tape| / max |tape| over the tensor. */
  tapeError: number;
  /** Both comparisons below their thresholds. */
  passed: boolean;
}

export interface GradcheckReport {
  passed: boolean;
  threshold: number;
  tapeThreshold: number;
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

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(a: Float32Array): number {
  return Math.sqrt(dot(a, a));
}

function unitDirection(size: number, rng: Rng): Float32Array {
  const v = Float32Array.from({ length: size }, () => rng.normal());
  const n = norm(v);
  return v.map((x) => x / n);
}

/** Max |a − b| / max |b| (0 when both are zero). */
function maxRelativeDifference(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return scale === 0 ? (diff === 0 ? 0 : Infinity) : diff / scale;
}

/** The initial weights, with zero-initialised tensors moved off zero (see the file comment). */
function checkPoint(probe: Probe, rng: Rng): Float32Array[] {
  return probe.initialWeights().map((w, i) => {
    const role = probe.net.layout.entries[i]!.role;
    return (role === 'bias' || role === 'beta') && w.every((x) => x === 0) ? w.map(() => rng.normal() * GRADCHECK_SETTINGS.offKink) : w;
  });
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
  const rng = new Rng(deriveSeed(options.seed ?? spec.seed, 'gradcheck'));
  const weights = checkPoint(probe, rng);
  const batch = headOf(probe.data.train, probe.data.features, s.batch);
  const penalties = { l1: probe.settings.l1, l2: probe.settings.l2 };
  const grads = probe.gradients(weights, batch, penalties);
  options.corrupt?.(grads);
  const tape = probe.tapeGradients(weights, batch, penalties);
  const piece = probe.smoothPiece(weights, batch, penalties);
  try {
    const tensors = probe.net.layout.entries.map((entry, t): GradcheckTensor => {
      const step = s.relativeStep * Math.max(1, norm(weights[t]!));
      let diff = 0;
      let normA = 0;
      let normN = 0;
      let kinks = 0;
      for (let k = 0; k < s.directions; k++) {
        const v = unitDirection(entry.size, rng);
        const shifted = (sign: number): Float32Array[] => weights.map((w, i) => (i === t ? w.map((x, j) => x + sign * step * v[j]!) : w));
        const [plus, minus] = [shifted(1), shifted(-1)];
        const numeric = (piece.loss(plus) - piece.loss(minus)) / (2 * step);
        kinks += piece.crossings(plus) + piece.crossings(minus);
        const analytic = dot(grads[t]!, v);
        diff += (analytic - numeric) ** 2;
        normA += analytic ** 2;
        normN += numeric ** 2;
      }
      const denominator = Math.sqrt(normA) + Math.sqrt(normN);
      const relativeError = denominator < s.zero ? 0 : Math.sqrt(diff) / denominator;
      const tapeError = maxRelativeDifference(grads[t]!, tape[t]!);
      const passed = relativeError < s.threshold && tapeError < s.tapeThreshold;
      return { name: entry.name, size: entry.size, step, kinks, relativeError, tapeError, passed };
    });
    return { passed: tensors.every((t) => t.passed), threshold: s.threshold, tapeThreshold: s.tapeThreshold, backend: probe.backend.name, batch: batch.rows, tensors };
  } finally {
    piece.dispose();
  }
}

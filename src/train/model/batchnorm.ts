/**
 * Batch normalisation after a linear part, before the activation. Training normalises with
 * the batch's statistics and updates moving averages; evaluation uses the moving averages.
 * The backward pass is written out (see bnBackward) so the trainer needs no autodiff tape.
 */
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';

/** Added to the variance before the square root. */
export const BN_EPSILON = 1e-5;
/** Moving statistics: moving ← BN_MOMENTUM·moving + (1 − BN_MOMENTUM)·batch. */
export const BN_MOMENTUM = 0.9;

/** What the backward pass needs from a training forward pass. */
export interface BnCache {
  zhat: Tensor;
  rstd: Tensor;
  gamma: Tensor;
  /** Values averaged per channel (batch × spatial positions). */
  count: number;
}

/** Batch statistics of one forward pass (for the moving averages). */
export interface BnBatchStats {
  mean: Tensor;
  variance: Tensor;
  count: number;
}

/** Axes reduced for per-channel statistics: all but the last. */
function statAxes(z: Tensor): number[] {
  return Array.from({ length: z.rank - 1 }, (_, i) => i);
}

/** Training forward: γ·(z − μ)/√(σ² + ε) + β with the batch's μ and σ². */
export function bnTrain(z: Tensor, gamma: Tensor, beta: Tensor): { out: Tensor; cache: BnCache; stats: BnBatchStats } {
  const axes = statAxes(z);
  const count = z.size / (z.shape[z.rank - 1] ?? 1);
  const mean = tf.mean(z, axes);
  const centred = tf.sub(z, mean);
  const variance = tf.mean(tf.square(centred), axes);
  const rstd = tf.rsqrt(tf.add(variance, BN_EPSILON));
  const zhat = tf.mul(centred, rstd);
  const out = tf.add(tf.mul(zhat, gamma), beta);
  return { out, cache: { zhat, rstd, gamma, count }, stats: { mean, variance, count } };
}

/** Evaluation forward with the moving statistics (one fused kernel). */
export function bnEval(z: Tensor, gamma: Tensor, beta: Tensor, movingMean: Tensor, movingVar: Tensor): Tensor {
  return tf.batchNorm(z, movingMean, movingVar, beta, gamma, BN_EPSILON);
}

/**
 * Gradients of the training forward: with N values per channel,
 * dβ = Σ dout, dγ = Σ dout·ẑ, dz = γ·rstd·(dout − (dβ + ẑ·dγ)/N).
 */
export function bnBackward(dout: Tensor, cache: BnCache): { dz: Tensor; dgamma: Tensor; dbeta: Tensor } {
  const axes = statAxes(dout);
  const dbeta = tf.sum(dout, axes);
  const dgamma = tf.sum(tf.mul(dout, cache.zhat), axes);
  const correction = tf.mul(tf.add(tf.mul(cache.zhat, dgamma), dbeta), 1 / cache.count);
  const dz = tf.mul(tf.sub(dout, correction), tf.mul(cache.gamma, cache.rstd));
  return { dz, dgamma, dbeta };
}

/**
 * New moving statistics after a training step (variance made unbiased with N/(N − 1)).
 * A batch of one value per channel says nothing about the variance (its own is 0), so it
 * leaves the moving variance as it was. Returns [mean, variance].
 */
export function bnUpdateMoving(movingMean: Tensor, movingVar: Tensor, stats: BnBatchStats): [Tensor, Tensor] {
  const keep = BN_MOMENTUM;
  const mean = tf.add(tf.mul(movingMean, keep), tf.mul(stats.mean, 1 - keep));
  if (stats.count < 2) return [mean, tf.clone(movingVar)];
  const unbias = stats.count / (stats.count - 1);
  const variance = tf.add(tf.mul(movingVar, keep), tf.mul(stats.variance, (1 - keep) * unbias));
  return [mean, variance];
}

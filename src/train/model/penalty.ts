/**
 * The L1/L2 penalty on the kernels (biases and batch-norm parameters are not penalised):
 * its value λ₂Σw² + λ₁Σ|w| and its gradient 2λ₂w + λ₁·sign(w). The training step and the
 * probe both add the gradient through addPenaltyGradients, so they cannot disagree.
 */
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';
import type { ParamLayout } from './layout.js';

export interface Penalties {
  l1: number;
  l2: number;
}

/** Layout indices of the tensors the penalty applies to (the kernels). */
export function penalisedTensors(layout: ParamLayout): number[] {
  return layout.entries.flatMap((e, i) => (e.role === 'kernel' ? [i] : []));
}

/** λ₂Σw² + λ₁Σ|w| over the tensors `indices` of `p`, as a scalar tensor. */
export function penaltyValue(p: readonly Tensor[], indices: readonly number[], { l1, l2 }: Penalties): Tensor {
  let total: Tensor = tf.scalar(0);
  for (const i of indices) {
    if (l2 > 0) total = tf.add(total, tf.mul(tf.sum(tf.square(p[i]!)), l2));
    if (l1 > 0) total = tf.add(total, tf.mul(tf.sum(tf.abs(p[i]!)), l1));
  }
  return total;
}

/** Adds the penalty's gradient (2λ₂w + λ₁·sign(w)) to `grads[i]` for each of `indices`, in place. */
export function addPenaltyGradients(grads: Tensor[], p: readonly Tensor[], indices: readonly number[], { l1, l2 }: Penalties): void {
  if (l1 === 0 && l2 === 0) return;
  for (const i of indices) {
    const w = p[i]!;
    let g = grads[i]!;
    if (l2 > 0) g = tf.add(g, tf.mul(w, 2 * l2));
    if (l1 > 0) g = tf.add(g, tf.mul(tf.sign(w), l1));
    grads[i] = g;
  }
}

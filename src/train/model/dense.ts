/** Dense blocks: forward (training and evaluation) and the hand-written backward pass. */
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';
import { activate, activationGrad, fusedActivation, LEAKY_ALPHA } from './activation.js';
import { bnBackward, bnEval, bnTrain } from './batchnorm.js';
import type { BnBatchStats, BnCache } from './batchnorm.js';
import type { DenseBlock } from './network.js';

/** What a dense block's backward pass needs from its training forward pass. */
export interface DenseCache {
  /** The block's input after dropout. */
  xin: Tensor;
  /** The block's output (after the activation). */
  h: Tensor;
  bn: BnCache | null;
  mask: Tensor | null;
}

/** Linear part, bias and activation in one fused kernel where possible. */
function fusedDense(block: DenseBlock, p: Tensor[], x: Tensor): Tensor {
  const b = block.bias === null ? undefined : p[block.bias];
  const fused = block.activation === null ? 'linear' : fusedActivation(block.activation);
  const z = tf.fused.matMul({
    a: x,
    b: p[block.kernel] as tf.Tensor2D,
    bias: b,
    activation: fused ?? 'linear',
    leakyreluAlpha: LEAKY_ALPHA,
  });
  return fused === null && block.activation !== null ? activate(z, block.activation) : z;
}

/** Training forward: dropout on the input (mask already scaled), linear, [batch norm], activation. */
export function denseTrain(
  block: DenseBlock,
  p: Tensor[],
  x: Tensor,
  mask: Tensor | null,
): { out: Tensor; cache: DenseCache; stats: BnBatchStats | null } {
  const xin = mask === null ? x : tf.mul(x, mask);
  if (block.bn === null) {
    const h = fusedDense(block, p, xin);
    return { out: h, cache: { xin, h, bn: null, mask }, stats: null };
  }
  const z = tf.matMul(xin, p[block.kernel]!);
  const { out: normed, cache, stats } = bnTrain(z, p[block.bn.gamma]!, p[block.bn.beta]!);
  const h = block.activation === null ? normed : activate(normed, block.activation);
  return { out: h, cache: { xin, h, bn: cache, mask }, stats };
}

/** Evaluation forward: no dropout, batch norm with the moving statistics. */
export function denseEval(block: DenseBlock, p: Tensor[], x: Tensor, movingMean: Tensor[], movingVar: Tensor[]): Tensor {
  if (block.bn === null) return fusedDense(block, p, x);
  const z = tf.matMul(x, p[block.kernel]!);
  const { gamma, beta, stat } = block.bn;
  const normed = bnEval(z, p[gamma]!, p[beta]!, movingMean[stat]!, movingVar[stat]!);
  return block.activation === null ? normed : activate(normed, block.activation);
}

/**
 * Backward pass: writes the block's parameter gradients into `grads` (by layout index) and
 * returns the gradient of its input (before dropout), or null when `needDx` is false.
 */
export function denseBackward(block: DenseBlock, p: Tensor[], cache: DenseCache, dout: Tensor, needDx: boolean, grads: Tensor[]): Tensor | null {
  let dz = block.activation === null ? dout : activationGrad(dout, cache.h, block.activation);
  if (block.bn !== null && cache.bn !== null) {
    const bn = bnBackward(dz, cache.bn);
    grads[block.bn.gamma] = bn.dgamma;
    grads[block.bn.beta] = bn.dbeta;
    dz = bn.dz;
  }
  grads[block.kernel] = tf.matMul(cache.xin, dz, true, false);
  if (block.bias !== null) grads[block.bias] = tf.sum(dz, 0);
  if (!needDx) return null;
  const dx = tf.matMul(dz, p[block.kernel]!, false, true);
  return cache.mask === null ? dx : tf.mul(dx, cache.mask);
}

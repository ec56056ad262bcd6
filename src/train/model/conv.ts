/**
 * Convolution blocks (conv → [batch norm] → activation → 2×2 max pool): forward and the
 * hand-written backward pass, which calls the backends' gradient kernels directly
 * (Conv2DBackpropFilter, Conv2DBackpropInput, MaxPoolGrad).
 */
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';
import { activate, activationGrad, fusedActivation, LEAKY_ALPHA } from './activation.js';
import { bnBackward, bnEval, bnTrain } from './batchnorm.js';
import type { BnBatchStats, BnCache } from './batchnorm.js';
import type { ConvBlock } from './network.js';

/** The 2×2, stride-2, same-padded max pool after every convolution. */
export const POOL = { filterSize: 2, strides: 2, pad: 'same' } as const;

/** What a conv block's backward pass needs from its training forward pass. */
export interface ConvCache {
  x: Tensor;
  /** After the activation, before the pool. */
  a: Tensor;
  /** After the pool (the block's output). */
  pooled: Tensor;
  bn: BnCache | null;
}

function fusedConv(block: ConvBlock, p: Tensor[], x: Tensor): Tensor {
  const fused = fusedActivation(block.activation);
  const z = tf.fused.conv2d({
    x: x as tf.Tensor4D,
    filter: p[block.kernel] as tf.Tensor4D,
    strides: 1,
    pad: 'same',
    bias: block.bias === null ? undefined : p[block.bias],
    activation: fused ?? 'linear',
    leakyreluAlpha: LEAKY_ALPHA,
  });
  return fused === null ? activate(z, block.activation) : z;
}

function pool(a: Tensor): Tensor {
  return tf.maxPool(a as tf.Tensor4D, POOL.filterSize, POOL.strides, POOL.pad);
}

/** Training forward. */
export function convTrain(block: ConvBlock, p: Tensor[], x: Tensor): { out: Tensor; cache: ConvCache; stats: BnBatchStats | null } {
  if (block.bn === null) {
    const a = fusedConv(block, p, x);
    const pooled = pool(a);
    return { out: pooled, cache: { x, a, pooled, bn: null }, stats: null };
  }
  const z = tf.conv2d(x as tf.Tensor4D, p[block.kernel] as tf.Tensor4D, 1, 'same');
  const { out: normed, cache, stats } = bnTrain(z, p[block.bn.gamma]!, p[block.bn.beta]!);
  const a = activate(normed, block.activation);
  const pooled = pool(a);
  return { out: pooled, cache: { x, a, pooled, bn: cache }, stats };
}

/** Evaluation forward (batch norm with the moving statistics). */
export function convEval(block: ConvBlock, p: Tensor[], x: Tensor, movingMean: Tensor[], movingVar: Tensor[]): Tensor {
  if (block.bn === null) return pool(fusedConv(block, p, x));
  const z = tf.conv2d(x as tf.Tensor4D, p[block.kernel] as tf.Tensor4D, 1, 'same');
  const { gamma, beta, stat } = block.bn;
  return pool(activate(bnEval(z, p[gamma]!, p[beta]!, movingMean[stat]!, movingVar[stat]!), block.activation));
}

/** Backward pass: parameter gradients into `grads`; returns the input gradient if `needDx`. */
export function convBackward(block: ConvBlock, p: Tensor[], cache: ConvCache, dout: Tensor, needDx: boolean, grads: Tensor[]): Tensor | null {
  const engine = tf.engine();
  const da = engine.runKernel<Tensor>('MaxPoolGrad', { dy: dout, input: cache.a, output: cache.pooled }, { ...POOL });
  let dz = activationGrad(da, cache.a, block.activation);
  if (block.bn !== null && cache.bn !== null) {
    const bn = bnBackward(dz, cache.bn);
    grads[block.bn.gamma] = bn.dgamma;
    grads[block.bn.beta] = bn.dbeta;
    dz = bn.dz;
  }
  const kernel = p[block.kernel]!;
  const conv = { strides: 1, pad: 'same', dataFormat: 'NHWC' } as const;
  grads[block.kernel] = engine.runKernel<Tensor>('Conv2DBackpropFilter', { x: cache.x, dy: dz }, { ...conv, filterShape: kernel.shape });
  if (block.bias !== null) grads[block.bias] = tf.sum(dz, [0, 1, 2]);
  if (!needDx) return null;
  return engine.runKernel<Tensor>('Conv2DBackpropInput', { dy: dz, filter: kernel }, { ...conv, inputShape: cache.x.shape });
}

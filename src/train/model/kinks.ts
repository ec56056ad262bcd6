/**
 * Where a training forward pass is not smooth in the weights — the on/off pattern of ReLU and
 * leaky-ReLU units and the argmax of each max-pool window — and a forward pass with that
 * pattern frozen. The frozen pass is smooth, equals the real one at the weights it was frozen
 * at, and has the same gradient there (the backward pass uses the same pattern), so finite
 * differences of it check the backward pass without crossing a kink. ELU (C¹ at 0), tanh,
 * sigmoid and batch norm are smooth already.
 */
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';
import { LEAKY_ALPHA, activate } from './activation.js';
import type { Activation } from './activation.js';
import { bnTrain } from './batchnorm.js';
import { POOL } from './conv.js';
import type { ConvCache } from './conv.js';
import type { DenseCache } from './dense.js';
import type { Network } from './network.js';
import type { TrainPass } from './passes.js';

/** Per block: the activation's slope per unit (ReLU-like only) and the pool's argmax mask (conv only). */
export type FrozenKinks = Array<{ slope: Tensor | null; argmax: Tensor | null }>;

const kinked = (a: Activation | null): boolean => a === 'relu' || a === 'leaky_relu';

/** The kinks of a training pass (tensors in the caller's scope). */
export function freezeKinks(net: Network, pass: TrainPass): FrozenKinks {
  return net.blocks.map((block, i) => {
    const h = block.kind === 'dense' ? (pass.caches[i] as DenseCache).h : (pass.caches[i] as ConvCache).a;
    const slope = kinked(block.activation) ? tf.where(tf.greater(h, 0), tf.onesLike(h), tf.fill(h.shape, block.activation === 'relu' ? 0 : LEAKY_ALPHA)) : null;
    if (block.kind === 'dense') return { slope, argmax: null };
    const cache = pass.caches[i] as ConvCache;
    // Scattering ones through the pool's gradient marks each window's argmax.
    const argmax = tf.engine().runKernel<Tensor>('MaxPoolGrad', { dy: tf.onesLike(cache.pooled), input: cache.a, output: cache.pooled }, { ...POOL });
    return { slope, argmax };
  });
}

/** The kinks as one flat tensor (its values change exactly when a step crosses a kink). */
export function kinkPattern(frozen: FrozenKinks): Tensor {
  const parts = frozen.flatMap(({ slope, argmax }) => [slope, argmax].filter((t): t is Tensor => t !== null).map((t) => tf.reshape(t, [-1])));
  return parts.length === 0 ? tf.zeros([0]) : tf.concat(parts);
}

function act(z: Tensor, activation: Activation | null, slope: Tensor | null): Tensor {
  if (activation === null) return z;
  return slope === null ? activate(z, activation) : tf.mul(z, slope);
}

/** The logits of the training forward pass (no dropout) with the kinks of `frozen`. */
export function forwardFrozen(net: Network, p: Tensor[], x: Tensor, frozen: FrozenKinks): Tensor {
  let h = x;
  net.blocks.forEach((block, i) => {
    const { slope, argmax } = frozen[i]!;
    if (block.kind === 'dense') {
      const input = h.rank === 2 ? h : tf.reshape(h, [h.shape[0], -1]);
      let z: Tensor = tf.matMul(input, p[block.kernel]!);
      if (block.bias !== null) z = tf.add(z, p[block.bias]!);
      if (block.bn !== null) z = bnTrain(z, p[block.bn.gamma]!, p[block.bn.beta]!).out;
      h = act(z, block.activation, slope);
      return;
    }
    let z: Tensor = tf.conv2d(h as tf.Tensor4D, p[block.kernel] as tf.Tensor4D, 1, 'same');
    if (block.bias !== null) z = tf.add(z, p[block.bias]!);
    if (block.bn !== null) z = bnTrain(z, p[block.bn.gamma]!, p[block.bn.beta]!).out;
    const a = act(z, block.activation, slope);
    // Each window's sum of its frozen argmax: a 2×2, stride-2 depthwise convolution with ones.
    const window: tf.Tensor4D = tf.ones([POOL.filterSize, POOL.filterSize, block.filters, 1]);
    h = tf.depthwiseConv2d(tf.mul<tf.Tensor4D>(a, argmax!), window, POOL.strides, POOL.pad);
  });
  return h;
}

/**
 * Hidden activations: forward (fused into the preceding matmul or convolution where the
 * backend supports it) and the derivative computed from the activation's output h, which is
 * all the backward pass keeps.
 */
import type { ACTIVATIONS } from '../identifiers.js';
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';

export type Activation = (typeof ACTIVATIONS)[number];

/** Slope of leaky_relu for negative inputs. */
export const LEAKY_ALPHA = 0.01;

type Fusable = 'relu' | 'leakyrelu' | 'elu' | 'sigmoid';

/** tfjs' fused-op name of an activation, or null when it cannot be fused (tanh). */
export function fusedActivation(act: Activation): Fusable | null {
  switch (act) {
    case 'relu':
      return 'relu';
    case 'leaky_relu':
      return 'leakyrelu';
    case 'elu':
      return 'elu';
    case 'sigmoid':
      return 'sigmoid';
    case 'tanh':
      return null;
  }
}

/** h = act(z), unfused. */
export function activate(z: Tensor, act: Activation): Tensor {
  switch (act) {
    case 'relu':
      return tf.relu(z);
    case 'leaky_relu':
      return tf.leakyRelu(z, LEAKY_ALPHA);
    case 'elu':
      return tf.elu(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'tanh':
      return tf.tanh(z);
  }
}

/** dL/dz from dL/dh and the output h = act(z). */
export function activationGrad(dh: Tensor, h: Tensor, act: Activation): Tensor {
  switch (act) {
    case 'relu':
      return tf.mul(dh, tf.step(h, 0));
    case 'leaky_relu':
      return tf.mul(dh, tf.step(h, LEAKY_ALPHA));
    case 'elu':
      // elu'(z) = 1 for z > 0, e^z = h + 1 otherwise: 1 + min(h, 0) covers both.
      return tf.mul(dh, tf.add(tf.minimum(h, 0), 1));
    case 'sigmoid':
      return tf.mul(dh, tf.mul(h, tf.sub(1, h)));
    case 'tanh':
      return tf.mul(dh, tf.sub(1, tf.square(h)));
  }
}

/** The networks and training steps the wasm bench sections time. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** A model with fixed data, one synchronous training step at a time. */
export interface StepRunner {
  /** One optimiser step on the same mini-batch (wasm kernels run synchronously). */
  step: () => void;
  dispose: () => void;
}

function oneHotLabels(batch: number, classes: number, seed: number): tf.Tensor {
  return tf.tidy(() => tf.oneHot(tf.cast(tf.floor(tf.randomUniform([batch], 0, classes, 'float32', seed)), 'int32'), classes));
}

/** A loss of (labels, logits), as `tf.losses.softmaxCrossEntropy`. */
export type Loss = (labels: tf.Tensor, logits: tf.Tensor) => tf.Scalar;

/** Trains `model` on one fixed random batch with softmax cross-entropy (or `loss`). */
export function runner(
  model: tfl.LayersModel,
  inputShape: number[],
  classes: number,
  optimizer: tf.Optimizer,
  loss: Loss = (y, z) => tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(y, z),
): StepRunner {
  const batch = inputShape[0]!;
  const x = tf.randomNormal(inputShape, 0, 1, 'float32', 1);
  const y = oneHotLabels(batch, classes, 2);
  return {
    step: () => {
      optimizer.minimize(() => loss(y, model.apply(x, { training: true }) as tf.Tensor));
    },
    dispose: () => {
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
    },
  };
}

/** A dense ReLU network `sizes[0] → … → sizes[n]` (linear output), as tfjs-layers fuses it. */
export function mlp(sizes: readonly number[]): tfl.LayersModel {
  const layers = sizes.slice(1).map((units, i) =>
    tfl.layers.dense({
      units,
      activation: i === sizes.length - 2 ? 'linear' : 'relu',
      ...(i === 0 ? { inputShape: [sizes[0]!] } : {}),
    }),
  );
  return tfl.sequential({ layers });
}

/** Multiply-adds of one forward pass of {@link mlp}, per sample. */
export function mlpMacs(sizes: readonly number[]): number {
  let macs = 0;
  for (let i = 1; i < sizes.length; i++) macs += sizes[i - 1]! * sizes[i]!;
  return macs;
}

/**
 * FLOPs one training step of {@link mlp} computes: the forward products, every weight
 * gradient, and the input gradients of all layers but the first (the gradient of the data is
 * never computed), at 2 FLOPs per multiply-add. The 6·batch·weights convention would count
 * the first layer's input gradient too (×1.40 for 784-256-128-10).
 */
export function mlpTrainFlops(sizes: readonly number[], batch: number): number {
  const all = mlpMacs(sizes);
  const first = sizes[0]! * sizes[1]!;
  return 2 * batch * (all + all + (all - first));
}

/** 28×28×1 → conv 8 (3×3 same, relu) → pool 2 → conv 16 (3×3 same, relu) → pool 2 → dense 10. */
export function smallCnn(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10 }),
    ],
  });
}

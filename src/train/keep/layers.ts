/**
 * The built-in network as an equivalent tfjs-layers model: the same layers in the same order
 * (Dense / Conv2D → BatchNormalization → activation → MaxPooling2D …, Flatten, Dense, Softmax)
 * carrying the same weights, so `tf.loadLayersModel` predicts what the trainer evaluated.
 */
import type { Activation } from '../model/activation.js';
import { LEAKY_ALPHA } from '../model/activation.js';
import { BN_EPSILON } from '../model/batchnorm.js';
import type { BnRef, Network } from '../model/network.js';
import { tfl } from '../tf.js';
import type { Tensor } from '../tf.js';
import type { Snapshot } from '../loop/session.js';

type Layer = Parameters<ReturnType<typeof tfl.sequential>['add']>[0];

function activationLayer(act: Activation, name: string): Layer {
  if (act === 'leaky_relu') return tfl.layers.leakyReLU({ alpha: LEAKY_ALPHA, name });
  return tfl.layers.activation({ activation: act, name });
}

/** A Sequential model with the network's architecture and the snapshot's weights. */
export function toLayersModel(net: Network, state: Snapshot): tfl.Sequential {
  const model = tfl.sequential();
  // model.setWeights takes every layer's trainable weights first, then the non-trainable ones.
  const weights: Tensor[] = [];
  const moving: Tensor[] = [];
  const w = (i: number): Tensor => state.weights[i]!;
  let inputShape: number[] | undefined = net.inputShape;
  const first = (): { inputShape?: number[] } => {
    const out = inputShape === undefined ? {} : { inputShape };
    inputShape = undefined;
    return out;
  };
  const batchNorm = (bn: BnRef, name: string): void => {
    model.add(tfl.layers.batchNormalization({ axis: -1, epsilon: BN_EPSILON, name }));
    weights.push(w(bn.gamma), w(bn.beta));
    moving.push(state.movingMean[bn.stat]!, state.movingVar[bn.stat]!);
  };
  let flat = net.inputShape.length === 1;
  net.blocks.forEach((block, i) => {
    const name = `block${i + 1}`;
    if (block.kind === 'conv') {
      const useBias = block.bias !== null;
      model.add(tfl.layers.conv2d({ ...first(), filters: block.filters, kernelSize: block.kernelSize, strides: 1, padding: 'same', useBias, name: `${name}_conv` }));
      weights.push(w(block.kernel), ...(block.bias === null ? [] : [w(block.bias)]));
      if (block.bn !== null) batchNorm(block.bn, `${name}_bn`);
      model.add(activationLayer(block.activation, `${name}_${block.activation}`));
      model.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same', name: `${name}_pool` }));
      return;
    }
    if (!flat) {
      model.add(tfl.layers.flatten({ name: `${name}_flatten` }));
      flat = true;
    }
    const output = block.activation === null;
    model.add(tfl.layers.dense({ ...first(), units: block.units, useBias: block.bias !== null, name: output ? 'output' : `${name}_dense` }));
    weights.push(w(block.kernel), ...(block.bias === null ? [] : [w(block.bias)]));
    if (block.bn !== null) batchNorm(block.bn, `${name}_bn`);
    if (block.activation !== null) model.add(activationLayer(block.activation, `${name}_${block.activation}`));
  });
  model.add(tfl.layers.softmax({ name: 'softmax' }));
  model.setWeights([...weights, ...moving]);
  return model;
}

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertClose, rng, setupBackends, values } from './helpers.js';

const INPUT: [number, number, number] = [9, 7, 2];
const CLASSES = 3;
const BATCH = 5;

/** Conv2D → BatchNorm → ReLU → MaxPool → Conv2D → MaxPool → Dense → BatchNorm → Dense: a cnn's layers. */
function buildModel(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      // No bias before a BatchNorm: its gradient is exactly zero, i.e. only rounding noise.
      tfl.layers.conv2d({ inputShape: INPUT, filters: 4, kernelSize: 3, padding: 'same', useBias: false }),
      tfl.layers.batchNormalization(),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
      tfl.layers.conv2d({ filters: 5, kernelSize: 2, strides: 1, padding: 'valid', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 6, activation: 'relu' }),
      tfl.layers.batchNormalization({ axis: -1 }),
      tfl.layers.dense({ units: CLASSES }),
    ],
  });
}

/** Loss and gradients of every trainable weight, on `backend`, for fixed weights and data. */
async function lossAndGrads(
  backend: 'cpu' | 'wasm',
  weights: Float32Array[],
  x: Float32Array,
  labels: number[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const model = buildModel();
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights[i]!, w.shape)));
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const result = tf.tidy(() => {
    const xs = tf.tensor4d(x, [BATCH, ...INPUT]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES);
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.apply(xs, { training: true }) as tf.Tensor;
      return tf.losses.softmaxCrossEntropy(ys, logits);
    }, vars);
    return [value, ...vars.map((v) => grads[v.name]!)];
  });
  const data = result.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(result);
  model.dispose();
  return data;
}

describe('layer gradients on wasm (Dense, Conv2D, MaxPool, BatchNorm)', () => {
  before(setupBackends);

  it('loss and every weight gradient match cpu', async () => {
    const next = rng(30);
    await tf.setBackend('cpu');
    const shapes = buildModelShapes();
    const weights = shapes.map((s) => values(next, s.reduce((p, d) => p * d, 1)).map((v) => v * 0.5));
    const x = values(next, BATCH * INPUT.reduce((p, d) => p * d, 1));
    const labels = Array.from({ length: BATCH }, (_, i) => i % CLASSES);
    const expected = await lossAndGrads('cpu', weights, x, labels);
    const actual = await lossAndGrads('wasm', weights, x, labels);
    assert.equal(actual.length, expected.length);
    actual.forEach((a, i) => assertClose(a, expected[i]!, 1e-4, i === 0 ? 'loss' : `gradient ${i}`));
    assert.ok(expected.slice(1).every((g) => g.some((v) => v !== 0)), 'every weight gets a gradient');
  });
});

function buildModelShapes(): number[][] {
  const model = buildModel();
  const shapes = model.getWeights().map((w) => w.shape);
  model.dispose();
  return shapes;
}

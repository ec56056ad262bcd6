// Your own TensorFlow.js training loop as a `trainer: module` objective (configs/tfjs-module.yaml).
// hpsearch calls train(params, ctx) once per trial: params holds the spec's fixed `train:`
// settings and the trial's sampled parameters. Report once per epoch and await it: a pruned
// trial then trains no epoch past its verdict. Return the final metrics.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';

/** Two interleaved half-moons with Gaussian jitter, from a small seeded generator. */
function moons(points, noise, seed) {
  let state = seed >>> 0 || 1;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const xs = [];
  const ys = [];
  for (let i = 0; i < points; i++) {
    const upper = i % 2 === 0;
    const t = Math.PI * uniform();
    const x = upper ? Math.cos(t) : 1 - Math.cos(t);
    const y = upper ? Math.sin(t) : 0.5 - Math.sin(t);
    xs.push([x + noise * gauss(), y + noise * gauss()]);
    ys.push(upper ? 1 : 0);
  }
  return { xs, ys };
}

export async function train(params, ctx) {
  tf.env().set('PROD', true); // no console hint about tfjs-node, no debug checks
  await tf.setBackend('cpu');
  const data = moons(params.points, params.noise, 12345); // the same data for every trial
  const cut = Math.floor(0.8 * params.points);
  const [xTrain, yTrain] = [tf.tensor2d(data.xs.slice(0, cut)), tf.tensor1d(data.ys.slice(0, cut))];
  const [xVal, yVal] = [tf.tensor2d(data.xs.slice(cut)), tf.tensor1d(data.ys.slice(cut))];
  // Seeded initial weights and no shuffling: a trial trains the same way every time.
  const init = (layer) => tfl.initializers.glorotUniform({ seed: ctx.seed + layer });
  const model = tfl.sequential();
  const { hidden_units: units, activation } = params;
  model.add(tfl.layers.dense({ inputShape: [2], units, activation, kernelInitializer: init(0) }));
  model.add(tfl.layers.dense({ units, activation, kernelInitializer: init(1) }));
  model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(2) }));
  model.compile({ optimizer: tf.train.adam(params.learning_rate), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  let last = {};
  for (let epoch = 0; epoch < params.epochs && !ctx.shouldStop(); epoch++) {
    const h = await model.fit(xTrain, yTrain, { epochs: 1, batchSize: params.batch_size, validationData: [xVal, yVal], shuffle: false, verbose: 0 });
    const at = (name) => Number(h.history[name][0]);
    last = { train_loss: at('loss'), train_accuracy: at('acc'), val_loss: at('val_loss'), val_accuracy: at('val_acc') };
    await ctx.report(last);
  }
  model.dispose();
  tf.dispose([xTrain, yTrain, xVal, yVal]);
  return last;
}

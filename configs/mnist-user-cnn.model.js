// A small CNN for the mnist digits, written as a user model for `train.model:` (see
// configs/mnist-user-cnn.yaml). hpsearch calls build(params, tf) once per trial:
// params holds every setting of the trial (fixed and searched) plus input_shape
// ([28, 28, 1] here) and classes (10); tf is TensorFlow.js (tfjs-core + tfjs-layers).
// Return the model uncompiled: hpsearch trains it with the spec's optimizer, learning
// rate, schedule, batch size, L2 and epochs. The last layer gives one probability per class.
export function build(params, tf) {
  const filters = params.width ?? 8; // a setting of this model's own (searched in the spec)
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: params.input_shape, filters, kernelSize: 3, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 2 * filters, kernelSize: 3, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({ rate: params.dropout ?? 0.25 }));
  model.add(tf.layers.dense({ units: params.classes, activation: 'softmax' }));
  return model;
}

/**
 * The preflight check of a user model (`train.model: ./model.js`): builds it at the spec's
 * fixed settings on the trial's data and checks that it is a LayersModel taking one example's
 * shape and giving one probability per class, then runs one batch through it.
 */
import { errorMessage } from '../core/errors.js';
import type { TrialTask } from '../core/trainer.js';
import type { PreparedData } from '../train/data/types.js';
import { buildUserModel, inputShapeOf } from '../train/user/load.js';
import { tf } from '../train/tf.js';
import type { Tensor } from '../train/tf.js';
import type { PreflightCheck } from './preflight-check.js';

export async function userModelCheck(file: string, task: TrialTask, data: PreparedData): Promise<PreflightCheck> {
  const shape = inputShapeOf(data);
  try {
    const model = await buildUserModel(file, { ...task.train, ...task.params }, data);
    try {
      const rows = Math.min(2, data.train.n);
      const sums = tf.tidy(() => {
        const x = tf.tensor(data.train.x.subarray(0, rows * data.features), [rows, ...shape]);
        return tf.sum(model.apply(x, { training: false }) as Tensor, -1);
      });
      const rowSums = Array.from(sums.dataSync());
      sums.dispose();
      const evidence = { parameters: model.countParams(), input_shape: `[${shape.join(', ')}]`, classes: data.classes };
      if (rowSums.some((s) => !(Math.abs(s - 1) < 1e-3))) {
        return { name: 'model', passed: false, evidence, message: `the model's outputs sum to ${rowSums[0]} per example, not 1: end it with a softmax over params.classes units` };
      }
      return { name: 'model', passed: true, evidence, message: `${file} builds a model of ${model.countParams()} parameters taking [${shape.join(', ')}] and giving ${data.classes} class probabilities` };
    } finally {
      model.dispose();
    }
  } catch (error) {
    return { name: 'model', passed: false, evidence: {}, message: errorMessage(error) };
  }
}

import type { TrainResult, TrialTask } from '../../core/trainer.js';
import type { PreparedData } from '../data/types.js';
import { writeKeptModel } from '../keep/files.js';
import { keptMeta } from '../keep/keep.js';
import type { tfl } from '../tf.js';
import { inputShapeOf } from './load.js';

/**
 * Writes a finished user-model trial's model (its final weights, or restore_best's) where the
 * study asked (task.keep), with the same hpsearch.json as a built-in trial's, so export-model,
 * predict and ensemble take it as they take those. A diverged trial keeps nothing.
 */
export async function keepUserModel(task: TrialTask, model: tfl.LayersModel, data: PreparedData, result: TrainResult): Promise<void> {
  if (task.keep === undefined || result.diverged !== undefined) return;
  await writeKeptModel(task.keep.dir, model, keptMeta(task, data, result, inputShapeOf(data)));
  result.attrs['model'] = task.keep.name;
}

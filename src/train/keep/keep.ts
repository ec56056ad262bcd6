import type { TrainResult, TrialTask } from '../../core/trainer.js';
import type { PreparedData } from '../data/types.js';
import type { Session } from '../loop/session.js';
import { disposeSnapshot } from '../loop/session.js';
import { writeKeptModel } from './files.js';
import type { KeptMeta } from './files.js';
import { toLayersModel } from './layers.js';

/**
 * Writes a finished built-in trial's weights (the final ones, or restore_best's, which the
 * session holds by now) as a tfjs-layers model where the study asked (task.keep), and
 * records where in the trial's attrs. A diverged trial keeps nothing.
 */
export async function keepTrialModel(task: TrialTask, session: Session, data: PreparedData, result: TrainResult): Promise<void> {
  if (task.keep === undefined || result.diverged !== undefined) return;
  const state = session.snapshot();
  const model = toLayersModel(session.net, state);
  try {
    await writeKeptModel(task.keep.dir, model, keptMeta(task, data, result, [...session.net.inputShape]));
    result.attrs['model'] = task.keep.name;
  } finally {
    model.dispose();
    disposeSnapshot(state);
  }
}

/** What `hpsearch.json` records of a finished trial whose model takes examples of `inputShape`. */
export function keptMeta(task: TrialTask, data: PreparedData, result: TrainResult, inputShape: number[]): Omit<KeptMeta, 'format'> {
  const features = data.features;
  const testAccuracy = result.attrs['test_accuracy'];
  return {
    study: task.study,
    trial: task.trial,
    params: task.params,
    input_shape: inputShape,
    class_names: [...data.classNames],
    preprocess: {
      kind: task.data?.preprocess ?? 'none',
      shift: Array.from(data.transform?.shift ?? new Float32Array(features)),
      scale: Array.from(data.transform?.scale ?? new Float32Array(features).fill(1)),
    },
    data: task.data,
    label: task.data?.source === 'csv' ? task.data.label : null,
    test_accuracy: typeof testAccuracy === 'number' ? testAccuracy : null,
    weights_from: result.attrs['best_epoch'] === undefined ? 'final' : 'best',
  };
}

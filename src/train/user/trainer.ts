/**
 * `train.model: ./model.js` under trainer tfjs: builds the user's model and trains it (under
 * method pbt, from the checkpoint its segment starts from, writing its own at the end).
 */
import type { TrainContext, TrainResult, TrialTask } from '../../core/trainer.js';
import type { Attrs } from '../../core/types.js';
import type { ResolvedBackend } from '../backend.js';
import type { PreparedData } from '../data/types.js';
import type { TrainSettings } from '../settings.js';
import { keepUserModel } from './keep.js';
import { buildUserModel } from './load.js';
import { readUserSegment, writeUserSegment } from './segment.js';
import { UserSession } from './session.js';
import { keepBestOf } from '../loop/epochs.js';
import { runUserTrial } from './train.js';

/** Trains one user-model trial on the already resolved backend and loaded data. */
export async function trainUserModel(
  file: string,
  task: TrialTask,
  ctx: TrainContext,
  settings: TrainSettings,
  backend: ResolvedBackend,
  data: PreparedData,
): Promise<TrainResult> {
  if (task.init_from !== undefined) throw new Error('train.init_from does not apply to a model file (train.model); it warm-starts mlp and cnn');
  const model = await buildUserModel(file, { ...task.train, ...task.params }, data);
  const session = new UserSession(model, settings, data.classes);
  const attrs: Attrs = { backend: backend.name, backend_package: backend.package, parameters: session.parameterCount, classes: data.classes };
  try {
    const segment = task.segment;
    const pbt =
      segment === undefined
        ? undefined
        : {
            reference: segment.from === null ? undefined : readUserSegment(segment.from, session, settings),
            write: (reference: number) => writeUserSegment(segment.to, settings.epochs, session, settings, reference),
          };
    const result = await runUserTrial(session, data, settings, keepBestOf(task.early_terminate, task.metric), ctx, attrs, pbt);
    await keepUserModel(task, model, data, result);
    return result;
  } finally {
    session.dispose();
  }
}

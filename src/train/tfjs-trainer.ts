/**
 * `trainer: tfjs` — the built-in TensorFlow.js trainer. It builds the trial's data, network
 * and optimiser from `task.train` and `task.params`, trains with its own mini-batch loop and
 * reports after every epoch (see loop/run.ts for the metrics).
 *
 * The reported `train_loss` and `train_accuracy` are measured after each epoch in evaluation
 * mode on a fixed subset of the training rows (the figures as trained are `running_loss` and
 * `running_accuracy`); losses do NOT include the L1/L2 penalties, so they compare with
 * `val_loss` and across penalty settings. The penalties are still in the gradients.
 */
import type { TrainContext, TrainFunction, TrainResult, TrialTask } from '../core/trainer.js';
import type { Attrs } from '../core/types.js';
import { resolveBackend } from './backend.js';
import { loadData } from './data/index.js';
import { keepTrialModel } from './keep/keep.js';
import { readSegment, writeSegment } from './keep/segment.js';
import { frozenOf, readInitialState } from './keep/warm.js';
import { inferenceMs } from './loop/inference.js';
import { initialLoss, keepBestOf } from './loop/epochs.js';
import { runTrial } from './loop/run.js';
import { disposeEvalSet, Session } from './loop/session.js';
import { buildNetwork } from './model/network.js';
import { resolveSettings } from './settings.js';
import { knobsOnly } from './user/load.js';
import { trainUserModel } from './user/trainer.js';

/** Trains one trial (see the file comment). Thrown errors fail the trial with their message. */
export const train: TrainFunction = async (task: TrialTask, ctx: TrainContext): Promise<TrainResult> => {
  const settings = resolveSettings(task.user_model === undefined ? task : knobsOnly(task));
  if (task.data === null) throw new Error('trainer tfjs needs a data: section in the spec (csv, mnist or synthetic)');
  const backend = await resolveBackend(settings.backend);
  const data = loadData(task.data);
  if (task.user_model !== undefined) return trainUserModel(task.user_model, task, ctx, settings, backend, data);
  const net = buildNetwork(settings, data);
  const segment = task.segment;
  const resumed = segment?.from === null || segment?.from === undefined ? undefined : readSegment(segment.from, net, settings);
  const warm = resumed?.warm ?? (task.init_from === undefined ? undefined : { initial: readInitialState(task.init_from.dir, net), frozen: frozenOf(net, task.init_from.freeze) });
  const session = new Session(net, settings, ctx.seed, warm === undefined ? {} : { warm });
  const attrs: Attrs = { backend: backend.name, backend_package: backend.package, parameters: session.parameterCount, classes: data.classes };
  try {
    if (resumed !== undefined && resumed.optimizer !== null) session.loadOptimizerState(resumed.optimizer);
    // A segment keeps the member's first reference loss, not its trained one's.
    const reference = resumed?.reference ?? initialLoss(session, data.train, data.features, settings.batch_size, disposeEvalSet);
    const trained = await runTrial(session, data, settings, keepBestOf(task.early_terminate, task.metric), ctx, attrs, reference);
    if (segment !== undefined && trained.diverged === undefined && !ctx.shouldStop()) writeSegment(segment.to, settings.epochs, session, settings, reference);
    // Measured after training, on the weights the trial ends with (FINAL_METRICS); inference_ms
    // only where an objective names it (its passes would lengthen every short trial).
    const final: Record<string, number> = { params: session.parameterCount };
    if (task.measure_inference === true) final['inference_ms'] = await inferenceMs(session, data.train);
    const result = trained.diverged !== undefined ? trained : { ...trained, metrics: { ...trained.metrics, ...final } };
    await keepTrialModel(task, session, data, result);
    return result;
  } finally {
    session.dispose();
  }
};

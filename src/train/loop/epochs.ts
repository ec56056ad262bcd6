/**
 * The epoch loop every tfjs trial runs, whatever its model (built-in network or user model):
 * learning-rate schedule, per-epoch report, divergence, keeping the best weights
 * (restore_best), and the test evaluation of the weights it ends with.
 */
import type { EarlyTerminate } from '../../core/spec.js';
import type { TrainContext } from '../../core/trainer.js';
import { minimizes, type Attrs, type Direction, type Metrics } from '../../core/types.js';
import type { Dataset, PreparedData } from '../data/types.js';
import { createSchedule } from '../optim/schedules.js';
import { deriveSeed, Rng } from '../random.js';
import type { TrainSettings } from '../settings.js';
import type { Tensor } from '../tf.js';
import type { EpochNumbers } from './epoch.js';

/** What the loop needs of a trainer: its epochs, and copies of its weights (of type W). */
export interface EpochTrainer<W> {
  /** One epoch at `lr`, with any further metrics of it; null when `shouldStop` ended it early. */
  epoch(lr: number, shouldStop: () => boolean): Promise<{ numbers: EpochNumbers; extra: Metrics } | null>;
  snapshot(): W;
  /** Puts back the weights of a snapshot (which stays valid). */
  restore(weights: W): void;
  release(weights: W): void;
}

/** How the epochs ended: the metrics to report as the trial's, and why it diverged, if it did. */
export interface EpochsOutcome {
  metrics: Metrics;
  diverged?: string;
}

/**
 * The metrics reported after each epoch:
 *
 * - train_loss, train_accuracy: mean cross-entropy and accuracy on a fixed subset of the
 *   training rows (as many as the validation split has) after the epoch, in evaluation mode
 *   (no dropout, batch norm with its moving statistics) — comparable with val_loss and
 *   val_accuracy, so bias and variance are judged from them; L1/L2 penalties not included;
 * - running_loss, running_accuracy: over the epoch's mini-batches as trained (dropout on,
 *   weights moving);
 * - val_loss, val_accuracy: on the validation split after the epoch (evaluation mode); absent
 *   when the split is empty;
 * - lr: the learning rate used during the epoch;
 * - seconds: wall time of this epoch (training and evaluation);
 * - samples_per_second: training examples per second of training time;
 * - update_ratio: ‖Δw‖/‖w‖ of the first layer's kernel over the epoch's last step (healthy
 *   training is around 1e-3).
 */
export function epochMetrics(e: EpochNumbers, lr: number, seconds: number, rows: number): Metrics {
  const m: Metrics = { train_loss: e.evalTrainLoss ?? e.trainLoss, train_accuracy: e.evalTrainAccuracy ?? e.trainAccuracy };
  m['running_loss'] = e.trainLoss;
  m['running_accuracy'] = e.trainAccuracy;
  if (e.valLoss !== null && e.valAccuracy !== null) {
    m['val_loss'] = e.valLoss;
    m['val_accuracy'] = e.valAccuracy;
  }
  m['lr'] = lr;
  m['seconds'] = seconds;
  m['samples_per_second'] = rows / e.trainSeconds;
  m['update_ratio'] = e.updateRatio;
  return m;
}

/**
 * Why training diverged this epoch, or undefined: a non-finite training loss, or a mini-batch
 * whose mean loss exceeded `factor` × the initial loss (the loss of the first batch before
 * training; batch against batch, so one epoch is enough to see an explosion). Epochs count from 0.
 */
export function divergence(e: Pick<EpochNumbers, 'trainLoss' | 'worstBatchLoss'>, initial: number, factor: number, epoch: number, lr: number): string | undefined {
  if (!Number.isFinite(e.trainLoss)) return `training loss is ${e.trainLoss} at epoch ${epoch} (learning rate ${lr})`;
  if (Number.isFinite(initial) && initial > 0 && e.worstBatchLoss > factor * initial) {
    return `a mini-batch loss of ${fmt(e.worstBatchLoss)} at epoch ${epoch} exceeds ${factor} × the initial loss ${fmt(initial)} (learning rate ${lr})`;
  }
  return undefined;
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/** Training rows evaluated after each epoch when there is no validation split. */
const TRAIN_EVAL_ROWS_WITHOUT_VAL = 1000;

/** A fixed, seeded subset of the training rows, as many as the validation split has. */
export function trainEvalSubset(data: PreparedData, seed: number): Dataset {
  const { train, features } = data;
  const m = Math.min(train.n, data.val.n > 0 ? data.val.n : TRAIN_EVAL_ROWS_WITHOUT_VAL);
  const rows = new Rng(deriveSeed(seed, 'train-eval')).permutation(train.n).subarray(0, m);
  const x = new Float32Array(m * features);
  rows.forEach((r, i) => x.set(train.x.subarray(r * features, (r + 1) * features), i * features));
  return { x, y: Int32Array.from(rows, (r) => train.y[r]!), n: m };
}

/** restore_best's metric and which way is better: the study's own metric follows its goal. */
export interface KeepBest {
  metric: string;
  minimize: boolean;
}

/** What restore_best keeps, from the trial's early_terminate and the study's objective (null: off). */
export function keepBestOf(early: EarlyTerminate | null, objective: { name: string; goal: Direction }): KeepBest | null {
  return early?.restore_best === true ? { metric: early.metric, minimize: minimizes(early.metric, objective) } : null;
}

/**
 * Trains up to `settings.epochs` epochs (fewer when ctx.shouldStop() turns true or training
 * diverges against `reference`, the initial loss), reporting each epoch's metrics. With
 * restore_best the trainer ends on the weights of the best epoch by that metric, whose
 * metrics are then the trial's. Sets attrs `epochs_trained` and `best_epoch`.
 */
export async function trainEpochs<W>(
  trainer: EpochTrainer<W>,
  reference: number,
  settings: TrainSettings,
  keepBest: KeepBest | null,
  ctx: TrainContext,
  attrs: Attrs,
  rows: number,
): Promise<EpochsOutcome> {
  const schedule = createSchedule(settings);
  let best: { value: number; epoch: number; metrics: Metrics; weights: W } | null = null;
  let last: Metrics = {};
  let epochs = 0;
  try {
    for (let epoch = ctx.startEpoch ?? 0; epoch < settings.epochs && !ctx.shouldStop(); epoch++) {
      const started = performance.now();
      const lr = schedule.rate(epoch);
      const done = await trainer.epoch(lr, () => ctx.shouldStop());
      if (done === null) break;
      epochs++;
      const { numbers } = done;
      last = { ...epochMetrics(numbers, lr, (performance.now() - started) / 1000, rows), ...done.extra };
      // Judged while the snapshot below is taken; the next epoch waits for the verdict.
      const judged = ctx.report(last);
      const diverged = divergence(numbers, reference, settings.divergence_factor, epoch, lr);
      if (diverged !== undefined) {
        attrs['epochs_trained'] = epochs;
        return { metrics: last, diverged };
      }
      schedule.observe(numbers.valLoss ?? numbers.evalTrainLoss ?? numbers.trainLoss);
      const value = keepBest === null ? undefined : last[keepBest.metric];
      if (keepBest !== null && value !== undefined && !Number.isNaN(value) && (best === null || (keepBest.minimize ? value < best.value : value > best.value))) {
        if (best !== null) trainer.release(best.weights);
        best = { value, epoch, metrics: last, weights: trainer.snapshot() };
      }
      await judged;
    }
    attrs['epochs_trained'] = epochs;
    if (best === null) return { metrics: last };
    trainer.restore(best.weights);
    attrs['best_epoch'] = best.epoch;
    return { metrics: best.metrics };
  } finally {
    if (best !== null) trainer.release(best.weights);
  }
}

/** What the evaluations below need of a session: upload a split, and [Σ loss, Σ correct, …] over it. */
export interface Evaluates<S extends { n: number }> {
  upload(data: Dataset): S;
  evaluate(set: S): Tensor;
}

/** Mean loss of the first batch of `train` before any training (the reference for divergence). */
export function initialLoss<S extends { n: number }>(session: Evaluates<S>, train: Dataset, features: number, batchSize: number, dispose: (set: S) => void): number {
  const n = Math.min(batchSize, train.n);
  const set = session.upload({ x: train.x.subarray(0, n * features), y: train.y.subarray(0, n), n });
  try {
    const sums = session.evaluate(set);
    const loss = sums.dataSync()[0]! / n;
    sums.dispose();
    return loss;
  } finally {
    dispose(set);
  }
}

/**
 * `metrics` with the test split's loss and accuracy under the session's current weights
 * (also stored in `attrs` when finite); `metrics` unchanged when there is no test split.
 */
export async function withTestMetrics<S extends { n: number }>(
  session: Evaluates<S>,
  test: Dataset,
  dispose: (set: S) => void,
  metrics: Metrics,
  attrs: Attrs,
): Promise<Metrics> {
  if (test.n === 0) return metrics;
  const set = session.upload(test);
  try {
    const sums = session.evaluate(set);
    const v = (await sums.data()) as Float32Array;
    sums.dispose();
    const out = { ...metrics, test_loss: v[0]! / set.n, test_accuracy: v[1]! / set.n };
    if (Number.isFinite(out.test_loss)) {
      attrs['test_loss'] = out.test_loss;
      attrs['test_accuracy'] = out.test_accuracy;
    }
    return out;
  } finally {
    dispose(set);
  }
}

/**
 * Training a user model (`train.model: ./model.js`): the epoch loop of the built-in trainer
 * (loop/run.ts) over a UserSession — the spec's optimiser, schedule, batch size, L1/L2, epochs,
 * divergence and restore_best — reporting the same per-epoch metrics, with ctx.shouldStop()
 * checked between batches, and the final test evaluation.
 */
import type { EarlyTerminate } from '../../core/spec.js';
import type { TrainContext, TrainResult } from '../../core/trainer.js';
import { lowerIsBetter, type Attrs, type Metrics } from '../../core/types.js';
import type { PreparedData } from '../data/types.js';
import { batchRanges, permuteEpoch } from '../loop/batches.js';
import type { EpochNumbers } from '../loop/epoch.js';
import { divergence, epochMetrics, trainEvalSubset, withTestMetrics } from '../loop/run.js';
import { createSchedule } from '../optim/schedules.js';
import { deriveSeed, Rng } from '../random.js';
import type { TrainSettings } from '../settings.js';
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';
import { disposeUserEvalSet, type UserEvalSet, type UserSession } from './session.js';

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One epoch; null when shouldStop turned true before its last batch. */
async function runUserEpoch(
  session: UserSession,
  data: PreparedData,
  sets: { val: UserEvalSet | null; trainEval: UserEvalSet },
  settings: TrainSettings,
  lr: number,
  rng: Rng,
  shouldStop: () => boolean,
): Promise<EpochNumbers | null> {
  const started = performance.now();
  const f = data.features;
  const c = data.classes;
  const epoch = permuteEpoch(data.train, f, c, rng);
  const ranges = batchRanges(epoch.rows, settings.batch_size);
  const outputs: Tensor[] = [];
  try {
    for (let b = 0; b < ranges.length; b++) {
      const [start, end] = ranges[b]!;
      const last = b === ranges.length - 1;
      outputs.push(session.step(epoch.x.subarray(start * f, end * f), epoch.y.subarray(start * c, end * c), end - start, lr, last));
      if (!last && shouldStop()) return null;
      // Lets stop messages reach this thread during a long epoch.
      if (b % 16 === 15) await yieldToEventLoop();
    }
    const trainSeconds = (performance.now() - started) / 1000;
    const sums = tf.tidy(() => {
      const steps = tf.stack(outputs);
      return tf.concat([
        tf.sum(steps, 0),
        tf.reshape(tf.max(tf.slice(steps, [0, 2], [-1, 1])), [1]),
        sets.val === null ? tf.zeros([2]) : session.evaluate(sets.val),
        session.evaluate(sets.trainEval),
      ]);
    });
    const v = (await sums.data()) as Float32Array;
    sums.dispose();
    const val = sets.val;
    return {
      trainLoss: v[0]! / epoch.rows,
      trainAccuracy: v[1]! / epoch.rows,
      updateRatio: v[3]!,
      worstBatchLoss: v[4]!,
      valLoss: val === null ? null : v[5]! / val.n,
      valAccuracy: val === null ? null : v[6]! / val.n,
      evalTrainLoss: v[7]! / sets.trainEval.n,
      evalTrainAccuracy: v[8]! / sets.trainEval.n,
      trainSeconds,
    };
  } finally {
    for (const t of outputs) t.dispose();
  }
}

/** Mean loss of the first batch before training (the reference for divergence). */
function initialLoss(session: UserSession, data: PreparedData, batchSize: number): number {
  const n = Math.min(batchSize, data.train.n);
  const set = session.upload({ x: data.train.x.subarray(0, n * data.features), y: data.train.y.subarray(0, n), n });
  try {
    const sums = session.evaluate(set);
    const loss = sums.dataSync()[0]! / n;
    sums.dispose();
    return loss;
  } finally {
    disposeUserEvalSet(set);
  }
}

/** Runs the epochs of a user-model trial; returns its result (metrics and attrs). */
export async function runUserTrial(
  session: UserSession,
  data: PreparedData,
  settings: TrainSettings,
  early: EarlyTerminate | null,
  ctx: TrainContext,
  attrs: Attrs,
): Promise<TrainResult> {
  const schedule = createSchedule(settings);
  const rng = new Rng(deriveSeed(ctx.seed, 'shuffle'));
  const val = data.val.n > 0 ? session.upload(data.val) : null;
  const trainEval = session.upload(trainEvalSubset(data, ctx.seed));
  const keepBest = early?.restore_best === true ? early.metric : null;
  let best: { value: number; epoch: number; metrics: Metrics; weights: Tensor[] } | null = null;
  let last: Metrics = {};
  let diverged: string | undefined;
  let epochs = 0;
  try {
    const reference = initialLoss(session, data, settings.batch_size);
    for (let epoch = 0; epoch < settings.epochs && !ctx.shouldStop(); epoch++) {
      const started = performance.now();
      const lr = schedule.rate(epoch);
      const numbers = await runUserEpoch(session, data, { val, trainEval }, settings, lr, rng, () => ctx.shouldStop());
      if (numbers === null) break;
      epochs++;
      last = epochMetrics(numbers, lr, (performance.now() - started) / 1000, data.train.n);
      // Judged while the snapshot below is taken; the next epoch waits for the verdict.
      const judged = ctx.report(last);
      diverged = divergence(numbers, reference, settings.divergence_factor, epoch, lr);
      if (diverged !== undefined) break;
      schedule.observe(numbers.valLoss ?? numbers.evalTrainLoss ?? numbers.trainLoss);
      const value = keepBest === null ? undefined : last[keepBest];
      if (value !== undefined && !Number.isNaN(value) && (best === null || (lowerIsBetter(keepBest!) ? value < best.value : value > best.value))) {
        if (best !== null) tf.dispose(best.weights);
        best = { value, epoch, metrics: last, weights: session.snapshot() };
      }
      await judged;
    }
    let metrics = last;
    if (diverged === undefined && best !== null) {
      session.restore(best.weights);
      metrics = best.metrics;
      attrs['best_epoch'] = best.epoch;
    }
    attrs['epochs_trained'] = epochs;
    if (diverged === undefined) metrics = await withTestMetrics(session, data.test, disposeUserEvalSet, metrics, attrs);
    return diverged === undefined ? { metrics, attrs } : { metrics, attrs, diverged };
  } finally {
    if (val !== null) disposeUserEvalSet(val);
    disposeUserEvalSet(trainEval);
    if (best !== null) tf.dispose(best.weights);
  }
}

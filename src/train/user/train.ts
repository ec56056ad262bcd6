/**
 * Training a user model (`train.model: ./model.js`): the epoch loop of every trial
 * (loop/epochs.ts) over a UserSession — the spec's optimiser, schedule, batch size, L1/L2, epochs,
 * divergence and restore_best — reporting the same per-epoch metrics, with ctx.shouldStop()
 * checked between batches, and the final test evaluation. Under method pbt, `segment` gives the
 * checkpoint's reference loss and writes the segment's checkpoint once its epochs are trained.
 */
import type { TrainContext, TrainResult } from '../../core/trainer.js';
import { AUGMENT_SAMPLES_ATTR } from '../../core/augment-samples.js';
import type { Attrs } from '../../core/types.js';
import { trialAugmenter, type Augmenter } from '../augment.js';
import type { PreparedData } from '../data/types.js';
import { epochBatches } from '../loop/batches.js';
import type { EpochNumbers } from '../loop/epoch.js';
import { initialLoss, trainEpochs, trainEvalSubset, withTestMetrics } from '../loop/epochs.js';
import type { EpochTrainer, KeepBest } from '../loop/epochs.js';
import { deriveSeed, Rng } from '../random.js';
import type { TrainSettings } from '../settings.js';
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';
import { disposeUserEvalSet, type UserEvalSet, type UserSession } from './session.js';

/** Lets stop messages reach this thread during a long epoch. */
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
  augmenter: Augmenter | null,
): Promise<EpochNumbers | null> {
  const started = performance.now();
  const epoch = epochBatches(data.train, data.features, data.classes, settings.batch_size, rng, augmenter);
  const outputs: Tensor[] = [];
  try {
    for (const { x, y, rows, last } of epoch.batches()) {
      outputs.push(session.step(x, y, rows, lr, last));
      if (!last && shouldStop()) return null;
      if (outputs.length % 16 === 0) await yieldToEventLoop();
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

/** Runs the epochs of a user-model trial; returns its result (metrics and attrs). */
export async function runUserTrial(
  session: UserSession,
  data: PreparedData,
  settings: TrainSettings,
  keepBest: KeepBest | null,
  ctx: TrainContext,
  attrs: Attrs,
  segment?: { reference: number | undefined; write: (reference: number) => void },
): Promise<TrainResult> {
  const rng = new Rng(deriveSeed(ctx.seed, 'shuffle'));
  const augmenter = trialAugmenter(settings, data, ctx.seed);
  const val = data.val.n > 0 ? session.upload(data.val) : null;
  const trainEval = session.upload(trainEvalSubset(data, ctx.seed));
  const trainer: EpochTrainer<Tensor[]> = {
    epoch: async (lr, shouldStop) => {
      const numbers = await runUserEpoch(session, data, { val, trainEval }, settings, lr, rng, shouldStop, augmenter);
      return numbers === null ? null : { numbers, extra: {} };
    },
    snapshot: () => session.snapshot(),
    restore: (weights) => session.restore(weights),
    release: (weights) => tf.dispose(weights),
  };
  try {
    // A pbt segment keeps the member's first reference loss, not its trained one's.
    const reference = segment?.reference ?? initialLoss(session, data.train, data.features, settings.batch_size, disposeUserEvalSet);
    const { metrics, diverged } = await trainEpochs(trainer, reference, settings, keepBest, ctx, attrs, data.train.n);
    if (segment !== undefined && diverged === undefined && !ctx.shouldStop()) segment.write(reference);
    const samples = augmenter?.samples(data.classNames);
    if (samples) attrs[AUGMENT_SAMPLES_ATTR] = { ...samples };
    if (diverged !== undefined) return { metrics, attrs, diverged };
    return { metrics: await withTestMetrics(session, data.test, disposeUserEvalSet, metrics, attrs), attrs };
  } finally {
    if (val !== null) disposeUserEvalSet(val);
    disposeUserEvalSet(trainEval);
  }
}

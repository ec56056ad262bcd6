/**
 * One epoch of training: permuted batches through Session.step, with ctx.shouldStop() checked
 * after every batch, and the epoch's sums gathered into one tensor read once.
 */
import type { Augmenter } from '../augment.js';
import type { PreparedData } from '../data/types.js';
import { epochSums } from '../model/loss.js';
import type { Rng } from '../random.js';
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';
import { epochBatches } from './batches.js';
import type { EvalSet, Session, StepOutputs } from './session.js';

/** The numbers of a finished epoch (train and validation sums, already averaged). */
export interface EpochNumbers {
  /** Over the epoch's mini-batches as trained (dropout on, weights moving). */
  trainLoss: number;
  trainAccuracy: number;
  /** On the fixed training subset after the epoch, in evaluation mode; null without one. */
  evalTrainLoss: number | null;
  evalTrainAccuracy: number | null;
  /** The highest mean loss of one mini-batch during the epoch. */
  worstBatchLoss: number;
  valLoss: number | null;
  valAccuracy: number | null;
  updateRatio: number;
  trainSeconds: number;
}

/**
 * Trains one epoch at learning rate `lr`; then evaluates `val` and `trainEval` (a fixed
 * subset of the training rows) in evaluation mode; `augmenter` changes the training batches
 * alone. Returns null when `shouldStop` turned true
 * before the epoch's last batch.
 */
export async function runEpoch(
  session: Session,
  data: PreparedData,
  val: EvalSet | null,
  batchSize: number,
  lr: number,
  shuffleRng: Rng,
  shouldStop: () => boolean,
  trainEval: EvalSet | null = null,
  augmenter: Augmenter | null = null,
): Promise<EpochNumbers | null> {
  const started = performance.now();
  const epoch = epochBatches(data.train, data.features, data.classes, batchSize, shuffleRng, augmenter);
  const outputs: StepOutputs[] = [];
  let stopped = false;
  try {
    for (const { x, y, rows, last } of epoch.batches()) {
      outputs.push(session.step(x, y, rows, lr, last));
      if (!last && shouldStop()) {
        stopped = true;
        break;
      }
    }
    if (stopped) return null;
    const trainSeconds = (performance.now() - started) / 1000;
    const sums = tf.tidy(() => {
      const labels = tf.tensor1d(epoch.labels, 'int32');
      const parts: Tensor[] = [
        epochSums(
          outputs.map((o) => o.pTrue),
          outputs.map((o) => o.predicted),
          labels,
          batchSize,
        ),
        val === null ? tf.zeros([3]) : session.evaluate(val),
        tf.reshape(outputs[outputs.length - 1]!.updateRatio!, [1]),
        trainEval === null ? tf.zeros([3]) : session.evaluate(trainEval),
      ];
      return tf.concat(parts);
    });
    const v = (await sums.data()) as Float32Array;
    sums.dispose();
    const n = epoch.rows;
    return {
      trainLoss: v[0]! / n,
      trainAccuracy: v[1]! / n,
      worstBatchLoss: v[2]!,
      valLoss: val === null ? null : v[3]! / val.n,
      valAccuracy: val === null ? null : v[4]! / val.n,
      updateRatio: v[6]!,
      evalTrainLoss: trainEval === null ? null : v[7]! / trainEval.n,
      evalTrainAccuracy: trainEval === null ? null : v[8]! / trainEval.n,
      trainSeconds,
    };
  } finally {
    for (const o of outputs) {
      o.pTrue.dispose();
      o.predicted.dispose();
      o.updateRatio?.dispose();
    }
  }
}

/**
 * A trial of a built-in network: the epoch loop (epochs.ts) over a Session, each epoch
 * trained by runEpoch, then evaluated (validation split, training subset) and measured for
 * layer health, then the test evaluation and the layer histograms.
 */
import type { TrainContext, TrainResult } from '../../core/trainer.js';
import { AUGMENT_SAMPLES_ATTR } from '../../core/augment-samples.js';
import type { Attrs, JsonValue } from '../../core/types.js';
import { trialAugmenter, type Augmenter } from '../augment.js';
import type { PreparedData } from '../data/types.js';
import { deriveSeed, Rng } from '../random.js';
import type { TrainSettings } from '../settings.js';
import { runEpoch } from './epoch.js';
import { initialLoss, trainEpochs, trainEvalSubset, withTestMetrics } from './epochs.js';
import type { EpochTrainer, KeepBest } from './epochs.js';
import { monitorLayers } from './health.js';
import type { LayerHistogram } from '../../core/layer-histogram.js';
import { disposeEvalSet, disposeSnapshot } from './session.js';
import type { Session, Snapshot } from './session.js';

/** The epochs of a trial of a built-in network, as the epoch loop drives them. */
export interface SessionEpochs extends EpochTrainer<Snapshot> {
  /** Layer histograms of the first and latest epochs. */
  histograms(): LayerHistogram[];
  dispose(): void;
}

/**
 * The epochs of `session` on `data` as a trial of seed `seed` trains them: the validation
 * split and the training subset uploaded once, layer health monitored from the start, the
 * training batches augmented by `augmenter` when there is one.
 */
export function sessionEpochs(session: Session, data: PreparedData, batchSize: number, seed: number, augmenter: Augmenter | null = null): SessionEpochs {
  const shuffleRng = new Rng(deriveSeed(seed, 'shuffle'));
  const val = data.val.n > 0 ? session.upload(data.val) : null;
  const trainEval = session.upload(trainEvalSubset(data, seed));
  const health = monitorLayers(session, data.train);
  return {
    epoch: async (lr, shouldStop) => {
      const numbers = await runEpoch(session, data, val, batchSize, lr, shuffleRng, shouldStop, trainEval, augmenter);
      return numbers === null ? null : { numbers, extra: health.measure() };
    },
    snapshot: () => session.snapshot(),
    restore: (weights) => session.restore(weights),
    release: disposeSnapshot,
    histograms: () => health.histograms(),
    dispose: () => {
      health.dispose();
      if (val !== null) disposeEvalSet(val);
      disposeEvalSet(trainEval);
    },
  };
}

/** Runs the epochs of a trial on an initialised session; returns the trial's result. */
export async function runTrial(
  session: Session,
  data: PreparedData,
  settings: TrainSettings,
  keepBest: KeepBest | null,
  ctx: TrainContext,
  attrs: Attrs,
  /** The divergence reference: the initial loss (default: measured now, on the starting weights). */
  reference = initialLoss(session, data.train, data.features, settings.batch_size, disposeEvalSet),
): Promise<TrainResult> {
  const augmenter = trialAugmenter(settings, data, ctx.seed);
  const epochs = sessionEpochs(session, data, settings.batch_size, ctx.seed, augmenter);
  try {
    const { metrics, diverged } = await trainEpochs(epochs, reference, settings, keepBest, ctx, attrs, data.train.n);
    const histograms = epochs.histograms();
    if (histograms.length > 0) attrs['layer_histograms'] = histograms as unknown as JsonValue;
    const samples = augmenter?.samples(data.classNames);
    if (samples) attrs[AUGMENT_SAMPLES_ATTR] = { ...samples };
    if (diverged !== undefined) return { metrics, attrs, diverged };
    return { metrics: await withTestMetrics(session, data.test, disposeEvalSet, metrics, attrs), attrs };
  } finally {
    epochs.dispose();
  }
}

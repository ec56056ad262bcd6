import type { EpochRecord, FrozenTrial } from '../core/types.js';
import { parabolaVertex } from './stats.js';
import { DEFAULT_THRESHOLDS, type DiagnoseThresholds } from './thresholds.js';

/** One point of a metric's curve: the epoch (0-based, as stored) and the metric's value there. */
export interface Point {
  epoch: number;
  value: number;
}

/** The curve of one metric, sorted by epoch; records that lack the metric are left out. */
export function curveOf(epochs: readonly EpochRecord[], metric: string): Point[] {
  const out: Point[] = [];
  for (const e of epochs) {
    const v = e.metrics[metric];
    if (typeof v === 'number') out.push({ epoch: e.epoch, value: v });
  }
  return out.sort((a, b) => a.epoch - b.epoch);
}

/** The standard curves a verdict reads. */
export interface Curves {
  trainLoss: Point[];
  valLoss: Point[];
  trainAccuracy: Point[];
  valAccuracy: Point[];
  lr: Point[];
}

/**
 * The names each standard curve is read under, first found wins: hpsearch's own, then the
 * ones training scripts of a command trainer commonly print (Keras' `loss`/`accuracy`/`acc`,
 * `train_acc`, `val_acc`).
 */
export const CURVE_NAMES: Readonly<Record<keyof Curves, readonly string[]>> = {
  trainLoss: ['train_loss', 'loss'],
  valLoss: ['val_loss'],
  trainAccuracy: ['train_accuracy', 'accuracy', 'train_acc', 'acc'],
  valAccuracy: ['val_accuracy', 'val_acc'],
  lr: ['lr', 'learning_rate'],
};

function firstCurve(epochs: readonly EpochRecord[], names: readonly string[]): Point[] {
  for (const name of names) {
    const curve = curveOf(epochs, name);
    if (curve.length > 0) return curve;
  }
  return [];
}

/** Extracts the standard curves (train_loss, val_loss, train_accuracy, val_accuracy, lr), under the names of {@link CURVE_NAMES}. */
export function curvesOf(epochs: readonly EpochRecord[]): Curves {
  return {
    trainLoss: firstCurve(epochs, CURVE_NAMES.trainLoss),
    valLoss: firstCurve(epochs, CURVE_NAMES.valLoss),
    trainAccuracy: firstCurve(epochs, CURVE_NAMES.trainAccuracy),
    valAccuracy: firstCurve(epochs, CURVE_NAMES.valAccuracy),
    lr: firstCurve(epochs, CURVE_NAMES.lr),
  };
}

/** The points whose value is a finite number. */
export function finite(curve: readonly Point[]): Point[] {
  return curve.filter((p) => Number.isFinite(p.value));
}

/** The first point whose value is NaN or ±Infinity, if any. */
export function firstNonFinite(curve: readonly Point[]): Point | undefined {
  return curve.find((p) => !Number.isFinite(p.value));
}

/** Mean of the last `n` finite values (fewer when the curve is shorter); null when there are none. */
export function tailMean(curve: readonly Point[], n: number): number | null {
  const tail = finite(curve).slice(-Math.max(1, n));
  if (tail.length === 0) return null;
  return tail.reduce((s, p) => s + p.value, 0) / tail.length;
}

/** The last finite point, if any. */
export function lastFinite(curve: readonly Point[]): Point | undefined {
  const f = finite(curve);
  return f[f.length - 1];
}

/** Where a validation loss curve bottomed out, and whether it then rose enough to call it an overfit onset. */
export interface Valley {
  /** Epoch of the minimum (smoothed, then refined by a parabola fit). */
  minEpoch: number;
  /** The raw validation loss at that epoch. */
  minValue: number;
  /** The last finite point of the curve. */
  last: Point;
  /** Relative rise of the curve's final level (tail mean) over its smoothed minimum. */
  rise: number;
  /** True when the rise exceeds `onsetMinRise` while the training loss kept falling. */
  onset: boolean;
}

/**
 * Locates the bottom of the validation loss in two steps, so noise in a valley does not move
 * it: the argmin of a centred moving average (half-width `onsetSmoothing`, earliest on
 * ties), refined to the vertex of a least-squares parabola through the `onsetFitEpochs`
 * points either side of it (kept when the points bend upwards and the vertex lies among
 * them). The minimum is an overfit onset when the curve's final level then sits more than
 * `onsetMinRise` above it and the training loss at the end is no higher than at the minimum.
 */
export function valleyOf(valLoss: readonly Point[], trainLoss: readonly Point[], t: DiagnoseThresholds): Valley | null {
  const pts = finite(valLoss);
  const last = pts[pts.length - 1];
  if (last === undefined) return null;
  const h = Math.max(0, Math.floor(t.onsetSmoothing));
  let best = 0;
  let bestSmooth = Infinity;
  for (let i = 0; i < pts.length; i++) {
    const window = pts.slice(Math.max(0, i - h), i + h + 1);
    const s = window.reduce((acc, p) => acc + p.value, 0) / window.length;
    if (s < bestSmooth) {
      bestSmooth = s;
      best = i;
    }
  }
  const min = refineMinimum(pts, best, t) ?? last;
  const level = tailMean(pts, t.tailEpochs) ?? last.value;
  const rise = bestSmooth > 0 ? (level - bestSmooth) / bestSmooth : level - bestSmooth;
  const trainAtMin = finite(trainLoss).filter((p) => p.epoch <= min.epoch).pop();
  const trainEnd = tailMean(trainLoss, t.tailEpochs);
  const trainKeptFalling = trainAtMin === undefined || trainEnd === null || trainEnd <= trainAtMin.value;
  const onset = min.epoch < last.epoch && rise > t.onsetMinRise && trainKeptFalling;
  return { minEpoch: min.epoch, minValue: min.value, last, rise, onset };
}

/** The point nearest the vertex of a parabola fitted around `pts[center]`, or that point itself. */
function refineMinimum(pts: readonly Point[], center: number, t: DiagnoseThresholds): Point | undefined {
  const w = Math.max(0, Math.floor(t.onsetFitEpochs));
  const around = pts.slice(Math.max(0, center - w), center + w + 1);
  const origin = pts[center];
  const first = around[0];
  const last = around[around.length - 1];
  if (origin === undefined || first === undefined || last === undefined) return origin;
  const vertex = parabolaVertex(
    around.map((p) => p.epoch - origin.epoch),
    around.map((p) => p.value),
  );
  if (vertex === null) return origin;
  const x = origin.epoch + vertex;
  if (x < first.epoch || x > last.epoch) return origin;
  return around.reduce((a, b) => (Math.abs(b.epoch - x) < Math.abs(a.epoch - x) ? b : a));
}

/**
 * The epoch a trial's figures come from — the one rule `check`, `diagnose` and the verdicts
 * share: the epoch whose weights the trial kept, i.e. its `best_epoch` attribute (set by
 * restore_best) when that epoch was stored, else its last stored epoch. Null without epochs.
 */
export function resultEpoch(trial: Pick<FrozenTrial, 'attrs'>, epochs: readonly EpochRecord[]): { epoch: number; source: 'best_epoch' | 'last_epoch' } | null {
  const best = trial.attrs['best_epoch'];
  if (typeof best === 'number' && epochs.some((e) => e.epoch === best)) return { epoch: best, source: 'best_epoch' };
  const last = epochs.reduce<number | null>((m, e) => (m === null || e.epoch > m ? e.epoch : m), null);
  return last === null ? null : { epoch: last, source: 'last_epoch' };
}

/** The epochs up to the trial's result epoch ({@link resultEpoch}): what its levels are measured over. */
export function upToResult(trial: Pick<FrozenTrial, 'attrs'>, epochs: readonly EpochRecord[]): EpochRecord[] {
  const end = resultEpoch(trial, epochs);
  return end === null ? [] : epochs.filter((e) => e.epoch <= end.epoch);
}

/**
 * The epochs a level (the mean of the last `n` finite values of a curve) was taken over,
 * as a label: "epochs 7–9", "epoch 0"; null when the curve has no finite value.
 */
export function windowLabel(curve: readonly Point[], n: number): string | null {
  const tail = finite(curve).slice(-Math.max(1, n));
  const first = tail[0];
  const last = tail[tail.length - 1];
  if (first === undefined || last === undefined) return null;
  return first.epoch === last.epoch ? `epoch ${first.epoch}` : `mean of epochs ${first.epoch}–${last.epoch}`;
}

/**
 * A trial's training-accuracy level as verdicts judge it: the mean of its last `tailEpochs`
 * finite training accuracies (pass the epochs {@link upToResult} keeps), or null without that curve.
 */
export function trainAccuracyLevel(epochs: readonly EpochRecord[], thresholds?: Partial<DiagnoseThresholds>): number | null {
  const tail = thresholds?.tailEpochs ?? DEFAULT_THRESHOLDS.tailEpochs;
  return tailMean(firstCurve(epochs, CURVE_NAMES.trainAccuracy), tail);
}

/**
 * The study's best training accuracy, measured like {@link trainAccuracyLevel}: what to pass
 * as `reference.bestTrainAccuracy` to {@link diagnoseTrial}. Null when no trial has the curve.
 */
export function bestTrainAccuracy(curves: readonly (readonly EpochRecord[])[], thresholds?: Partial<DiagnoseThresholds>): number | null {
  let best: number | null = null;
  for (const epochs of curves) {
    const level = trainAccuracyLevel(epochs, thresholds);
    if (level !== null && (best === null || level > best)) best = level;
  }
  return best;
}

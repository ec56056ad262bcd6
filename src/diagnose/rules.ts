import type { FrozenTrial } from '../core/types.js';
import { finite, firstNonFinite, tailMean, type Curves, type Point, type Valley } from './curves.js';
import { evidenceValue, fmt, pct } from './format.js';
import type { DiagnoseThresholds } from './thresholds.js';
import type { Evidence, Verdict } from './types.js';

/** What one rule found: its verdict with the numbers, a one-line summary and a hint. */
export interface Finding {
  verdict: Verdict;
  evidence: Evidence;
  summary: string;
  hint: string;
}

/** Everything the rules read about one trial, computed once. */
export interface RuleInput {
  trial: FrozenTrial;
  /** The whole curves (divergence, stalls and the overfit onset read these). */
  curves: Curves;
  /** The curves up to the trial's result epoch (`resultEpoch`): levels are the mean of their last `tailEpochs` values. */
  levels: Curves;
  /** Which epochs those levels are the mean of, e.g. "mean of epochs 26–28". */
  window: string;
  valley: Valley | null;
  /** The accuracy a trial should reach in training, and where that number comes from. */
  target: AccuracyTarget | null;
  t: DiagnoseThresholds;
}

export interface AccuracyTarget {
  /** The lowest training accuracy that is not high bias. */
  value: number;
  /** The reference accuracy (1 − the reference error) the avoidable bias is measured from. */
  reference: number;
  /** "diagnose.target_accuracy", or how it was derived from the study's best trial. */
  source: string;
}

/** Parameter names read as the learning rate α, in order of preference. */
export const LEARNING_RATE_PARAMS = ['learning_rate', 'lr', 'alpha'] as const;

/** The trial's learning rate: a searched/fixed parameter, else the first finite `lr` reported. */
export function learningRateOf(trial: FrozenTrial, curves: Curves): { name: string; value: number } | null {
  for (const name of LEARNING_RATE_PARAMS) {
    const v = trial.params[name];
    if (typeof v === 'number') return { name, value: v };
  }
  const first = finite(curves.lr)[0];
  return first === undefined ? null : { name: 'lr', value: first.value };
}

/** The training accuracy to reach: `diagnose.target_accuracy` if set, else the study's best minus the tolerance. */
export function accuracyTarget(
  reference: { bestTrainAccuracy: number | null; targetAccuracy: number | null },
  t: DiagnoseThresholds,
): AccuracyTarget | null {
  if (reference.targetAccuracy !== null) {
    return { value: reference.targetAccuracy, reference: reference.targetAccuracy, source: 'diagnose.target_accuracy' };
  }
  if (reference.bestTrainAccuracy === null) return null;
  return {
    value: reference.bestTrainAccuracy - t.biasTolerance,
    reference: reference.bestTrainAccuracy,
    source: `the study's best train_accuracy ${fmt(reference.bestTrainAccuracy)} − ${fmt(t.biasTolerance)}`,
  };
}

/** Diverged: a non-finite loss, a trial ended as diverged, or a training loss above `explodeFactor` × its first value. */
export function checkDiverged({ trial, curves, t }: RuleInput): Finding | null {
  const alpha = learningRateOf(trial, curves);
  const hint =
    alpha === null
      ? 'lower α (the learning rate) until the loss stays finite; gradient clipping or a warm-up also help'
      : `lower α: ${alpha.name} was ${fmt(alpha.value)} in this trial; lower it (or the range's maximum) until the loss stays finite`;
  const alphaEvidence: Evidence = alpha === null ? {} : { [alpha.name]: evidenceValue(alpha.value) };
  const alphaText = alpha === null ? '' : ` (${alpha.name} ${fmt(alpha.value)})`;

  const bad = [
    { metric: 'train_loss', point: firstNonFinite(curves.trainLoss) },
    { metric: 'val_loss', point: firstNonFinite(curves.valLoss) },
  ]
    .filter((b): b is { metric: string; point: Point } => b.point !== undefined)
    .sort((a, b) => a.point.epoch - b.point.epoch)[0];
  if (bad !== undefined) {
    return {
      verdict: 'diverged',
      evidence: { ...alphaEvidence, nonfinite_metric: bad.metric, nonfinite_epoch: bad.point.epoch, nonfinite_value: fmt(bad.point.value) },
      summary: `diverged: ${bad.metric} became ${fmt(bad.point.value)} at epoch ${bad.point.epoch}${alphaText}`,
      hint,
    };
  }

  const pts = finite(curves.trainLoss);
  const first = pts[0];
  if (first !== undefined && first.value > 0) {
    const peak = pts.slice(1).reduce<Point | undefined>((m, p) => (m === undefined || p.value > m.value ? p : m), undefined);
    if (peak !== undefined && peak.value > t.explodeFactor * first.value) {
      const ratio = peak.value / first.value;
      return {
        verdict: 'diverged',
        evidence: {
          ...alphaEvidence,
          train_loss_first: evidenceValue(first.value),
          train_loss_peak: evidenceValue(peak.value),
          train_loss_peak_epoch: peak.epoch,
          loss_ratio: evidenceValue(ratio),
          explode_factor: t.explodeFactor,
        },
        summary:
          `diverged: train_loss rose from ${fmt(first.value)} at epoch ${first.epoch} to ${fmt(peak.value)} at epoch ${peak.epoch} ` +
          `(${fmt(ratio)}× its first value, limit ${fmt(t.explodeFactor)}×)${alphaText}`,
        hint,
      };
    }
  }

  if (trial.state === 'diverged') {
    const why = trial.error === null ? '' : `: ${trial.error}`;
    return {
      verdict: 'diverged',
      evidence: { ...alphaEvidence, state: trial.state, error: trial.error },
      summary: `diverged: the trial was ended as diverged${why}${alphaText}`,
      hint,
    };
  }
  return null;
}

/**
 * Stalled: over the first `stallEpochs` epochs the training loss fell by less than
 * `stallImprovement` of its first value (a loss that rose instead is not a stall: raising α
 * would not help it). Not called when the training accuracy nonetheless meets the target,
 * so a trial that converged within its first epoch is not reported as stalled.
 */
export function checkStalled({ trial, curves, levels, target, t }: RuleInput): Finding | null {
  const window = finite(curves.trainLoss).slice(0, t.stallEpochs);
  const first = window[0];
  const last = window[window.length - 1];
  if (first === undefined || last === undefined || window.length < t.stallEpochs || first.value === 0) return null;
  const lowest = Math.min(...window.map((p) => p.value));
  const improvement = (first.value - lowest) / Math.abs(first.value);
  const rose = (last.value - first.value) / Math.abs(first.value) > t.stallImprovement;
  if (improvement >= t.stallImprovement || rose) return null;
  const accuracy = tailMean(levels.trainAccuracy, t.tailEpochs);
  if (target !== null && accuracy !== null && accuracy >= target.value) return null;

  const alpha = learningRateOf(trial, curves);
  const alphaText = alpha === null ? 'raise α (the learning rate)' : `raise α (${alpha.name} was ${fmt(alpha.value)} in this trial)`;
  return {
    verdict: 'stalled',
    evidence: {
      ...(alpha === null ? {} : { [alpha.name]: evidenceValue(alpha.value) }),
      stall_epochs: window.length,
      train_loss_first: evidenceValue(first.value),
      train_loss_window_min: evidenceValue(lowest),
      stall_improvement: evidenceValue(improvement),
      stall_limit: t.stallImprovement,
    },
    summary:
      `stalled: train_loss moved ${pct(Math.max(0, improvement))} over epochs ${first.epoch}–${last.epoch} ` +
      `(${fmt(first.value)} → ${fmt(lowest)}; less than ${pct(t.stallImprovement)})`,
    hint: `${alphaText}; check the initialisation: zeros and too-small weights stall deep nets`,
  };
}

/** Accuracy of guessing among the trial's classes (its `classes` attribute), or null when unknown. */
export function chanceAccuracy(trial: FrozenTrial): number | null {
  const c = trial.attrs['classes'];
  return typeof c === 'number' && Number.isInteger(c) && c >= 2 ? 1 / c : null;
}

/**
 * High bias: the training accuracy (tail mean) is below the target, or near chance (see
 * `chanceMargin`) whatever the target. Needs a train_accuracy curve.
 */
export function checkHighBias({ trial, levels, window, target, t }: RuleInput): Finding | null {
  const accuracy = tailMean(levels.trainAccuracy, t.tailEpochs);
  if (accuracy === null) return null;
  const hint = 'bigger network (more units or layers), train longer, less regularisation (lower L2, less dropout)';
  const chance = chanceAccuracy(trial);
  if (chance !== null && accuracy < chance + t.chanceMargin * (1 - chance)) {
    return {
      verdict: 'high_bias',
      evidence: { train_accuracy: evidenceValue(accuracy), chance_accuracy: evidenceValue(chance), chance_margin: t.chanceMargin },
      summary: `high bias: train_accuracy ${fmt(accuracy)} (${window}) is near chance (1/${Math.round(1 / chance)} = ${fmt(chance)})`,
      hint: `${hint}; at chance, also check the initialisation (large weights saturate sigmoid and tanh units) and α`,
    };
  }
  if (target === null || accuracy >= target.value) return null;
  const bias = target.reference - accuracy;
  return {
    verdict: 'high_bias',
    evidence: {
      train_accuracy: evidenceValue(accuracy),
      target_accuracy: evidenceValue(target.value),
      target_source: target.source,
      avoidable_bias: evidenceValue(bias),
    },
    summary:
      `high bias: train_accuracy ${fmt(accuracy)} (${window}) is below the target ${fmt(target.value)} (${target.source}): ` +
      `avoidable bias ${fmt(bias)}`,
    hint,
  };
}

/**
 * High variance: validation clearly worse than training — an accuracy gap above
 * `varianceAccuracyGap`, a final validation loss above both `varianceLossRatio` × and
 * `varianceLossGap` + the training loss, or a validation loss that rose from its minimum
 * (an overfit onset) while the training loss kept falling.
 */
export function checkHighVariance({ levels, window, valley, t }: RuleInput): Finding | null {
  const trainAcc = tailMean(levels.trainAccuracy, t.tailEpochs);
  const valAcc = tailMean(levels.valAccuracy, t.tailEpochs);
  const trainLoss = tailMean(levels.trainLoss, t.tailEpochs);
  const valLoss = tailMean(levels.valLoss, t.tailEpochs);
  const gap = trainAcc !== null && valAcc !== null ? trainAcc - valAcc : null;
  const byAccuracy = gap !== null && gap > t.varianceAccuracyGap;
  // The course notes' variance is the train–validation error gap: the loss ratio stands in
  // only without accuracies (a confident classifier's validation loss is many times its
  // training loss at a small error gap).
  const byLoss =
    gap === null &&
    trainLoss !== null &&
    valLoss !== null &&
    trainLoss > 0 &&
    valLoss > t.varianceLossRatio * trainLoss &&
    valLoss - trainLoss > t.varianceLossGap;
  const byOnset = valley?.onset === true;
  if (!byAccuracy && !byLoss && !byOnset) return null;

  const reasons = [byAccuracy && 'accuracy_gap', byLoss && 'loss_ratio', byOnset && 'onset'].filter((r) => r !== false);
  const parts: string[] = [];
  if (byOnset && valley !== null) {
    parts.push(
      `val_loss bottomed out at epoch ${valley.minEpoch} (${fmt(valley.minValue)}) then rose to ${fmt(valley.last.value)} by epoch ${valley.last.epoch}`,
    );
  }
  if (trainAcc !== null && valAcc !== null) parts.push(`train/val accuracy ${fmt(trainAcc)}/${fmt(valAcc)} (${window})`);
  if (byLoss || trainAcc === null || valAcc === null) parts.push(`train/val loss ${fmt(trainLoss)}/${fmt(valLoss)} (${window})`);
  const stop = byOnset && valley !== null ? `early stopping at epoch ${valley.minEpoch}` : 'early stopping';
  return {
    verdict: 'high_variance',
    evidence: {
      variance_reasons: reasons.join(','),
      accuracy_gap: evidenceValue(gap),
      accuracy_gap_limit: t.varianceAccuracyGap,
      val_train_loss_ratio: trainLoss !== null && valLoss !== null && trainLoss > 0 ? evidenceValue(valLoss / trainLoss) : null,
      val_loss_rise: evidenceValue(valley?.rise),
    },
    summary: `high variance: ${parts.join('; ')}`,
    hint: `more data, L2 regularisation, dropout, or ${stop}`,
  };
}

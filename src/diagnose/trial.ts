import type { EpochRecord, FrozenTrial } from '../core/types.js';
import { curvesOf, finite, resultEpoch, tailMean, upToResult, valleyOf, windowLabel, type Curves, type Point } from './curves.js';
import { labelsOf, type Window } from './labels.js';
import { evidenceValue, fmt } from './format.js';
import {
  accuracyTarget,
  checkDiverged,
  checkHighBias,
  checkHighVariance,
  checkStalled,
  learningRateOf,
  type AccuracyTarget,
  type Finding,
  type RuleInput,
} from './rules.js';
import { checkLayerHealth } from './layer-health.js';
import { DEFAULT_THRESHOLDS, type DiagnoseThresholds } from './thresholds.js';
import { verdictLabel, type Diagnosis, type Evidence } from './types.js';

/** What {@link diagnoseTrial} reads: one trial, its curves, and what its training accuracy is judged against. */
export interface TrialInput {
  trial: FrozenTrial;
  epochs: EpochRecord[];
  reference: {
    /** The study's best training accuracy, measured with `bestTrainAccuracy()` (null if unknown). */
    bestTrainAccuracy: number | null;
    /** `diagnose.target_accuracy` from the spec, which wins over the study's best when set. */
    targetAccuracy: number | null;
  };
}

/**
 * Gives one trial a verdict from its curves (train_loss, train_accuracy, val_loss,
 * val_accuracy, lr), with the numbers behind it, a hint and a one-line summary.
 * Precedence: diverged > stalled > high_bias > high_variance > good_fit; further verdicts
 * that also apply are listed in `also`. `unknown` when there are fewer than `minEpochs`
 * finite training losses, or no validation curve to judge the fit by. Epochs are reported
 * 0-based, as stored.
 */
export function diagnoseTrial(input: TrialInput, thresholds?: Partial<DiagnoseThresholds>): Diagnosis {
  const t: DiagnoseThresholds = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const curves = curvesOf(input.epochs);
  const levels = curvesOf(upToResult(input.trial, input.epochs));
  const end = resultEpoch(input.trial, input.epochs);
  const window: Window = {
    text: windowLabel(levels.trainAccuracy.length > 0 ? levels.trainAccuracy : levels.trainLoss, t.tailEpochs) ?? 'no epochs',
    result: end?.epoch ?? null,
    source: end?.source ?? null,
  };
  const valley = valleyOf(curves.valLoss, curves.trainLoss, t);
  const target = accuracyTarget(input.reference, t);
  const rule: RuleInput = { trial: input.trial, curves, levels, window: window.text, valley, target, t };
  const base = baseEvidence(input, curves, levels, window, target, t);
  const layer = checkLayerHealth(input.epochs, t);
  const assemble = (primary: Finding, curveRest: Finding[], onset: number | null): Diagnosis =>
    withLabels(combine(base, layer, primary, curveRest, onset), curves, window, target);

  const diverged = checkDiverged(rule);
  if (diverged !== null) return assemble(diverged, [], null);

  const losses = finite(curves.trainLoss).length;
  if (losses < t.minEpochs) {
    const failed = input.trial.state === 'failed' && input.epochs.length === 0;
    const why = input.trial.error === null ? '' : ` (${input.trial.error})`;
    return assemble(
      {
        verdict: 'unknown',
        evidence: { finite_train_losses: losses, min_epochs: t.minEpochs },
        summary: failed
          ? `unknown: the trial failed without curves${why}`
          : losses === 0 && input.epochs.length > 0
            ? `unknown: no train_loss was recorded (the trial reported ${reported(input.epochs)}), so bias and variance cannot be judged`
            : `unknown: ${losses} epoch(s) with a finite train_loss, ${t.minEpochs} needed`,
        hint: failed
          ? "see the trial's error"
          : losses === 0 && input.epochs.length > 0
            ? 'report train_loss (and train_accuracy) each epoch beside the validation metrics, e.g. a line `train_loss=0.41 train_accuracy=0.88 val_loss=0.45 val_accuracy=0.86`'
            : 'train for more epochs before judging the fit',
      },
      [],
      null,
    );
  }

  const onset = valley?.onset === true ? valley.minEpoch : null;
  const findings = [checkStalled(rule), checkHighBias(rule), checkHighVariance(rule)].filter((f): f is Finding => f !== null);
  const [primary, ...rest] = findings;
  if (primary !== undefined) return assemble(primary, rest, onset);

  if (finite(curves.valLoss).length === 0 && finite(curves.valAccuracy).length === 0) {
    return assemble(
      {
        verdict: 'unknown',
        evidence: {},
        summary: 'unknown: training looks healthy, but there is no validation curve to judge the fit by',
        hint: 'hold out a validation split',
      },
      [],
      onset,
    );
  }
  return assemble(goodFit(levels, window.text, t), [], onset);
}

/** The metric names a trial's epochs recorded, for a message. */
function reported(epochs: readonly EpochRecord[]): string {
  const names = [...new Set(epochs.flatMap((e) => Object.keys(e.metrics)))];
  return names.length === 0 ? 'no metric' : names.join(', ');
}

function goodFit(levels: Curves, window: string, t: DiagnoseThresholds): Finding {
  const trainAcc = tailMean(levels.trainAccuracy, t.tailEpochs);
  const valAcc = tailMean(levels.valAccuracy, t.tailEpochs);
  const lastVal = finite(levels.valLoss).pop();
  const parts: string[] = [];
  if (trainAcc !== null && valAcc !== null) parts.push(`train/val accuracy ${fmt(trainAcc)}/${fmt(valAcc)} (${window})`);
  if (lastVal !== undefined) parts.push(`val_loss ${fmt(lastVal.value)} at epoch ${lastVal.epoch}`);
  return {
    verdict: 'good_fit',
    evidence: {},
    summary: `good fit: ${parts.join('; ')}`,
    hint: 'no change needed: training and validation agree; search around these values to gain more',
  };
}

/** The verdict `primary`, with `curveRest` and the layer-health findings as further verdicts (their hints added). */
function combine(base: Evidence, layer: Finding[], primary: Finding, curveRest: Finding[], onset: number | null): Omit<Diagnosis, 'labels'> {
  const rest = [...curveRest, ...layer];
  const also = rest.map((f) => f.verdict);
  const alsoText = also.length === 0 ? '' : ` (also ${also.map(verdictLabel).join(', ')})`;
  const evidence: Evidence = { ...base };
  for (const f of rest) Object.assign(evidence, f.evidence);
  Object.assign(evidence, primary.evidence);
  const hint = [primary.hint, ...layer.map((f) => f.hint)].join('; ');
  return { verdict: primary.verdict, evidence, hint, summary: primary.summary + alsoText, overfitOnset: onset, also };
}

/** The diagnosis with a label for each evidence figure (which epochs, which metric). */
function withLabels(d: Omit<Diagnosis, 'labels'>, curves: Curves, window: Window, target: AccuracyTarget | null): Diagnosis {
  return { ...d, labels: labelsOf(d.evidence, curves, window, target) };
}

/** The standard measures of a trial, recorded with every verdict. */
function baseEvidence(input: TrialInput, curves: Curves, levels: Curves, window: Window, target: AccuracyTarget | null, t: DiagnoseThresholds): Evidence {
  const alpha = learningRateOf(input.trial, curves);
  const trainAcc = tailMean(levels.trainAccuracy, t.tailEpochs);
  const valAcc = tailMean(levels.valAccuracy, t.tailEpochs);
  const lowest = finite(curves.valLoss).reduce<Point | undefined>((a, b) => (a === undefined || b.value < a.value ? b : a), undefined);
  return {
    epochs: input.epochs.length,
    state: input.trial.state,
    result_epoch: window.result,
    value: evidenceValue(input.trial.value),
    ...(alpha === null ? {} : { [alpha.name]: evidenceValue(alpha.value) }),
    train_loss_first: evidenceValue(finite(curves.trainLoss)[0]?.value),
    train_loss_final: evidenceValue(tailMean(levels.trainLoss, t.tailEpochs)),
    val_loss_final: evidenceValue(tailMean(levels.valLoss, t.tailEpochs)),
    train_accuracy: evidenceValue(trainAcc),
    val_accuracy: evidenceValue(valAcc),
    accuracy_gap: trainAcc !== null && valAcc !== null ? evidenceValue(trainAcc - valAcc) : null,
    // The curve's lowest point as measured; the smoothed bottom (valley) is what dates an
    // overfit onset, reported by the high-variance finding.
    val_loss_min: evidenceValue(lowest?.value),
    val_loss_min_epoch: lowest?.epoch ?? null,
    target_accuracy: evidenceValue(target?.value),
  };
}

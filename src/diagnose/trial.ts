import type { EpochRecord, FrozenTrial } from '../core/types.js';
import { curvesOf, finite, tailMean, valleyOf, type Curves, type Point, type Valley } from './curves.js';
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
  const valley = valleyOf(curves.valLoss, curves.trainLoss, t);
  const target = accuracyTarget(input.reference, t);
  const rule: RuleInput = { trial: input.trial, curves, valley, target, t };
  const base = baseEvidence(input, curves, valley, target, t);
  const layer = checkLayerHealth(input.epochs, t);

  const diverged = checkDiverged(rule);
  if (diverged !== null) return assemble(base, layer, diverged, [], null);

  const losses = finite(curves.trainLoss).length;
  if (losses < t.minEpochs) {
    const failed = input.trial.state === 'failed' && input.epochs.length === 0;
    const why = input.trial.error === null ? '' : ` (${input.trial.error})`;
    return assemble(
      base,
      layer,
      {
        verdict: 'unknown',
        evidence: { finite_train_losses: losses, min_epochs: t.minEpochs },
        summary: failed
          ? `unknown: the trial failed without curves${why}`
          : `unknown: ${losses} epoch(s) with a finite train_loss, ${t.minEpochs} needed`,
        hint: failed ? "see the trial's error" : 'train for more epochs before judging the fit',
      },
      [],
      null,
    );
  }

  const onset = valley?.onset === true ? valley.minEpoch : null;
  const findings = [checkStalled(rule), checkHighBias(rule), checkHighVariance(rule)].filter((f): f is Finding => f !== null);
  const [primary, ...rest] = findings;
  if (primary !== undefined) return assemble(base, layer, primary, rest, onset);

  if (finite(curves.valLoss).length === 0 && finite(curves.valAccuracy).length === 0) {
    return assemble(
      base,
      layer,
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
  return assemble(base, layer, goodFit(curves, t), [], onset);
}

function goodFit(curves: Curves, t: DiagnoseThresholds): Finding {
  const trainAcc = tailMean(curves.trainAccuracy, t.tailEpochs);
  const valAcc = tailMean(curves.valAccuracy, t.tailEpochs);
  const lastVal = finite(curves.valLoss).pop();
  const parts: string[] = [];
  if (trainAcc !== null && valAcc !== null) parts.push(`train/val accuracy ${fmt(trainAcc)}/${fmt(valAcc)}`);
  if (lastVal !== undefined) parts.push(`val_loss ${fmt(lastVal.value)} at epoch ${lastVal.epoch}`);
  return {
    verdict: 'good_fit',
    evidence: {},
    summary: `good fit: ${parts.join('; ')}`,
    hint: 'no change needed: training and validation agree; search around these values to gain more',
  };
}

/** The verdict `primary`, with `curveRest` and the layer-health findings as further verdicts (their hints added). */
function assemble(base: Evidence, layer: Finding[], primary: Finding, curveRest: Finding[], onset: number | null): Diagnosis {
  const rest = [...curveRest, ...layer];
  const also = rest.map((f) => f.verdict);
  const alsoText = also.length === 0 ? '' : ` (also ${also.map(verdictLabel).join(', ')})`;
  const evidence: Evidence = { ...base };
  for (const f of rest) Object.assign(evidence, f.evidence);
  Object.assign(evidence, primary.evidence);
  const hint = [primary.hint, ...layer.map((f) => f.hint)].join('; ');
  return { verdict: primary.verdict, evidence, hint, summary: primary.summary + alsoText, overfitOnset: onset, also };
}

/** The standard measures of a trial, recorded with every verdict. */
function baseEvidence(input: TrialInput, curves: Curves, valley: Valley | null, target: AccuracyTarget | null, t: DiagnoseThresholds): Evidence {
  const alpha = learningRateOf(input.trial, curves);
  const trainAcc = tailMean(curves.trainAccuracy, t.tailEpochs);
  const valAcc = tailMean(curves.valAccuracy, t.tailEpochs);
  const lowest = finite(curves.valLoss).reduce<Point | undefined>((a, b) => (a === undefined || b.value < a.value ? b : a), undefined);
  return {
    epochs: input.epochs.length,
    state: input.trial.state,
    ...(alpha === null ? {} : { [alpha.name]: evidenceValue(alpha.value) }),
    train_loss_first: evidenceValue(finite(curves.trainLoss)[0]?.value),
    train_loss_final: evidenceValue(tailMean(curves.trainLoss, t.tailEpochs)),
    val_loss_final: evidenceValue(tailMean(curves.valLoss, t.tailEpochs)),
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

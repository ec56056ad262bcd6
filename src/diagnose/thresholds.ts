/**
 * The named settings behind every verdict and suggestion. Each default is documented here
 * and nowhere else: rules read these fields instead of writing numbers in code.
 */

/** Settings of the per-trial verdicts ({@link diagnoseTrial}). */
export interface DiagnoseThresholds {
  /**
   * Fewest epochs with a finite training loss needed for any verdict other than `diverged`;
   * below this the verdict is `unknown`. Default 3 (as many as the stall window needs).
   */
  minEpochs: number;
  /**
   * Exploding loss: the trial diverged when its training loss rises above this multiple of
   * its first finite value. Default 3. (Validation loss is not checked against this: an
   * overfitting network's validation loss legitimately grows several-fold.)
   */
  explodeFactor: number;
  /** Stall window: how many first epochs the training loss must improve over. Default 3. */
  stallEpochs: number;
  /**
   * Stalled: the training loss fell by less than this fraction of its first value over the
   * stall window. Default 0.01 (1 %).
   */
  stallImprovement: number;
  /**
   * Without `diagnose.target_accuracy`, a trial's training accuracy must come within this
   * many accuracy points of the study's best training accuracy, or it has high bias.
   * Default 0.05.
   */
  biasTolerance: number;
  /**
   * A training accuracy below chance (1/C, with C the trial's `classes` attribute) plus this
   * fraction of the way from chance to 1 is high bias whatever the target: a network at
   * chance has learnt nothing, even when no trial of the study did better. Default 0.1.
   */
  chanceMargin: number;
  /**
   * "Final" accuracies and losses are the mean of the last this-many finite values of a
   * curve, so one noisy epoch does not decide a verdict. Default 3.
   */
  tailEpochs: number;
  /** High variance: training accuracy exceeds validation accuracy by more than this. Default 0.05. */
  varianceAccuracyGap: number;
  /**
   * High variance by loss: the final validation loss is more than this multiple of the final
   * training loss (and more than {@link varianceLossGap} above it). Default 2.
   */
  varianceLossRatio: number;
  /** High variance by loss: the absolute excess of validation over training loss. Default 0.1. */
  varianceLossGap: number;
  /**
   * Overfit onset: the validation loss's final level must exceed its minimum by more than
   * this fraction of the minimum (while the training loss keeps falling) for the minimum to
   * count as an onset. Default 0.1 (10 %), above the epoch-to-epoch noise of a validation set.
   */
  onsetMinRise: number;
  /**
   * Half-width, in epochs, of the centred moving average applied to the validation loss
   * before its minimum is located, so noise in a flat valley does not move the onset.
   * Default 1 (a 3-epoch window); 0 disables smoothing.
   */
  onsetSmoothing: number;
  /**
   * The located minimum is refined to the vertex of a least-squares parabola through this
   * many points either side of it, which averages out noise better than the moving average
   * alone. Default 3 (a 7-epoch fit); 0 disables the refinement.
   */
  onsetFitEpochs: number;
  /**
   * Dead ReLU: some hidden layer has more than this fraction of its ReLU units never positive
   * over the monitoring batch at the last epoch (`layer<k>.dead_fraction`). Default 0.6 ("most":
   * a healthy ReLU layer leaves about a third of its units off on a given batch).
   */
  deadReluFraction: number;
  /**
   * Saturated: some tanh/sigmoid layer has more than this fraction of its activations in the
   * flat tails at the last epoch (`layer<k>.saturated_fraction`). Default 0.5.
   */
  saturatedFraction: number;
  /**
   * Vanishing gradients: the first hidden layer's gradient norm is below this fraction of the
   * last hidden layer's (`layer<k>.grad_norm`, at the first epoch, before training hides it).
   * Default 0.01; healthy networks sit between about 0.3 and 3.
   */
  vanishingGradientRatio: number;
  /** Exploding gradients: the same ratio above this. Default 10. */
  explodingGradientRatio: number;
}

/** Default per-trial thresholds; override any field through `diagnoseTrial`'s second argument. */
export const DEFAULT_THRESHOLDS: Readonly<DiagnoseThresholds> = Object.freeze({
  minEpochs: 3,
  explodeFactor: 3,
  stallEpochs: 3,
  stallImprovement: 0.01,
  biasTolerance: 0.05,
  chanceMargin: 0.1,
  tailEpochs: 3,
  varianceAccuracyGap: 0.05,
  varianceLossRatio: 2,
  varianceLossGap: 0.1,
  onsetMinRise: 0.1,
  onsetSmoothing: 1,
  onsetFitEpochs: 3,
  deadReluFraction: 0.6,
  saturatedFraction: 0.5,
  vanishingGradientRatio: 0.01,
  explodingGradientRatio: 10,
});

/** Settings of the study-level suggestions ({@link diagnoseStudy}). */
export interface StudyThresholds {
  /** Fewest trials with a value before anything is said about the best trials. Default 5. */
  minTrials: number;
  /** Share of the ranked trials that count as "the best trials". Default 0.2 (the top fifth). */
  topFraction: number;
  /** At least this many trials count as "the best trials" (when that many have a value). Default 3. */
  topMin: number;
  /**
   * A range is "too wide" on one side when, beyond some cut, more than this share of the
   * trials diverged (high side) or stalled (low side), and there are at least
   * {@link minFailures} of them. Default 0.5 ("most").
   */
  failureShare: number;
  /** Fewest failed trials beyond a cut before a bound is moved. Default 3. */
  minFailures: number;
  /**
   * Largest chance probability (one-sided hypergeometric test against the study's overall
   * failure rate) for a failure cut to be reported, so that a parameter that has nothing to
   * do with failures is not blamed for them by luck. Default 0.01.
   */
  failureMaxP: number;
  /** The outer band of a range, as a fraction of its width in the sampling scale, that counts as its edge. Default 0.1. */
  edgeFraction: number;
  /** At least this share of the best trials must sit in an edge band (or use one category) to be reported. Default 0.5. */
  topShare: number;
  /**
   * Largest chance probability (hypergeometric, against how often the edge band or the
   * category occurs among all trials) for an edge or a dominant category to be reported.
   * Default 0.05.
   */
  topMaxP: number;
  /** How far to widen a range at an edge, as a fraction of its width in the sampling scale. Default 0.25. */
  widenFraction: number;
}

/** Default study-level thresholds; override any field through `diagnoseStudy`'s last argument. */
export const DEFAULT_STUDY_THRESHOLDS: Readonly<StudyThresholds> = Object.freeze({
  minTrials: 5,
  topFraction: 0.2,
  topMin: 3,
  failureShare: 0.5,
  minFailures: 3,
  failureMaxP: 0.01,
  edgeFraction: 0.1,
  topShare: 0.5,
  topMaxP: 0.05,
  widenFraction: 0.25,
});

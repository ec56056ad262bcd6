/**
 * Verdicts from training curves (diverged, stalled, high bias, high variance, good fit),
 * the study-level view of them (what the search space should change), and a plain-text
 * chart of curves.
 */
export { diagnoseTrial, type TrialInput } from './trial.js';
export { diagnoseStudy, type DiagnosedTrial } from './study.js';
export { pruningSavings, type PruningSavings } from './pruning.js';
export { asciiChart, type ChartOptions, type ChartSeries } from './chart.js';
export { bestTrainAccuracy, trainAccuracyLevel } from './curves.js';
export {
  DEFAULT_STUDY_THRESHOLDS,
  DEFAULT_THRESHOLDS,
  type DiagnoseThresholds,
  type StudyThresholds,
} from './thresholds.js';
export {
  VERDICTS,
  verdictLabel,
  type Diagnosis,
  type Evidence,
  type MajorityVerdict,
  type StudyDiagnosis,
  type Suggestion,
  type SuggestionKind,
  type Verdict,
} from './types.js';

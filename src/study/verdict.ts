import type { DiagnoseSpec } from '../core/spec.js';
import type { EpochRecord, FrozenTrial, JsonValue } from '../core/types.js';
import { bestTrainAccuracy, trainAccuracyLevel, upToResult } from '../diagnose/curves.js';
import { diagnoseTrial } from '../diagnose/trial.js';
import type { Diagnosis } from '../diagnose/types.js';

/**
 * Gives each trial its verdict when it ends, judged against the study's best training
 * accuracy so far (or `diagnose.target_accuracy`). `hpsearch diagnose` re-judges every
 * trial against the whole study later.
 */
export class VerdictKeeper {
  private best: number | null;

  constructor(
    private readonly config: DiagnoseSpec,
    finishedCurves: readonly (readonly EpochRecord[])[],
  ) {
    this.best = bestTrainAccuracy(finishedCurves);
  }

  /** The verdict of a trial that is about to be recorded, as a JSON attribute. */
  judge(trial: FrozenTrial, epochs: readonly EpochRecord[]): JsonValue {
    const level = trainAccuracyLevel(upToResult(trial, epochs));
    if (trial.state === 'complete' && level !== null && (this.best === null || level > this.best)) this.best = level;
    const diagnosis = diagnoseTrial({
      trial,
      epochs: [...epochs],
      reference: { bestTrainAccuracy: this.best, targetAccuracy: this.config.target_accuracy },
    });
    return diagnosisJson(diagnosis);
  }
}

export function diagnosisJson(d: Diagnosis): JsonValue {
  return {
    verdict: d.verdict,
    summary: d.summary,
    hint: d.hint,
    overfit_onset: d.overfitOnset,
    also: d.also,
    evidence: d.evidence,
  };
}

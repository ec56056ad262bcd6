import { isFinished, type EpochRecord, type FrozenTrial } from '../core/types.js';
// Not the diagnose/ index: `best` and `trials` load only what judges one trial.
import { bestTrainAccuracy, CURVE_NAMES, upToResult } from '../diagnose/curves.js';
import { diagnoseTrial, type TrialInput } from '../diagnose/trial.js';
import type { Diagnosis } from '../diagnose/types.js';

type Reference = TrialInput['reference'];
import type { Storage, StudyRecord } from '../store/storage.js';
import { diagnosisJson } from '../study/verdict.js';

/** The study's diagnose.target_accuracy, from its stored spec. */
function targetOf(study: StudyRecord): number | null {
  const parsed = JSON.parse(study.specJson) as { diagnose?: { target_accuracy?: number | null } };
  return parsed.diagnose?.target_accuracy ?? null;
}

/** Judges trials against the whole study (its best training accuracy, or the target). */
export interface StudyJudge {
  curves: Map<number, EpochRecord[]>;
  judge: (trial: FrozenTrial) => Diagnosis;
}

/**
 * What verdicts are judged against: the best training accuracy of the complete trials, each
 * measured up to its result epoch (as its own verdict is), or the study's target.
 */
function referenceOf(study: StudyRecord, complete: readonly Pick<FrozenTrial, 'number' | 'attrs'>[], curves: ReadonlyMap<number, EpochRecord[]>): Reference {
  const levels = complete.map((t) => upToResult(t, curves.get(t.number) ?? []));
  return { bestTrainAccuracy: bestTrainAccuracy(levels), targetAccuracy: targetOf(study) };
}

/** Whether the study's spec keeps the best epoch's weights (only then do trials carry `best_epoch`). */
function restoresBest(study: StudyRecord): boolean {
  const parsed = JSON.parse(study.specJson) as { early_terminate?: { restore_best?: boolean | null } | null };
  return parsed.early_terminate?.restore_best === true;
}

/**
 * The reference read from storage: the complete trials' training-accuracy columns, and with
 * restore_best the trials themselves (for their `best_epoch`); without it every trial's
 * result epoch is its last, and the trial rows are not read.
 */
async function studyReference(storage: Storage, study: StudyRecord): Promise<Reference> {
  const curves = await storage.getStudyEpochs(study.id, { states: ['complete'], metrics: [...CURVE_NAMES.trainAccuracy] });
  const complete = restoresBest(study)
    ? await storage.listTrials(study.id, { states: ['complete'], omitAttrs: ['verdict', 'layer_histograms'] })
    : [...curves.keys()].map((number) => ({ number, attrs: {} }));
  return referenceOf(study, complete, curves);
}

/** The judge of `trials` (the study's finished ones, complete included), from one read of every curve. */
export async function studyJudge(storage: Storage, study: StudyRecord, trials: readonly FrozenTrial[]): Promise<StudyJudge> {
  const curves = await storage.getStudyEpochs(study.id);
  const reference = referenceOf(study, trials.filter((t) => t.state === 'complete'), curves);
  return { curves, judge: (trial) => diagnoseTrial({ trial, epochs: curves.get(trial.number) ?? [], reference }) };
}

/** Up to this many trials, withCurrentVerdicts reads their curves one by one rather than the whole study's. */
const FEW_TRIALS = 50;

/**
 * The trials with their verdicts judged against the whole study as it is now, so `trials`,
 * `best`, `show` and `diagnose` agree (the verdict stored when a trial ended was judged
 * against the study's best at that moment).
 */
export async function withCurrentVerdicts(storage: Storage, study: StudyRecord, trials: readonly FrozenTrial[]): Promise<FrozenTrial[]> {
  const reference = await studyReference(storage, study);
  const finished = trials.filter((t) => isFinished(t.state));
  const curves =
    finished.length > FEW_TRIALS
      ? await storage.getStudyEpochs(study.id)
      : new Map(await Promise.all(finished.map(async (t) => [t.number, await storage.getEpochs(study.id, t.number)] as const)));
  return trials.map((t) => {
    if (!isFinished(t.state)) return t;
    const diagnosis = diagnoseTrial({ trial: t, epochs: curves.get(t.number) ?? [], reference });
    return { ...t, attrs: { ...t.attrs, verdict: diagnosisJson(diagnosis) } };
  });
}

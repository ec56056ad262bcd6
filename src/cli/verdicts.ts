import { isFinished, type EpochRecord, type FrozenTrial } from '../core/types.js';
import { bestTrainAccuracy, diagnoseTrial, type Diagnosis } from '../diagnose/index.js';
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

export async function studyJudge(storage: Storage, study: StudyRecord): Promise<StudyJudge> {
  const curves = await storage.getStudyEpochs(study.id);
  const complete = await storage.listTrials(study.id, { states: ['complete'] });
  const reference = {
    bestTrainAccuracy: bestTrainAccuracy(complete.map((t) => curves.get(t.number) ?? [])),
    targetAccuracy: targetOf(study),
  };
  return { curves, judge: (trial) => diagnoseTrial({ trial, epochs: curves.get(trial.number) ?? [], reference }) };
}

/**
 * The trials with their verdicts judged against the whole study as it is now, so `trials`,
 * `best`, `show` and `diagnose` agree (the verdict stored when a trial ended was judged
 * against the study's best at that moment).
 */
export async function withCurrentVerdicts(storage: Storage, study: StudyRecord, trials: readonly FrozenTrial[]): Promise<FrozenTrial[]> {
  const { judge } = await studyJudge(storage, study);
  return trials.map((t) => (isFinished(t.state) ? { ...t, attrs: { ...t.attrs, verdict: diagnosisJson(judge(t)) } } : t));
}

import type { ReportInput } from '../report/index.js';
import type { Storage, StudyRecord } from '../store/storage.js';
import { withCurrentVerdicts } from './verdicts.js';

/** What the report draws, read through the Storage interface, verdicts judged against the whole study. */
export async function readReportInput(storage: Storage, study: StudyRecord): Promise<ReportInput> {
  const trials = await withCurrentVerdicts(storage, study, await storage.listTrials(study.id));
  return { study, trials, curves: await storage.getStudyEpochs(study.id) };
}

import type { MethodChoice } from '../search/auto.js';
import type { StageRanges } from '../search/sampler.js';
import type { StudyRecord } from '../store/storage.js';
import type { EpochRecord, FrozenTrial } from '../core/types.js';

/** What a study run tells its observers (the CLI's progress view, tests). All optional. */
export interface StudyEvents {
  studyStarted?(info: StudyStartInfo): void;
  trialStarted?(trial: FrozenTrial, slot: number): void;
  epoch?(trialNumber: number, epoch: EpochRecord, totalEpochs: number | null): void;
  trialFinished?(trial: FrozenTrial, seconds: number): void;
  stageDecided?(stage: StageRanges): void;
  /** Plain information worth a line (backend chosen, resumed trials, interruptions). */
  info?(message: string): void;
}

export interface StudyStartInfo {
  study: StudyRecord;
  resumed: boolean;
  /** Trials the study will have when done (null: unbounded). */
  cap: number | null;
  /** The cap is a bound, not a count (asynchronous pbt: a member that exploits may skip segments). */
  atMost?: boolean;
  /** Trials already finished before this run. */
  finishedBefore: number;
  /** The study's best value before this run (null: none complete yet). */
  bestBefore?: number | null;
  executor: string;
  slots: number;
  /** The backend the trainer uses (attrs.backend), null for the module trainer. */
  backend: string | null;
  /** What was tried to get it, for users (null when nothing to say). */
  backendNote: string | null;
  /** What method: auto chose and why (absent for the other methods). */
  choice?: MethodChoice;
}

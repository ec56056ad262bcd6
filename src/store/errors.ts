import { StorageError } from '../core/errors.js';
import type { TrialState } from '../core/types.js';

/** createStudy with a name that is taken (e.g. two processes creating one study at once). */
export class StudyExistsError extends StorageError {
  readonly studyName: string;
  constructor(name: string, location: string) {
    super(`${location}: a study named "${name}" already exists`);
    this.studyName = name;
  }
}

/** A change to a finished trial (complete, pruned, diverged, failed): finished trials are data. */
export class TrialFinishedError extends StorageError {
  constructor(studyId: number, trialNumber: number, state: TrialState, action: string) {
    super(`cannot ${action} trial ${trialNumber} of study ${studyId}: it is ${state}, and a finished trial cannot change`);
  }
}

/** An epoch index recorded twice for one attempt of a trial. */
export class DuplicateEpochError extends StorageError {
  constructor(studyId: number, trialNumber: number, epoch: number | null) {
    super(
      `trial ${trialNumber} of study ${studyId}: epoch ${epoch === null ? '(in this batch)' : String(epoch)} is already recorded`,
    );
  }
}

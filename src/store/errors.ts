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

/**
 * A guarded write (appendEpochs or finishTrial with an owner) to a trial that its writer no
 * longer owns: another process took it over (its heartbeat looked stale, or its owner
 * looked dead) and runs a later attempt, or the trial is no longer running. Nothing of the
 * write is stored.
 */
export class TrialOwnershipError extends StorageError {
  readonly studyId: number;
  readonly trialNumber: number;
  /** The owner the writer claimed to be. */
  readonly expected: { worker: string; attempt: number };
  /** The trial as stored: its owner, attempt and state. */
  readonly actual: { worker: string | null; attempt: number; state: TrialState };
  constructor(
    studyId: number,
    trialNumber: number,
    action: string,
    expected: { worker: string; attempt: number },
    actual: { worker: string | null; attempt: number; state: TrialState },
  ) {
    super(
      `cannot ${action} trial ${trialNumber} of study ${studyId} as ${expected.worker} attempt ${expected.attempt}: ` +
        `it is ${actual.state}, owned by ${actual.worker ?? '(no one)'} attempt ${actual.attempt}`,
    );
    this.studyId = studyId;
    this.trialNumber = trialNumber;
    this.expected = { worker: expected.worker, attempt: expected.attempt };
    this.actual = { worker: actual.worker, attempt: actual.attempt, state: actual.state };
  }
}

/** Rules shared by every Storage implementation, so that they behave alike. */
import { INTERRUPTIONS_ATTR } from '../core/attempts.js';
import { STAGE_RANGES_ATTR } from '../core/stages.js';
import { NotFoundError } from '../core/errors.js';
import type { Direction, EpochRecord, TrialState } from '../core/types.js';
import { TRIAL_STATES, isBetter, isFinished } from '../core/types.js';
import { TrialFinishedError, TrialOwnershipError } from './errors.js';
import type { TrialOwner } from './storage.js';

export function nowIso(now: () => Date): string {
  return now().toISOString();
}

export function emptyCounts(): Record<TrialState, number> {
  const counts = {} as Record<TrialState, number>;
  for (const s of TRIAL_STATES) counts[s] = 0;
  return counts;
}

/** The best of `values` for the direction, ignoring null and NaN; null when none. */
export function bestValue(values: Iterable<number | null>, direction: Direction): number | null {
  let best: number | null = null;
  for (const v of values) if (isBetter(v, best, direction)) best = v;
  return best;
}

export function studyNotFound(studyId: number): NotFoundError {
  return new NotFoundError(`study ${studyId} not found`);
}

export function trialNotFound(studyId: number, trialNumber: number): NotFoundError {
  return new NotFoundError(`trial ${trialNumber} of study ${studyId} not found`);
}

/** Throws when the trial is finished (complete, pruned, diverged, failed). */
export function assertMutable(studyId: number, trialNumber: number, state: TrialState, action: string): void {
  if (isFinished(state)) throw new TrialFinishedError(studyId, trialNumber, state, action);
}

/**
 * Throws TrialOwnershipError when `owner` is given and the stored trial is not running
 * under that worker and attempt; a trial finished by that very worker and attempt is left
 * to {@link assertMutable} (TrialFinishedError). Without `owner`, checks nothing.
 */
export function assertOwner(
  studyId: number,
  trialNumber: number,
  stored: { state: TrialState; worker: string | null; attempt: number },
  owner: TrialOwner | undefined,
  action: string,
): void {
  if (owner === undefined) return;
  const same = stored.worker === owner.worker && stored.attempt === owner.attempt;
  if (same && (stored.state === 'running' || isFinished(stored.state))) return;
  throw new TrialOwnershipError(studyId, trialNumber, action, owner, stored);
}

/**
 * Checks a batch of epochs: integer indices ≥ 0 and (unless `checkMetrics` is false, for a
 * caller that checks them itself) number metrics; TypeError otherwise.
 * Returns the first index that repeats within the batch or `existing`, or null.
 */
export function checkEpochs(
  trialNumber: number,
  epochs: readonly EpochRecord[],
  existing?: ReadonlySet<number>,
  checkMetrics = true,
): number | null {
  const seen = new Set<number>();
  let repeated: number | null = null;
  for (const e of epochs) {
    if (!Number.isInteger(e.epoch) || e.epoch < 0) {
      throw new TypeError(`trial ${trialNumber}: epoch index must be an integer ≥ 0, got ${String(e.epoch)}`);
    }
    if (checkMetrics) for (const [name, v] of Object.entries(e.metrics)) {
      if (typeof v !== 'number') throw new TypeError(`trial ${trialNumber} epoch ${e.epoch}: metric ${name} is not a number`);
    }
    if (repeated === null && (seen.has(e.epoch) || existing?.has(e.epoch) === true)) repeated = e.epoch;
    seen.add(e.epoch);
  }
  return repeated;
}

/**
 * Attributes a trial keeps when it is claimed to run again (set when it was created); all
 * others belonged to the previous attempt (its test metrics, backend, verdict) and go.
 */
export const TRIAL_ATTRS_KEPT_ON_CLAIM: readonly string[] = ['stage', STAGE_RANGES_ATTR, INTERRUPTIONS_ATTR, 'pbt'];

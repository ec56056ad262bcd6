/** The options of the ranking queries of Storage (topTrials, a narrowed getStudyEpochs). */
import type { Direction, EpochRecord, Metrics, TrialState } from '../core/types.js';

/** What getStudyEpochs returns when narrowed: only these trial states, only these metrics. */
export interface StudyEpochsFilter {
  states?: readonly TrialState[];
  metrics?: readonly string[];
}

export interface TopTrialsQuery {
  direction: Direction;
  /** How many trials at most. */
  limit: number;
}

/** The epoch with only the metrics named in `keep` (the record itself when `keep` is undefined). */
export function keepMetrics(epoch: EpochRecord, keep: ReadonlySet<string> | undefined): EpochRecord {
  if (keep === undefined) return epoch;
  const metrics: Metrics = {};
  for (const name of keep) {
    const v = epoch.metrics[name];
    if (v !== undefined) metrics[name] = v;
  }
  return { epoch: epoch.epoch, metrics };
}

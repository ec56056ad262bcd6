/** The options of the ranking queries of Storage (topTrials, a narrowed getStudyEpochs). */
import type { Direction, EpochRecord, Metrics, TrialState } from '../core/types.js';

/** What getStudyEpochs returns when narrowed: only these trial states, only these metrics. */
export interface StudyEpochsFilter {
  states?: readonly TrialState[];
  metrics?: readonly string[];
}

/** What listTrials returns: only trials in `states`; without the attributes named in `omitAttrs`. */
export interface TrialsFilter {
  states?: readonly TrialState[];
  /** Attribute keys left out of every record (a query that needs not, say, the stored verdicts). */
  omitAttrs?: readonly string[];
}

export interface TopTrialsQuery {
  direction: Direction;
  /** How many trials at most. */
  limit: number;
}

/** The epochs with only the metrics named in `keep`, leaving out those with none of them. */
export function keepMetrics(epochs: readonly EpochRecord[], keep: ReadonlySet<string>): EpochRecord[] {
  const out: EpochRecord[] = [];
  for (const e of epochs) {
    const metrics: Metrics = {};
    let any = false;
    for (const name of keep) {
      const v = e.metrics[name];
      if (v !== undefined) {
        metrics[name] = v;
        any = true;
      }
    }
    if (any) out.push({ epoch: e.epoch, metrics });
  }
  return out;
}

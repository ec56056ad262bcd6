// A pbt trial's lineage: the chain of segments whose weights it carries, from the member that
// started them to the trial itself, each with its parameters and where it took them from.
import type { Params } from '../core/types.js';
import type { SegmentAttr } from './pbt-sampler.js';

export interface LineageStep {
  trial: number;
  member: number;
  start_epoch: number;
  end_epoch: number;
  params: Params;
  /** Set when this segment took another member's weights (at that member's `epoch`). */
  exploited: SegmentAttr['exploited'];
  changes: SegmentAttr['changes'];
  value: number | null;
}

interface LineageTrial {
  number: number;
  params: Params;
  value: number | null;
  attrs: Record<string, unknown>;
}

/** The segments trial `number`'s weights went through, first to last (empty: not a pbt trial). */
export function lineageOf(trials: readonly LineageTrial[], number: number): LineageStep[] {
  const byNumber = new Map(trials.map((t) => [t.number, t]));
  const steps: LineageStep[] = [];
  let at: number | null = number;
  while (at !== null) {
    const t = byNumber.get(at);
    const a = t?.attrs['pbt'] as SegmentAttr | undefined;
    if (t === undefined || a === undefined || a === null || steps.length > trials.length) break;
    steps.push({ trial: t.number, member: a.member, start_epoch: a.start_epoch, end_epoch: a.end_epoch, params: t.params, exploited: a.exploited, changes: a.changes, value: t.value });
    at = a.from_trial;
  }
  return steps.reverse();
}

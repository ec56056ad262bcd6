/** What `hpsearch diagnose` lists for a study: every trial with --all, else a bounded summary. */
import { rankByValue, type Direction, type FrozenTrial } from '../core/types.js';

/** Trials listed without --all: the best complete ones. */
export const SUMMARY_TRIALS = 10;

/** The trials to list: all of them (by number) with `all`, else the best SUMMARY_TRIALS complete ones, best first. */
export function listedTrials<T extends { trial: FrozenTrial }>(diagnosed: readonly T[], direction: Direction, all: boolean): T[] {
  if (all) return [...diagnosed];
  const complete = diagnosed.filter((d) => d.trial.state === 'complete').map((d) => ({ d, value: d.trial.value, number: d.trial.number }));
  return rankByValue(complete, direction)
    .slice(0, SUMMARY_TRIALS)
    .map((r) => r.d);
}

/** The line under a bounded list, or null when every trial was listed. */
export function omittedLine(listed: number, total: number): string | null {
  return listed >= total ? null : `(${listed} of ${total} trials listed: the best complete ones; hpsearch diagnose --all lists every trial)`;
}

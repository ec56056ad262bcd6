// The rules a trial is watched by: divergence always, then the spec's early_terminate —
// early stopping (patience) on the trial's own curve, or a pruner against the study's.
import type { EarlyTerminate } from '../core/spec.js';
import { minimizes, type Direction, type EpochRecord } from '../core/types.js';
import type { StudyCurves } from './curves.js';
import { CONTINUE, type StopDecision, type StopRule } from './decision.js';
import { NonFiniteLossRule } from './divergence.js';
import { halvingPruner } from './halving.js';
import { HyperbandPruner } from './hyperband.js';
import { MedianPruner } from './median.js';
import { PatienceRule } from './patience.js';
import type { Pruner } from './pruner.js';

export type { StopDecision, StopRule } from './decision.js';
export { NonFiniteLossRule } from './divergence.js';
export { PatienceRule } from './patience.js';

export interface PrunerOptions {
  /** The study's objective: a pruner on it follows its goal; another metric's goal is told by name. */
  metric: { name: string; goal: Direction };
  /** Hyperband's bracket draw u ∈ [0, 1) of a trial, from (seed, number). */
  bracketDraw: (trial: number) => number;
}

/** The pruner of `early_terminate`, or null (none, or patience: not judged against others). */
export function createPruner(et: EarlyTerminate | null, options: PrunerOptions): Pruner | null {
  if (et === null || et.type === 'patience') return null;
  const minimize = minimizes(et.metric, options.metric);
  switch (et.type) {
    case 'median':
      return new MedianPruner(et, minimize);
    case 'successive_halving':
      return halvingPruner(et, minimize);
    case 'hyperband':
      return new HyperbandPruner(et, minimize, options.bracketDraw);
  }
}

/** Asks the pruner after each epoch (the caller records epochs in `curves` first). */
class PrunerRule implements StopRule {
  constructor(
    private readonly pruner: Pruner,
    private readonly curves: StudyCurves,
    private readonly trial: number,
  ) {}

  observe(epoch: EpochRecord): StopDecision {
    return this.pruner.prune(this.curves, this.trial, epoch.epoch);
  }
}

/**
 * The rules a trial of a study is watched by; `objective` is the study's metric (patience on it
 * follows its goal), `study` for a pruner (see createPruner).
 */
export function stopRulesFor(
  earlyTerminate: EarlyTerminate | null,
  objective: { name: string; goal: Direction },
  study?: { pruner: Pruner; curves: StudyCurves; trial: number },
): StopRule[] {
  const rules: StopRule[] = [new NonFiniteLossRule()];
  if (earlyTerminate?.type === 'patience') rules.push(new PatienceRule(earlyTerminate, minimizes(earlyTerminate.metric, objective)));
  if (study !== undefined) rules.push(new PrunerRule(study.pruner, study.curves, study.trial));
  return rules;
}

/** Runs every rule on an epoch and returns the first stop, if any. */
export function observeAll(rules: readonly StopRule[], epoch: EpochRecord): StopDecision {
  for (const rule of rules) {
    const d = rule.observe(epoch);
    if (d.stop) return d;
  }
  return CONTINUE;
}

import type { StudyCurves } from './curves.js';
import type { StopDecision } from './decision.js';

/**
 * A pruning rule judged against the other trials (Optuna's BasePruner shape): after trial
 * `trial` reported epoch `epoch` (already in `curves`), should it stop? Stateless: every
 * fact it needs is in `curves`.
 */
export interface Pruner {
  prune(curves: StudyCurves, trial: number, epoch: number): StopDecision;
}

// early_terminate: { type: successive_halving } — asynchronous successive halving (ASHA).
import type { HalvingTerminate } from '../core/spec.js';
import type { StudyCurves } from './curves.js';
import { CONTINUE, num, pruned, type StopDecision } from './decision.js';
import type { Pruner } from './pruner.js';
import { promotion, rungAt } from './rungs.js';

export interface HalvingOptions {
  minResource: number;
  eta: number;
  rate: number;
  /** Rungs at or past this many epochs are the end of training, not a cut (hyperband). */
  maxResource: number | null;
  /** Trials that compete with `trial` at a rung (hyperband: its bracket). */
  competes: (trial: number, other: number) => boolean;
  /** Name in reasons. */
  label: string;
}

/**
 * When a trial has trained min_resource · η^(rate + k) epochs (rung k) it continues only if
 * its value there is in the top 1/η of every trial that reached that rung so far, whatever
 * their state (Optuna's and Ray's ASHA: decided at once, never waiting for a full rung).
 */
export class RungPruner implements Pruner {
  constructor(
    private readonly metric: string,
    private readonly minimize: boolean,
    private readonly options: HalvingOptions,
  ) {}

  prune(curves: StudyCurves, trial: number, epoch: number): StopDecision {
    const o = this.options;
    const resource = epoch + 1;
    if (o.maxResource !== null && resource >= o.maxResource) return CONTINUE;
    const rung = rungAt(resource, o.minResource, o.eta, o.rate);
    if (rung === null) return CONTINUE;
    const value = curves.valueAt(trial, epoch);
    if (value === undefined) return CONTINUE;
    const competing: number[] = [];
    for (const n of curves.numbers()) {
      const v = n === trial || o.competes(trial, n) ? curves.valueAt(n, epoch) : undefined;
      if (v !== undefined) competing.push(v);
    }
    const p = promotion(value, competing, o.eta, this.minimize);
    if (p.promoted) return CONTINUE;
    const where = `${o.label}, epoch ${epoch} (rung ${rung}, ${resource} epochs)`;
    if (Number.isNaN(value)) return pruned(`${where}: ${this.metric} is NaN`);
    return pruned(
      `${where}: ${this.metric} ${num(value)} is not in the top ${p.keep} of ${competing.length} trials there ` +
        `(needs ${this.minimize ? '≤' : '≥'} ${num(p.threshold)})`,
    );
  }
}

export function halvingPruner(config: HalvingTerminate, minimize: boolean): RungPruner {
  return new RungPruner(config.metric, minimize, {
    minResource: config.min_resource,
    eta: config.reduction_factor,
    rate: config.min_early_stopping_rate,
    maxResource: null,
    competes: () => true,
    label: 'successive halving',
  });
}

// early_terminate: { type: median } — Optuna's MedianPruner.
import { median } from '../core/median.js';
import type { MedianTerminate } from '../core/spec.js';
import type { StudyCurves } from './curves.js';
import { CONTINUE, num, pruned, type StopDecision } from './decision.js';
import type { Pruner } from './pruner.js';

/**
 * Stops a trial whose best value up to epoch e is worse than the median of the complete
 * trials' values at e; not before `n_startup_trials` trials completed, before epoch
 * `n_warmup_steps`, off the `interval_steps` grid, or with fewer than `n_min_trials` complete
 * trials that reported epoch e. A trial whose values are all NaN is pruned; NaN values of
 * other trials are left out of the median; a tie with the median continues.
 *
 * With `include_running` (opt-in; Optuna has no such option) the trials still running beside
 * this one that reached epoch e join the population with their value at e: with parallel slots
 * the good trial in the other slot counts before it finishes, instead of the population staying
 * a trial behind. The start-up count stays over complete trials; with one slot nothing changes.
 */
export class MedianPruner implements Pruner {
  constructor(
    private readonly config: MedianTerminate,
    private readonly minimize: boolean,
  ) {}

  prune(curves: StudyCurves, trial: number, epoch: number): StopDecision {
    const c = this.config;
    if (epoch < c.n_warmup_steps || (epoch - c.n_warmup_steps) % c.interval_steps !== 0) return CONTINUE;
    const complete = curves.numbers('complete').filter((n) => n !== trial);
    if (complete.length < c.n_startup_trials) return CONTINUE;
    const best = curves.bestUpTo(trial, epoch, this.minimize);
    if (best === undefined) return CONTINUE;
    if (Number.isNaN(best)) return pruned(`median rule, epoch ${epoch}: ${c.metric} is NaN`);
    const at = (ns: number[]): number[] => ns.map((n) => curves.valueAt(n, epoch)).filter((v): v is number => v !== undefined);
    const running = c.include_running ? at(curves.numbers('running').filter((n) => n !== trial)) : [];
    const reached = [...at(complete), ...running];
    const finite = reached.filter((v) => !Number.isNaN(v));
    if (reached.length < c.n_min_trials || finite.length === 0) return CONTINUE;
    const m = median(finite);
    if (this.minimize ? best > m : best < m) {
      return pruned(`median rule, epoch ${epoch}: ${c.metric} ${num(best)} ${this.minimize ? '>' : '<'} median ${num(m)} of ${finite.length} trials${running.length > 0 ? `, ${running.length} of them running` : ''}`);
    }
    return CONTINUE;
  }
}

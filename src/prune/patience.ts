import type { PatienceTerminate } from '../core/spec.js';
import { lowerIsBetter, type EpochRecord } from '../core/types.js';
import { CONTINUE, type StopDecision, type StopRule } from './decision.js';

/**
 * Early stopping: ends the trial (as complete) when `metric` has not improved by more than
 * `min_delta` for `patience` epochs. `minimize`: the metric's goal (by default, from its name).
 */
export class PatienceRule implements StopRule {
  private best: number | null = null;
  private bestEpoch = 0;

  constructor(
    private readonly config: PatienceTerminate,
    private readonly minimize = lowerIsBetter(config.metric),
  ) {}

  observe(epoch: EpochRecord): StopDecision {
    const v = epoch.metrics[this.config.metric];
    if (v === undefined || Number.isNaN(v)) return CONTINUE;
    const best = this.best;
    const d = this.config.min_delta;
    if (best === null || (this.minimize ? v < best - d : v > best + d)) {
      this.best = v;
      this.bestEpoch = epoch.epoch;
      return CONTINUE;
    }
    if (epoch.epoch - this.bestEpoch >= this.config.patience) {
      return {
        stop: true,
        state: 'complete',
        reason:
          `early stopping: ${this.config.metric} has not improved for ${this.config.patience} epochs ` +
          `(best ${best.toPrecision(4)} at epoch ${this.bestEpoch})`,
      };
    }
    return CONTINUE;
  }
}

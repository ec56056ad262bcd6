import type { PatienceTerminate } from '../core/spec.js';
import { lowerIsBetter, type EpochRecord } from '../core/types.js';
import { CONTINUE, type StopDecision, type StopRule } from './decision.js';

/**
 * Early stopping: ends the trial (as complete) when `metric` has not improved by more than
 * `min_delta` for `patience` epochs.
 */
export class PatienceRule implements StopRule {
  private best: number | null = null;
  private bestEpoch = -1;
  private readonly minimize: boolean;

  constructor(private readonly config: PatienceTerminate) {
    this.minimize = lowerIsBetter(config.metric);
  }

  observe(epoch: EpochRecord): StopDecision {
    const v = epoch.metrics[this.config.metric];
    if (v === undefined || Number.isNaN(v)) return CONTINUE;
    const improved =
      this.best === null ||
      (this.minimize ? v < this.best - this.config.min_delta : v > this.best + this.config.min_delta);
    if (improved) {
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
          `(best ${this.best?.toPrecision(4) ?? '?'} at epoch ${this.bestEpoch})`,
      };
    }
    return CONTINUE;
  }
}

import type { EarlyTerminate } from '../core/spec.js';
import { lowerIsBetter, type EpochRecord } from '../core/types.js';

/** What a stop rule says after an epoch. */
export type StopDecision =
  | { stop: false }
  | {
      stop: true;
      /** The state the trial ends in: early stopping completes it; divergence and pruning don't. */
      state: 'complete' | 'pruned' | 'diverged';
      reason: string;
    };

const CONTINUE: StopDecision = { stop: false };

/** Watches one trial's epochs. A new instance per trial. */
export interface StopRule {
  observe(epoch: EpochRecord): StopDecision;
}


/** Losses the divergence rule watches, when reported. */
const WATCHED_LOSSES = ['train_loss', 'val_loss'] as const;

/** Stops a trial as diverged at its first non-finite loss (NaN or ±Infinity). */
export class NonFiniteLossRule implements StopRule {
  observe(epoch: EpochRecord): StopDecision {
    for (const name of WATCHED_LOSSES) {
      const v = epoch.metrics[name];
      if (v !== undefined && !Number.isFinite(v)) {
        return {
          stop: true,
          state: 'diverged',
          reason: `${name} became ${String(v)} at epoch ${epoch.epoch}: the learning rate is probably too high`,
        };
      }
    }
    return CONTINUE;
  }
}

/**
 * Early stopping: ends the trial (as complete) when `metric` has not improved by more than
 * `min_delta` for `patience` epochs.
 */
export class PatienceRule implements StopRule {
  private best: number | null = null;
  private bestEpoch = -1;
  private readonly minimize: boolean;

  constructor(private readonly config: EarlyTerminate) {
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
          `(best ${this.config.metric} ${this.best?.toPrecision(4) ?? '?'} at epoch ${this.bestEpoch}, epochs counted from 0)`,
      };
    }
    return CONTINUE;
  }
}

/** The rules a trial of a study is watched by. */
export function stopRulesFor(earlyTerminate: EarlyTerminate | null): StopRule[] {
  const rules: StopRule[] = [new NonFiniteLossRule()];
  if (earlyTerminate !== null) rules.push(new PatienceRule(earlyTerminate));
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

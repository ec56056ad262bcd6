import type { EpochRecord } from '../core/types.js';
import { CONTINUE, type StopDecision, type StopRule } from './decision.js';

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

import type { EpochRecord } from '../core/types.js';

/** What a stop rule says after an epoch. */
export type StopDecision =
  | { stop: false }
  | {
      stop: true;
      /** The state the trial ends in: early stopping completes it; divergence and pruning don't. */
      state: 'complete' | 'pruned' | 'diverged';
      reason: string;
    };

export const CONTINUE: StopDecision = { stop: false };

/** Watches one trial's epochs. A new instance per trial. */
export interface StopRule {
  observe(epoch: EpochRecord): StopDecision;
}

/** A pruning stop with its reason. */
export function pruned(reason: string): StopDecision {
  return { stop: true, state: 'pruned', reason };
}

/** A number as reasons show it: 4 significant digits, trailing zeros dropped (NaN and ±Infinity as named). */
export function num(x: number): string {
  return String(Number(x.toPrecision(4)));
}

import type { Attrs } from './types.js';

/**
 * The trial attribute counting its attempts that ended `interrupted` (a Ctrl-C, not the
 * trial's fault). Kept when the trial is claimed again, so `max_retries` counts only deaths.
 */
export const INTERRUPTIONS_ATTR = 'interruptions';

export function interruptionsOf(attrs: Attrs): number {
  const n = attrs[INTERRUPTIONS_ATTR];
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * Attempts of a trial that did not end by interruption: those whose worker died (counting
 * a running attempt whose owner is gone).
 */
export function deathsOf(trial: { attempt: number; attrs: Attrs }): number {
  return trial.attempt - interruptionsOf(trial.attrs);
}

/** The attrs that record one more interrupted attempt of a trial that had `attrs`. */
export function oneMoreInterruption(attrs: Attrs): Attrs {
  return { [INTERRUPTIONS_ATTR]: interruptionsOf(attrs) + 1 };
}

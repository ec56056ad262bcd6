import type { Distribution } from './distributions.js';
import type { Params } from './params.js';

export type { ParamValue, Params } from './params.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type Direction = 'minimize' | 'maximize';

export const TRIAL_STATES = ['waiting', 'running', 'complete', 'pruned', 'diverged', 'failed', 'interrupted'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

/** States a trial cannot leave. */
export const FINISHED_STATES: readonly TrialState[] = ['complete', 'pruned', 'diverged', 'failed'];
export function isFinished(state: TrialState): boolean {
  return FINISHED_STATES.includes(state);
}

/**
 * Metrics of one epoch (or a trial's final metrics), by name. The standard names are
 * `train_loss`, `train_accuracy`, `val_loss`, `val_accuracy`, `lr`, `seconds`; any other
 * name is an extra metric. Values may be NaN or ±Infinity (a diverged trial).
 */
export type Metrics = Record<string, number>;

export const STANDARD_EPOCH_METRICS = ['train_loss', 'train_accuracy', 'val_loss', 'val_accuracy', 'lr', 'seconds'] as const;

export interface EpochRecord {
  /** 0-based epoch index. */
  epoch: number;
  metrics: Metrics;
}

/** Trial attributes: verdict, backend, test_loss, test_accuracy, ... */
export type Attrs = Record<string, JsonValue>;

/** How a trial's value is read from its curve. */
export type ValueBy = 'last' | 'min' | 'max';

/** Reads the value of `metric` from a curve: the last finite report, or its min or max. */
export function valueFromCurve(epochs: readonly EpochRecord[], metric: string, by: ValueBy): number | null {
  let out: number | null = null;
  for (const e of epochs) {
    const v = e.metrics[metric];
    if (v === undefined) continue;
    if (by === 'last') out = v;
    else if (!Number.isNaN(v) && (out === null || (by === 'min' ? v < out : v > out))) out = v;
  }
  return out;
}

/** True when `a` is a better value than `b` for the direction. NaN and null are worst. */
export function isBetter(a: number | null, b: number | null, direction: Direction): boolean {
  if (a === null || Number.isNaN(a)) return false;
  if (b === null || Number.isNaN(b)) return true;
  return direction === 'minimize' ? a < b : a > b;
}

/** A trial as stored: a copy, never a live handle. */
export interface FrozenTrial {
  studyId: number;
  number: number;
  state: TrialState;
  params: Params;
  distributions: Record<string, Distribution>;
  value: number | null;
  seed: number;
  attempt: number;
  started: string | null;
  finished: string | null;
  heartbeat: string | null;
  worker: string | null;
  error: string | null;
  attrs: Attrs;
}

/** Sorts trials best first by value (NaN and null last), then by number. Returns a new array. */
export function rankByValue<T extends { value: number | null; number: number }>(trials: readonly T[], direction: Direction): T[] {
  return [...trials].sort((a, b) =>
    isBetter(a.value, b.value, direction) ? -1 : isBetter(b.value, a.value, direction) ? 1 : a.number - b.number,
  );
}

/**
 * True for metrics where lower is better (losses and errors), judged by name: the spec's
 * implied goal, and the direction of a rule on a metric that is not the study's (minimizes).
 */
export function lowerIsBetter(metric: string): boolean {
  return /(loss|error|err|mse|mae|rmse|perplexity)$/i.test(metric);
}

/** Whether a rule on `metric` minimises: the study's objective follows its goal, another metric its name. */
export function minimizes(metric: string, objective: { name: string; goal: Direction }): boolean {
  return metric === objective.name ? objective.goal === 'minimize' : lowerIsBetter(metric);
}

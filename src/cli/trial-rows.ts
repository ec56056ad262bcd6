import type { FrozenTrial, JsonValue } from '../core/types.js';
import type { Cell } from './output.js';

/** Names of every parameter across trials, in first-seen order. */
export function paramNames(trials: readonly FrozenTrial[]): string[] {
  const names = new Set<string>();
  for (const t of trials) for (const k of Object.keys(t.params)) names.add(k);
  return [...names];
}

/** Seconds a trial took, when it has both ends. */
export function trialSeconds(t: FrozenTrial): number | null {
  if (t.started === null || t.finished === null) return null;
  return (Date.parse(t.finished) - Date.parse(t.started)) / 1000;
}

function attrText(v: JsonValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object' && !Array.isArray(v) && typeof v['verdict'] === 'string') return v['verdict'];
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Table head and rows for a list of trials (trials, best). */
export function trialRows(trials: readonly FrozenTrial[], metric: string): { head: string[]; rows: Cell[][] } {
  const names = paramNames(trials);
  const head = ['trial', 'state', metric, ...names, 'verdict', 'seconds', 'reason'];
  const rows = trials.map((t) => [
    t.number,
    t.state,
    t.value,
    ...names.map((n) => t.params[n]),
    attrText(t.attrs['verdict']),
    trialSeconds(t),
    t.error ?? attrText(t.attrs['stop_reason']),
  ]);
  return { head, rows };
}

/** A trial as --json prints it. */
export function trialJson(t: FrozenTrial): Record<string, unknown> {
  return {
    number: t.number,
    state: t.state,
    value: t.value,
    params: t.params,
    seed: t.seed,
    attempt: t.attempt,
    started: t.started,
    finished: t.finished,
    seconds: trialSeconds(t),
    worker: t.worker,
    error: t.error,
    attrs: t.attrs,
  };
}

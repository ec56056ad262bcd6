import type { FrozenTrial, JsonValue } from '../core/types.js';
import type { Format } from './options.js';
import { fmt, out, printRows, table, type Cell } from './output.js';

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

/** Width of the terminal tables are drawn for (stdout's, else 120 columns). */
function columns(): number {
  return process.stdout.columns > 0 ? process.stdout.columns : 120;
}

/**
 * A table of trials for people. When a column per parameter would be wider than the
 * terminal, the parameters go into one column, one `name=value` per line.
 */
export function trialTable(trials: readonly FrozenTrial[], metric: string): string {
  const { head, rows } = trialRows(trials, metric);
  const wide = table(head, rows);
  if ((wide.split('\n')[0]?.length ?? 0) <= columns()) return wide;
  const names = paramNames(trials);
  const compact = trials.map((t) => [
    t.number,
    t.state,
    t.value,
    attrText(t.attrs['verdict']),
    trialSeconds(t),
    names.map((n) => `${n}=${fmt(t.params[n])}`).join('\n'),
    t.error ?? attrText(t.attrs['stop_reason']),
  ]);
  return table(['trial', 'state', metric, 'verdict', 'seconds', 'parameters', 'reason'], compact);
}

/** Prints trials as a table (fitted to the terminal), CSV (a column per parameter) or JSON. */
export function printTrials(format: Format, trials: readonly FrozenTrial[], metric: string): void {
  if (format === 'table') {
    out(trialTable(trials, metric));
    return;
  }
  const { head, rows } = trialRows(trials, metric);
  printRows(format, head, rows, trials.map(trialJson));
}

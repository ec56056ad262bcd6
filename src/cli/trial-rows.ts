import type { Objective } from '../core/objectives.js';
import type { FrozenTrial, JsonValue } from '../core/types.js';
import { objectiveValue, valuesByName } from './objectives.js';
import type { Format } from './options.js';
import { fmt, out, printRows, table, type Cell } from './output.js';

/** Names of every parameter across trials, in first-seen order. */
export function paramNames(trials: readonly FrozenTrial[]): string[] {
  const names = new Set<string>();
  for (const t of trials) for (const k of Object.keys(t.params)) names.add(k);
  return [...names];
}

/** A trial's value as shown and ranked: none for a diverged or failed trial (older studies stored one). */
export function shownValue(t: FrozenTrial): number | null {
  return t.state === 'diverged' || t.state === 'failed' ? null : t.value;
}

/** `last finite name=value …` of a trial that diverged, or null. */
export function lastFiniteText(t: FrozenTrial): string | null {
  const last = t.attrs['last_finite'];
  if (typeof last !== 'object' || last === null || Array.isArray(last)) return null;
  const pairs = Object.entries(last).filter((e): e is [string, number] => typeof e[1] === 'number');
  return pairs.length === 0 ? null : `last finite ${pairs.map(([k, v]) => `${k}=${fmt(v)}`).join(' ')}`;
}

/** The reason column: the error or stop reason, and a diverged trial's last finite figures. */
function reasonText(t: FrozenTrial): string | null {
  const parts = [t.error ?? attrText(t.attrs['stop_reason']), lastFiniteText(t)].filter((p): p is string => p !== null);
  return parts.length === 0 ? null : parts.join('; ');
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

/** What a table shows for a conditional parameter that did not apply to a trial (CSV leaves it empty). */
const INACTIVE = 'inactive';

/** Table head and rows for a list of trials (trials, best); `absent`: the cell of a parameter a trial lacks. */
export function trialRows(trials: readonly FrozenTrial[], metric: string, absent: Cell = null, objectives: readonly Objective[] = []): { head: string[]; rows: Cell[][] } {
  const names = paramNames(trials);
  const head = ['trial', 'state', ...valueHead(metric, objectives), ...names, 'verdict', 'seconds', 'reason'];
  const rows = trials.map((t) => [
    t.number,
    t.state,
    ...valueCells(t, objectives),
    ...names.map((n) => t.params[n] ?? absent),
    attrText(t.attrs['verdict']),
    trialSeconds(t),
    reasonText(t),
  ]);
  return { head, rows };
}

/** The value columns: the study's metric, or one per objective of a multi-objective study. */
function valueHead(metric: string, objectives: readonly Objective[]): string[] {
  return objectives.length > 1 ? objectives.map((o) => o.name) : [metric];
}

function valueCells(t: FrozenTrial, objectives: readonly Objective[]): Cell[] {
  return objectives.length > 1 ? objectives.map((_, i) => (t.state === 'diverged' || t.state === 'failed' ? null : objectiveValue(t, i))) : [shownValue(t)];
}

/** A trial as --json prints it (`values` by objective name in a multi-objective study). */
export function trialJson(t: FrozenTrial, objectives: readonly Objective[] = []): Record<string, unknown> {
  return {
    number: t.number,
    state: t.state,
    value: shownValue(t),
    ...(objectives.length > 1 ? { values: valuesByName(t, objectives) } : {}),
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
export function trialTable(trials: readonly FrozenTrial[], metric: string, objectives: readonly Objective[] = []): string {
  const { head, rows } = trialRows(trials, metric, INACTIVE, objectives);
  const wide = table(head, rows);
  if ((wide.split('\n')[0]?.length ?? 0) <= columns()) return wide;
  const names = paramNames(trials);
  const compact = trials.map((t) => [
    t.number,
    t.state,
    ...valueCells(t, objectives),
    attrText(t.attrs['verdict']),
    trialSeconds(t),
    names.flatMap((n) => (t.params[n] === undefined ? [] : [`${n}=${fmt(t.params[n])}`])).join('\n'),
    reasonText(t),
  ]);
  return table(['trial', 'state', ...valueHead(metric, objectives), 'verdict', 'seconds', 'parameters', 'reason'], compact, { fit: columns(), maxLines: Math.max(4, names.length) });
}

/** Prints trials as a table (fitted to the terminal), CSV (a column per parameter) or JSON. */
export function printTrials(format: Format, trials: readonly FrozenTrial[], metric: string, objectives: readonly Objective[] = []): void {
  if (format === 'table') {
    out(trialTable(trials, metric, objectives));
    return;
  }
  const { head, rows } = trialRows(trials, metric, null, objectives);
  printRows(format, head, rows, trials.map((t) => trialJson(t, objectives)));
}

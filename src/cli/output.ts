import { createRequire } from 'node:module';
import type TableClass from 'cli-table3';
import type { stringify as Stringify } from 'csv-stringify/sync';
import type { JsonValue } from '../core/types.js';
import type { Format } from './options.js';

// Loaded on first use: a command that prints JSON pays for neither (cli-table3 brings string-width).
const load = createRequire(import.meta.url);
const tableClass = (): typeof TableClass => load('cli-table3') as typeof TableClass;
const stringify: typeof Stringify = (...args) => (load('csv-stringify/sync') as { stringify: typeof Stringify }).stringify(...args);

/** A cell of a table or CSV row. */
export type Cell = string | number | boolean | null | undefined;

/** Formats a number for people: 4 significant digits, NaN and infinities spelled out. */
export function fmt(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
    const abs = Math.abs(value);
    return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(3) : String(Number(value.toPrecision(4)));
  }
  return String(value);
}

/** `1 trial`, `2 trials`. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Writes data to stdout; logs and progress go to stderr elsewhere. */
export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Diagnostics to stderr. */
export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** JSON for machines: NaN and infinities become null, as JSON has no such numbers. */
export function printJson(data: unknown): void {
  out(JSON.stringify(data, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2));
}

/**
 * A table cell's longest line and most lines: a longer cell wraps at spaces onto up to
 * MAX_LINES lines, and the rest is cut with an ellipsis (`show` and --json print it whole).
 */
const MAX_CELL = 60;
const MAX_LINES = 4;
export function table(head: readonly string[], rows: readonly (readonly Cell[])[], options: { fit?: number; maxLines?: number } = {}): string {
  let cell = MAX_CELL;
  for (;;) {
    const drawn = drawTable(head, rows, cell, options.maxLines ?? MAX_LINES);
    // Too wide for `fit` columns: the widest cells wrap narrower (not below 16 characters).
    const over = (drawn.split('\n', 1)[0]?.length ?? 0) - (options.fit ?? Infinity);
    if (over <= 0 || cell <= 16) return drawn;
    cell = Math.max(16, cell - over);
  }
}

function drawTable(head: readonly string[], rows: readonly (readonly Cell[])[], cell: number, maxLines: number): string {
  const Table = tableClass();
  const t = new Table({ head: [...head], style: { head: [], border: [] } });
  // Cut before cli-table3 lays anything out: its layout time grows steeply with a cell's length.
  for (const row of rows) t.push(row.map((c) => wrap(fmt(c), cell, maxLines)));
  // Compact: the rule under the head, none between rows (cli-table3 draws both with the same characters).
  const lines = t.toString().split('\n');
  const rule = lines.findIndex((l) => l.startsWith('├'));
  return lines.filter((l, i) => i === rule || !l.startsWith('├')).join('\n');
}

/**
 * Wraps each line of `text` at spaces to at most `width` characters (a longer word is
 * split), keeping at most `maxLines` lines: the last one kept ends in an ellipsis when more was cut.
 */
export function wrap(text: string, width: number, maxLines = Infinity): string {
  const out: string[] = [];
  // Only the part that can show is wrapped, however long the text.
  for (const line of text.slice(0, (width + 1) * maxLines + 1).split('\n')) {
    let rest = line;
    while (rest.length > width) {
      const space = rest.lastIndexOf(' ', width);
      const cut = space > 0 ? space : width;
      out.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(space > 0 ? cut + 1 : cut);
    }
    out.push(rest);
  }
  if (out.length <= maxLines && text.length <= (width + 1) * maxLines + 1) return out.join('\n');
  const kept = out.slice(0, maxLines);
  const last = kept[kept.length - 1] ?? '';
  kept[kept.length - 1] = `${last.length >= width ? last.slice(0, width - 1) : last}…`;
  return kept.join('\n');
}

/** CSV with full-precision numbers (NaN and infinities as text). */
export function csv(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' && !Number.isFinite(c) ? fmt(c) : c ?? '')));
  return stringify([[...head], ...cells]);
}

/** Prints rows in the requested format; `json` is what --json prints. */
export function printRows(format: Format, head: readonly string[], rows: readonly (readonly Cell[])[], json: unknown): void {
  if (format === 'json') printJson(json);
  else if (format === 'csv') out(csv(head, rows));
  else out(table(head, rows));
}

export type { JsonValue };

/** Prints bench rows as a readable table (stdout), then one JSON line. */
import type { BenchRow } from './types.js';

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : abs >= 1 ? value.toFixed(2) : value.toFixed(3);
}

/** The table as lines of text. */
export function table(rows: readonly BenchRow[]): string[] {
  const cells = rows.map((r) => [r.name, format(r.value), r.unit, r.goal ?? '']);
  const header = ['measurement', 'value', 'unit', 'goal'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string =>
    c.map((x, i) => (i === 1 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
}

/** Prints a note, the table, and then `{"bench":[…rows]}` on a single line. */
export function printReport(rows: readonly BenchRow[], note: string): void {
  console.log(note);
  for (const l of table(rows)) console.log(l);
  console.log(JSON.stringify({ bench: rows }));
}

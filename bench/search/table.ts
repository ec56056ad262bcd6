/** The sampler bench's results as Markdown tables (printed, and pasted into docs/search-benchmark.md). */
import type { Estimate } from './stats.js';
import type { ColumnResult } from './summary.js';
import type { BenchObjective } from './objectives.js';

export interface ObjectiveResult {
  objective: BenchObjective;
  columns: ColumnResult[];
}

function digits(o: BenchObjective): number {
  return o.name === 'learning-curve' || o.name === 'activation' ? 3 : 2;
}

function interval(e: Estimate, d: number): string {
  return `${e.value.toFixed(d)} [${e.low.toFixed(d)}, ${e.high.toFixed(d)}]`;
}

/** Mean best at `trials` trials: one row per objective, one column per sampler. */
export function meanTable(results: readonly ObjectiveResult[], trials: number): string[] {
  const columns = [...new Set(results.flatMap((r) => r.columns.map((c) => c.column)))];
  const lines = [`| objective (mean best at ${trials} trials, 95 % CI) | ${columns.join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`];
  for (const { objective: o, columns: cs } of results) {
    const cells = columns.map((name) => {
      const cp = cs.find((c) => c.column === name)?.checkpoints.find((c) => c.trials === trials);
      return cp === undefined ? '—' : interval(cp.mean, digits(o));
    });
    lines.push(`| ${o.name} (${o.direction === 'maximize' ? '↑' : '↓'}) | ${cells.join(' | ')} |`);
  }
  return lines;
}

/** Every figure of one objective: sampler × checkpoint rows. */
export function objectiveTable({ objective: o, columns }: ObjectiveResult): string[] {
  const d = digits(o);
  const p = `P(best ${o.direction === 'maximize' ? '>' : '<'} ${o.threshold})`;
  const lines = [`| sampler | trials | mean | median | ${p} |`, '|---|---|---|---|---|'];
  for (const c of columns) {
    for (const cp of c.checkpoints) lines.push(`| ${c.column} | ${cp.trials} | ${interval(cp.mean, d)} | ${interval(cp.median, d)} | ${interval(cp.tail, 2)} |`);
  }
  return lines;
}

/** Share of each category in trials 10–49, per sampler. */
export function shareTable({ columns }: ObjectiveResult): string[] {
  const shared = columns.filter((c) => c.categoryShare !== undefined);
  if (shared.length === 0) return [];
  const names = [...new Set(shared.flatMap((c) => Object.keys(c.categoryShare ?? {})))].sort();
  const lines = [`| sampler (share of trials 10–49) | ${names.join(' | ')} |`, `|---|${names.map(() => '---').join('|')}|`];
  for (const c of shared) lines.push(`| ${c.column} | ${names.map((n) => `${Math.round(100 * (c.categoryShare?.[n] ?? 0))} %`).join(' | ')} |`);
  return lines;
}

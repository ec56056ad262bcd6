import { fromScale, scaleOf, scaledBounds, toScale, type NumericDistribution } from '../core/distributions.js';
import type { ParamValue } from '../core/types.js';
import { evidenceValue, fmt } from './format.js';
import { hypergeometricTail, roundOutward } from './stats.js';
import type { StudyThresholds } from './thresholds.js';
import type { Suggestion } from './types.js';

/** One ranked trial's value of a parameter, and whether it is among the best trials. */
export interface RankedValue<V> {
  value: V;
  top: boolean;
}

/**
 * Whether the group (at an edge, using a value) is over-represented among the best trials;
 * its counts and chance, the latter multiplied by `tests`, the number of groups compared.
 */
function overRepresented(rows: readonly RankedValue<unknown>[], inGroup: (r: RankedValue<unknown>) => boolean, tests: number, t: StudyThresholds) {
  const top = rows.filter((r) => r.top).length;
  const group = rows.filter(inGroup).length;
  const hits = rows.filter((r) => r.top && inGroup(r)).length;
  const p = Math.min(1, hypergeometricTail(rows.length, group, top, hits) * tests);
  const ok = top > 0 && hits / top >= t.topShare && p <= t.topMaxP;
  return { ok, top, group, hits, p };
}

/** Edges of a range (the chance test of each is corrected for looking at both). */
const EDGES = 2;

/**
 * The best trials sit at an edge of a numeric range: at least `topShare` of them lie within
 * the outer `edgeFraction` of the range's width (in its sampling scale), more than chance
 * allows given how many trials lie there (`topMaxP`, corrected for two edges). Proposes moving that bound outward by
 * `widenFraction` of the width, rounded, and never past a natural limit (0 for non-negative
 * linear ranges, 1 for fractions, 1 for integers starting at 1, below 1 for β-like ranges).
 */
export function edgeSuggestions(param: string, d: NumericDistribution, rows: readonly RankedValue<number>[], t: StudyThresholds): Suggestion[] {
  const scale = scaleOf(d);
  const [lo, hi] = scaledBounds(d);
  const width = hi - lo;
  const usable = rows.filter((r) => Number.isFinite(toScale(scale, r.value)));
  if (!(width > 0) || usable.length === 0) return [];
  const out: Suggestion[] = [];
  for (const atMax of [true, false]) {
    const bound = atMax ? d.max : d.min;
    const other = atMax ? d.min : d.max;
    const sBound = toScale(scale, bound);
    const inBand = (r: RankedValue<unknown>): boolean =>
      typeof r.value === 'number' && Math.abs(toScale(scale, r.value) - sBound) <= t.edgeFraction * width;
    const stat = overRepresented(usable, inBand, EDGES, t);
    if (!stat.ok) continue;
    const direction = Math.sign(sBound - toScale(scale, other));
    const raw = fromScale(scale, sBound + direction * t.widenFraction * width);
    const proposal = clampToLimit(d, roundOutward(raw, atMax, scale === 'log_one_minus', d.type === 'int_uniform'), atMax);
    const edge = atMax ? 'upper' : 'lower';
    const where = `${stat.hits} of ${stat.top} best trials sit at the ${edge} edge of the ${param} range (${fmt(d.min)}–${fmt(d.max)})`;
    const evidence = {
      top_at_edge: stat.hits,
      top: stat.top,
      trials_at_edge: stat.group,
      trials: usable.length,
      edge_fraction: t.edgeFraction,
      p_value: evidenceValue(stat.p),
    };
    if (proposal === bound) {
      out.push({ kind: 'at_limit', param, proposal: bound, evidence, message: `${where}, its natural limit: consider fixing ${param} at ${fmt(bound)}` });
    } else {
      out.push({
        kind: atMax ? 'widen_max' : 'widen_min',
        param,
        proposal,
        evidence: { ...evidence, proposed: proposal },
        message: `${where}: widen it to ${atMax ? `${fmt(d.min)}–${fmt(proposal)}` : `${fmt(proposal)}–${fmt(d.max)}`}`,
      });
    }
  }
  return out;
}

/** Keeps a widened bound inside the values the parameter can take. */
function clampToLimit(d: NumericDistribution, x: number, up: boolean): number {
  if (scaleOf(d) !== 'linear') return x;
  let v = x;
  if (!up && d.min >= 0) v = Math.max(v, d.type === 'int_uniform' && d.min >= 1 ? 1 : 0);
  if (up && d.type === 'uniform' && d.min >= 0 && d.max <= 1) v = Math.min(v, 1);
  return v;
}

/**
 * One categorical value dominates the best trials: at least `topShare` of them use it, more
 * than chance allows given how often it was tried (`topMaxP`, corrected for the number of values). Suggests fixing it, naming
 * the values that never reached the top.
 */
export function dominantValue(param: string, values: readonly ParamValue[], rows: readonly RankedValue<ParamValue>[], t: StudyThresholds): Suggestion | null {
  let best: { value: ParamValue; stat: ReturnType<typeof overRepresented> } | null = null;
  for (const value of values) {
    const stat = overRepresented(rows, (r) => r.value === value, values.length, t);
    if (stat.ok && (best === null || stat.p < best.stat.p)) best = { value, stat };
  }
  if (best === null) return null;
  const { value, stat } = best;
  const used = new Set(rows.filter((r) => r.top).map((r) => r.value));
  const never = values.filter((v) => !used.has(v));
  const who = stat.hits === stat.top ? `all ${stat.top} best trials` : `${stat.hits} of ${stat.top} best trials`;
  const drop = never.length === 0 ? '' : `, or drop ${never.map(String).join(', ')}`;
  return {
    kind: 'prefer_value',
    param,
    proposal: value,
    evidence: { top_with_value: stat.hits, top: stat.top, trials_with_value: stat.group, trials: rows.length, p_value: evidenceValue(stat.p) },
    message: `${who} use ${param}=${String(value)} (${stat.group} of ${rows.length} trials overall): fix ${param} to ${String(value)}${drop}`,
  };
}

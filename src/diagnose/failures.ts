import { fromScale, scaleOf, toScale, type NumericDistribution } from '../core/distributions.js';
import { evidenceValue, fmt } from './format.js';
import { hypergeometricTail, roundBetween } from './stats.js';
import type { StudyThresholds } from './thresholds.js';
import type { Suggestion, Verdict } from './types.js';

/** One trial as the failure scan sees it: its value of the parameter and its verdict. */
export interface ParamRow {
  value: number;
  verdict: Verdict;
}

/** The verdicts a range bound can cause, and how a message names them. */
const FAILURES = [
  { verdict: 'diverged', verb: 'diverged' },
  { verdict: 'stalled', verb: 'stalled' },
] as const;

interface Region {
  /** Rows beyond the cut (sorted by value). */
  rows: ParamRow[];
  /** The nearest kept value and the nearest value beyond the cut. */
  kept: number;
  beyond: number;
  failures: number;
  /** How many cuts were compared to find this one (the chance test is corrected for them). */
  candidates: number;
}

/**
 * Finds, on each side of a numeric parameter's range, the cut beyond which most trials
 * diverged or stalled: the cut maximising (failures − other trials) beyond it, taken between
 * two distinct tried values, reported when it holds at least `minFailures` failures, more
 * than `failureShare` of the trials beyond it, and is unlikely by chance (`failureMaxP`, the
 * one-sided hypergeometric probability multiplied by the number of cuts compared).
 * The proposed bound is a round number between the two tried values, near their midpoint
 * in the parameter's sampling scale. Trials whose verdict is `unknown` are left out.
 */
export function failureCuts(param: string, d: NumericDistribution, rows: readonly ParamRow[], t: StudyThresholds): Suggestion[] {
  const scale = scaleOf(d);
  const known = rows
    .filter((r) => r.verdict !== 'unknown' && Number.isFinite(toScale(scale, r.value)))
    .sort((a, b) => a.value - b.value);
  if (known.length < t.minTrials) return [];
  const out: { p: number; s: Suggestion }[] = [];
  for (const { verdict, verb } of FAILURES) {
    const total = known.filter((r) => r.verdict === verdict).length;
    if (total < t.minFailures) continue;
    for (const high of [true, false]) {
      const region = bestRegion(known, verdict, high);
      if (region === null) continue;
      const n = region.rows.length;
      const p = Math.min(1, hypergeometricTail(known.length, total, n, region.failures) * region.candidates);
      if (region.failures < t.minFailures || region.failures / n <= t.failureShare || p > t.failureMaxP) continue;
      const mid = fromScale(scale, (toScale(scale, region.kept) + toScale(scale, region.beyond)) / 2);
      const [lo, hi] = high ? [region.kept, region.beyond] : [region.beyond, region.kept];
      const cut = roundBetween(lo, hi, mid, d.type === 'int_uniform') ?? region.kept;
      if (cut <= d.min || cut >= d.max) continue;
      const bound = high ? 'maximum' : 'minimum';
      out.push({
        p,
        s: {
          kind: high ? 'lower_max' : 'raise_min',
          param,
          message:
            `${region.failures} of ${n} trials with ${param} ${high ? '>' : '<'} ${fmt(cut)} ${verb}: ` +
            `${high ? 'lower' : 'raise'} the ${param} ${bound} to ${fmt(cut)}`,
          proposal: cut,
          evidence: {
            verdict,
            failures: region.failures,
            trials_beyond: n,
            cut,
            current_bound: high ? d.max : d.min,
            failures_total: total,
            trials_total: known.length,
            p_value: evidenceValue(p),
          },
        },
      });
    }
  }
  return out.sort((a, b) => a.p - b.p).map((o) => o.s);
}

/**
 * The region beyond a cut (above it when `high`, below it otherwise) maximising
 * failures − non-failures, smallest on ties, never the whole set; null when no region
 * has more failures than other trials.
 */
function bestRegion(sorted: readonly ParamRow[], verdict: Verdict, high: boolean): Region | null {
  const rows = high ? [...sorted].reverse() : [...sorted];
  let sum = 0;
  let failures = 0;
  let best: Region | null = null;
  let bestSum = 0;
  let candidates = 0;
  for (let i = 0; i < rows.length - 1; i++) {
    const row = rows[i];
    const next = rows[i + 1];
    if (row === undefined || next === undefined) break;
    const failed = row.verdict === verdict;
    sum += failed ? 1 : -1;
    failures += failed ? 1 : 0;
    if (next.value === row.value) continue; // a cut falls only between distinct tried values
    candidates += 1;
    if (sum > bestSum) {
      bestSum = sum;
      best = { rows: rows.slice(0, i + 1), kept: next.value, beyond: row.value, failures, candidates: 0 };
    }
  }
  return best === null ? null : { ...best, candidates };
}

import { isNumeric, type Distribution } from '../core/distributions.js';
import type { Direction, EpochRecord, FrozenTrial, ParamValue } from '../core/types.js';
import { failureCuts, type ParamRow } from './failures.js';
import { majoritySuggestions } from './majority.js';
import { DEFAULT_STUDY_THRESHOLDS, type StudyThresholds } from './thresholds.js';
import { dominantValue, edgeSuggestions, type RankedValue } from './top.js';
import { VERDICTS, type Diagnosis, type StudyDiagnosis, type Suggestion, type Verdict } from './types.js';

/** One diagnosed trial, as {@link diagnoseStudy} reads it. */
export interface DiagnosedTrial {
  trial: FrozenTrial;
  epochs: EpochRecord[];
  diagnosis: Diagnosis;
}

/**
 * Sums up a study: how many trials got each verdict, and what the search space should
 * change, each suggestion with its numbers —
 * - a numeric range beyond whose cut most trials diverged or stalled (judged in the
 *   parameter's sampling scale): move that bound to the cut;
 * - the best trials crowding an edge of a numeric range: widen it there;
 * - most judged trials sharing a verdict (all diverged, most high bias …): move the ranges
 *   of the parameters the course notes' remedy names (α, the network's size, the
 *   regularisation), see {@link majoritySuggestions};
 * - one categorical value dominating the best trials: fix it.
 * "The best trials" are the top `topFraction` (at least `topMin`) of the trials with a
 * finite value, ranked by `direction`; nothing is said about them below `minTrials`.
 * `space` is the spec's current `parameters`.
 */
export function diagnoseStudy(
  trials: readonly DiagnosedTrial[],
  space: Record<string, Distribution>,
  direction: Direction,
  thresholds?: Partial<StudyThresholds>,
): StudyDiagnosis {
  const t: StudyThresholds = { ...DEFAULT_STUDY_THRESHOLDS, ...thresholds };
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const d of trials) counts[d.diagnosis.verdict] += 1;

  const ranked = rank(trials, direction);
  const topCount = ranked.length < t.minTrials ? 0 : Math.min(ranked.length, Math.max(t.topMin, Math.round(t.topFraction * ranked.length)));
  const topSet = new Set(ranked.slice(0, topCount));

  const cuts: Suggestion[] = [];
  const edges: Suggestion[] = [];
  const values: Suggestion[] = [];
  for (const [param, dist] of Object.entries(space)) {
    if (isNumeric(dist)) {
      const rows: ParamRow[] = [];
      for (const d of trials) {
        const v = d.trial.params[param];
        if (typeof v === 'number') rows.push({ value: v, verdict: d.diagnosis.verdict });
      }
      cuts.push(...failureCuts(param, dist, rows, t));
      if (topCount > 0) edges.push(...edgeSuggestions(param, dist, rankedValues<number>(ranked, topSet, param, isNumber), t));
    } else if (dist.type === 'categorical' && dist.values.length > 1 && topCount > 0) {
      const s = dominantValue(param, dist.values, rankedValues<ParamValue>(ranked, topSet, param, isParamValue), t);
      if (s !== null) values.push(s);
    }
  }
  const taken = new Set(cuts.map((s) => `${s.param}:${String(s.evidence['verdict'])}`));
  const majority = majoritySuggestions(
    trials.map((d) => ({ params: d.trial.params, verdict: d.diagnosis.verdict })),
    space,
    taken,
    t,
  );
  return {
    trials: trials.length,
    counts,
    best: ranked.slice(0, topCount).map((d) => d.trial.number),
    suggestions: [...cuts, ...majority.suggestions, ...edges, ...values],
    majority: majority.majority,
  };
}

/** Trials with a finite value, best first (ties by trial number). */
function rank(trials: readonly DiagnosedTrial[], direction: Direction): DiagnosedTrial[] {
  const sign = direction === 'minimize' ? 1 : -1;
  return trials
    .filter((d) => Number.isFinite(d.trial.value))
    .sort((a, b) => sign * ((a.trial.value ?? 0) - (b.trial.value ?? 0)) || a.trial.number - b.trial.number);
}

function rankedValues<V extends ParamValue>(
  ranked: readonly DiagnosedTrial[],
  top: ReadonlySet<DiagnosedTrial>,
  param: string,
  accept: (v: ParamValue | undefined) => v is V,
): RankedValue<V>[] {
  const out: RankedValue<V>[] = [];
  for (const d of ranked) {
    const v = d.trial.params[param];
    if (accept(v)) out.push({ value: v, top: top.has(d) });
  }
  return out;
}

function isNumber(v: ParamValue | undefined): v is number {
  return typeof v === 'number';
}

function isParamValue(v: ParamValue | undefined): v is ParamValue {
  return v !== undefined;
}

import { fromScale, isNumeric, scaleOf, scaledBounds, toScale, type Distribution, type NumericDistribution } from '../core/distributions.js';
import type { ParamValue } from '../core/types.js';
import { evidenceValue, fmt } from './format.js';
import { LEARNING_RATE_PARAMS } from './rules.js';
import { roundOutward } from './stats.js';
import type { StudyThresholds } from './thresholds.js';
import { verdictLabel, type MajorityVerdict, type Suggestion, type Verdict } from './types.js';

/** One trial as the majority view sees it: its parameters and its verdict. */
export interface VerdictRow {
  params: Readonly<Record<string, ParamValue>>;
  verdict: Verdict;
}

/** Which way a remedy moves a parameter: +1 towards larger values, −1 towards smaller ones. */
type Way = 1 | -1;

interface Remedy {
  /** Which parameters, by name, and which way each moves. */
  params: { match: (name: string) => boolean; way: Way; why: string }[];
  /** The course notes' remedy, in words, for when no searched parameter carries it. */
  advice: string;
}

const isAlpha = (name: string): boolean => (LEARNING_RATE_PARAMS as readonly string[]).includes(name);
const isCapacity = (name: string): boolean => /(^|_)(units|hidden|layers|width|depth|neurons|filters|channels|epochs)$/.test(name);
const isRegulariser = (name: string): boolean => /(^|_)(l1|l2|dropout|weight_decay|wd|reg|lambda)$/.test(name);
const isKeepProb = (name: string): boolean => /(^|_)keep_prob$/.test(name);

/**
 * What the course notes prescribe for each verdict, as parameter moves: a diverged loss wants
 * a lower α, a flat one a higher α; high bias a bigger network, longer training and less
 * regularisation; high variance more regularisation (and more data, which is no parameter).
 */
const REMEDIES: Partial<Record<Verdict, Remedy>> = {
  diverged: { params: [{ match: isAlpha, way: -1, why: 'a diverging loss means α is too high' }], advice: 'lower α (the learning rate)' },
  stalled: { params: [{ match: isAlpha, way: 1, why: 'a flat loss means α is too low' }], advice: 'raise α (the learning rate)' },
  high_bias: {
    params: [
      { match: isCapacity, way: 1, why: 'a bigger network or longer training lowers bias' },
      { match: isRegulariser, way: -1, why: 'less regularisation lowers bias' },
      { match: isKeepProb, way: 1, why: 'less dropout lowers bias' },
    ],
    advice: 'a bigger network (more units or layers), longer training, less regularisation',
  },
  high_variance: {
    params: [
      { match: isRegulariser, way: 1, why: 'more regularisation lowers variance' },
      { match: isKeepProb, way: -1, why: 'more dropout lowers variance' },
    ],
    advice: 'more data, L2 regularisation or dropout, early stopping',
  },
};

/**
 * The verdicts that most judged trials share (more than `failureShare` of the trials whose
 * verdict is not `unknown`, and at least `minFailures` of them), each turned into range
 * changes along the course notes' remedy for it ({@link REMEDIES}), for every searched
 * parameter that carries the remedy and that `taken` does not name (`param:verdict` of the
 * failure cuts already found, which move that parameter for that verdict):
 * - every judged trial has the verdict: move the whole range past the values tried (a lower
 *   maximum at the smallest value tried, the minimum as far below as the range was wide …);
 * - the other trials all sit on the remedy's side of some value, and at least `minFailures`
 *   trials with the verdict lie beyond it: move the far bound to it.
 * Categorical numeric parameters lose their values on the far side instead (again with at
 * least `minFailures` trials with the verdict among them). Each majority is returned in
 * `majority` with the parameters moved for it: none when no searched parameter carries the
 * remedy or separates the trials.
 */
export function majoritySuggestions(
  rows: readonly VerdictRow[],
  space: Record<string, Distribution>,
  taken: ReadonlySet<string>,
  t: StudyThresholds,
): { suggestions: Suggestion[]; majority: MajorityVerdict[] } {
  const judged = rows.filter((r) => r.verdict !== 'unknown');
  const suggestions: Suggestion[] = [];
  const majority: MajorityVerdict[] = [];
  for (const [verdict, remedy] of Object.entries(REMEDIES) as [Verdict, Remedy][]) {
    const count = judged.filter((r) => r.verdict === verdict).length;
    if (count < t.minFailures || count / judged.length <= t.failureShare) continue;
    const found: Suggestion[] = [];
    const covered: string[] = [];
    for (const [param, dist] of Object.entries(space)) {
      const move = remedy.params.find((p) => p.match(param));
      if (move === undefined) continue;
      if (taken.has(`${param}:${verdict}`)) {
        covered.push(param);
        continue;
      }
      const split = { verdict, count, judged: judged.length, why: move.why };
      const s = isNumeric(dist)
        ? rangeMove(param, dist, judged, move.way, split, t)
        : dist.type === 'categorical'
          ? valuesMove(param, dist.values, judged, move.way, split, t.minFailures)
          : null;
      if (s !== null) found.push(s);
    }
    suggestions.push(...found);
    majority.push({ verdict, trials: count, judged: judged.length, advice: remedy.advice, parameters: [...covered, ...found.map((s) => s.param)] });
  }
  return { suggestions, majority };
}

interface Split {
  verdict: Verdict;
  count: number;
  judged: number;
  why: string;
}

function numbersOf(rows: readonly VerdictRow[], param: string, withVerdict: Verdict, has: boolean): number[] {
  return rows.filter((r) => (r.verdict === withVerdict) === has).map((r) => r.params[param]).filter((v): v is number => typeof v === 'number');
}

function lead({ verdict, count, judged }: Split): string {
  return `${count} of ${judged} trials ${verdictLabel(verdict)}`;
}

function evidenceOf(split: Split, d: NumericDistribution | null, extra: Suggestion['evidence']): Suggestion['evidence'] {
  return {
    verdict: split.verdict,
    trials_with_verdict: split.count,
    trials_judged: split.judged,
    ...(d === null ? {} : { current_min: d.min, current_max: d.max }),
    ...extra,
  };
}

/** A numeric range moved along `way` (see {@link majoritySuggestions}). */
function rangeMove(param: string, d: NumericDistribution, rows: readonly VerdictRow[], way: Way, split: Split, t: StudyThresholds): Suggestion | null {
  const scale = scaleOf(d);
  const [lo, hi] = scaledBounds(d);
  const width = hi - lo;
  const bad = numbersOf(rows, param, split.verdict, true).filter((v) => Number.isFinite(toScale(scale, v)));
  const others = numbersOf(rows, param, split.verdict, false).filter((v) => Number.isFinite(toScale(scale, v)));
  if (!(width > 0) || bad.length === 0) return null;
  const integer = d.type === 'int_uniform';
  const nearOne = scale === 'log_one_minus';
  const round = (x: number, up: boolean): number => roundOutward(x, up, nearOne, integer);
  // +1 where the sampling scale grows with the values, −1 where it falls (log10(1 − x)).
  const along = Math.sign(toScale(scale, d.max) - toScale(scale, d.min));
  const range = (min: number, max: number, kind: Suggestion['kind'], message: string, extra: Suggestion['evidence']): Suggestion => ({
    kind,
    param,
    proposal: kind === 'raise_min' ? min : max,
    range: { min, max },
    message,
    evidence: evidenceOf(split, d, { ...extra, proposed_min: min, proposed_max: max }),
  });

  if (others.length === 0) {
    // Every value tried had the verdict: the whole range goes past them, keeping its width.
    const edge = way < 0 ? Math.min(...bad) : Math.max(...bad);
    const past = fromScale(scale, toScale(scale, edge) + way * along * width);
    const min = way < 0 ? round(past, false) : round(edge, true);
    const max = way < 0 ? round(edge, false) : round(past, true);
    const [nMin, nMax] = limited(d, Math.min(min, max), Math.max(min, max));
    if (!(nMin < nMax)) return null;
    const tried = `${way < 0 ? 'the smallest' : 'the largest'} ${param} tried was ${fmt(edge)}`;
    const kind = way < 0 ? 'lower_max' : 'raise_min';
    return range(nMin, nMax, kind, `all ${lead(split)} (${tried}; ${split.why}): move the ${param} range to ${fmt(nMin)}–${fmt(nMax)}`, {
      support: bad.length,
      edge_tried: evidenceValue(edge),
    });
  }

  // The others' extreme on the far side: beyond it, only trials with the verdict.
  const edge = way < 0 ? Math.max(...others) : Math.min(...others);
  const sEdge = toScale(scale, edge);
  const sFar = toScale(scale, way < 0 ? d.max : d.min);
  const beyond = bad.filter((v) => (way < 0 ? v > edge : v < edge)).length;
  // Moved only where enough trials with the verdict lie beyond what the others used.
  if (Math.abs(sFar - sEdge) <= t.edgeFraction * width || beyond < t.minFailures) return null;
  const bound = round(edge, way < 0);
  const because = `all ${others.length} other trials had ${param} ${way < 0 ? '≤' : '≥'} ${fmt(edge)}, ${beyond} with the verdict lay beyond`;
  const [min, max] = way < 0 ? [d.min, bound] : [bound, d.max];
  if (!(min < max) || (way < 0 ? bound >= d.max : bound <= d.min)) return null;
  const kind = way < 0 ? 'lower_max' : 'raise_min';
  const verb = way < 0 ? `lower the ${param} maximum to ${fmt(max)}` : `raise the ${param} minimum to ${fmt(min)}`;
  return range(min, max, kind, `${lead(split)}; ${split.why} (${because}): ${verb}`, { support: beyond, others: others.length });
}

/**
 * Keeps a moved range inside what the parameter can take (non-negative, fractions below 1,
 * integers from 1). A 1 − β range must stay inside (0, 1): where its width in log10(1 − x)
 * carries the minimum to 0 or below, the minimum moves by the range's width in x instead, or
 * to half the maximum where that too would leave (0, 1).
 */
function limited(d: NumericDistribution, min: number, max: number): [number, number] {
  const scale = scaleOf(d);
  let lo = min;
  let hi = max;
  if (scale === 'log_one_minus' && !(lo > 0)) {
    const step = hi - (d.max - d.min);
    lo = step > 0 ? step : hi / 2;
  }
  if (scale === 'linear' && d.min >= 0) lo = Math.max(lo, d.type === 'int_uniform' && d.min >= 1 ? 1 : 0);
  if (scale === 'linear' && d.type === 'uniform' && d.min >= 0 && d.max <= 1) hi = Math.min(hi, 1);
  return [lo, hi];
}

/** A categorical numeric parameter loses the values on the far side of the remedy. */
function valuesMove(param: string, values: readonly ParamValue[], rows: readonly VerdictRow[], way: Way, split: Split, minSupport: number): Suggestion | null {
  const numbers = values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  if (numbers.length < 2 || numbers.length !== values.length) return null;
  const others = numbersOf(rows, param, split.verdict, false);
  const bad = numbersOf(rows, param, split.verdict, true);
  // Keep the values up to the others' extreme, or drop the single farthest value.
  const edge = others.length > 0 ? (way < 0 ? Math.max(...others) : Math.min(...others)) : null;
  let keep = edge === null ? numbers : numbers.filter((v) => (way < 0 ? v <= edge : v >= edge));
  if (keep.length === numbers.length) keep = way < 0 ? numbers.slice(0, -1) : numbers.slice(1);
  const dropped = numbers.filter((v) => !keep.includes(v));
  const support = bad.filter((v) => dropped.includes(v)).length;
  if (support < minSupport) return null;
  return {
    kind: 'drop_values',
    param,
    proposal: keep.map(String).join(', '),
    values: keep,
    message: `${lead(split)}; ${split.why} (${support} of them used ${param}=${dropped.map(String).join(' or ')}): drop ${dropped.map(String).join(', ')} from ${param}, keeping ${keep.map(String).join(', ')}`,
    evidence: evidenceOf(split, null, { support, dropped: dropped.map(String).join(',') }),
  };
}

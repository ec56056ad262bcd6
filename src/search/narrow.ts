// Coarse-to-fine narrowing: a stage's ranges from the best trials so far.
import {
  contains,
  fromScale,
  isLattice,
  isNumeric,
  latticeRange,
  scaleOf,
  scaledBounds,
  tidy,
  toScale,
  type Distribution,
  type NumericDistribution,
} from '../core/distributions.js';
import type { Direction, ParamValue } from '../core/types.js';
import type { SampledTrial } from './sampler.js';

type Categorical = Extract<Distribution, { type: 'categorical' }>;

/** Whether every parameter the trial has lies inside `ranges` (absent parameters don't count). */
export function withinRanges(trial: SampledTrial, ranges: Readonly<Record<string, Distribution>>): boolean {
  return Object.entries(ranges).every(([name, d]) => {
    const value = trial.params[name];
    return value === undefined || contains(d, value);
  });
}

/** Share of the eligible trials a stage with top_k null is fitted to (at least one). */
export const DEFAULT_TOP_FRACTION = 0.2;

/**
 * The best `k` trials with a finite value that lie inside `ranges`, best first
 * (direction-aware; ties go to the lower trial number). k null: the best 20 % of them.
 */
export function topTrials(
  history: readonly SampledTrial[],
  direction: Direction,
  k: number | null,
  ranges: Readonly<Record<string, Distribution>>,
): SampledTrial[] {
  const seen = new Set<number>();
  const eligible = history.filter((t) => {
    if (t.value === null || !Number.isFinite(t.value) || seen.has(t.number) || !withinRanges(t, ranges)) return false;
    seen.add(t.number);
    return true;
  });
  const sign = direction === 'minimize' ? 1 : -1;
  eligible.sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.number - b.number);
  return eligible.slice(0, Math.max(0, k ?? Math.max(1, Math.ceil(DEFAULT_TOP_FRACTION * eligible.length))));
}

/**
 * Narrows a numeric range to the bounding box of `values` in the sampling scale, widened
 * by margin × the box width on each side (margin × the original scaled width when the box
 * has zero width), clipped to `previous`. int and q bounds are then pulled in to the
 * nearest integer / multiple of q, which changes nothing that can be drawn. The result
 * always contains every value.
 */
export function narrowNumeric(
  original: NumericDistribution,
  previous: NumericDistribution,
  values: readonly number[],
  margin: number,
): NumericDistribution {
  if (values.length === 0) return structuredClone(previous);
  const scale = scaleOf(original);
  const scaled = values.map((v) => toScale(scale, v));
  const boxLo = Math.min(...scaled);
  const boxHi = Math.max(...scaled);
  const [origLo, origHi] = scaledBounds(original);
  const pad = margin * (boxHi > boxLo ? boxHi - boxLo : origHi - origLo);
  // Back to real values (the order flips for 1−β), then clipped to the previous stage.
  const ends = [fromScale(scale, boxLo - pad), fromScale(scale, boxHi + pad)].map(tidy);
  let min = Math.max(previous.min, Math.min(...ends));
  let max = Math.min(previous.max, Math.max(...ends));
  if (original.type === 'int_uniform') [min, max] = [Math.ceil(min), Math.floor(max)];
  if (isLattice(original)) {
    const [kLo, kHi] = latticeRange({ ...original, min, max });
    if (kLo <= kHi) [min, max] = [tidy(kLo * original.q), tidy(kHi * original.q)];
  }
  // Float round trips through the scale must not lose a fitted value.
  min = Math.min(min, ...values);
  max = Math.max(max, ...values);
  return { ...structuredClone(previous), min, max };
}

/** Keeps the values the top trials used, in their order; probabilities renormalised. */
export function narrowCategorical(previous: Categorical, used: readonly ParamValue[]): Categorical {
  const keep = previous.values.map((v) => used.includes(v));
  if (!keep.includes(true)) return structuredClone(previous);
  const values = previous.values.filter((_, i) => keep[i]);
  if (previous.probabilities === undefined) return { type: 'categorical', values };
  const kept = previous.probabilities.filter((_, i) => keep[i]);
  const total = kept.reduce((a, b) => a + b, 0);
  return total > 0 ? { type: 'categorical', values, probabilities: kept.map((p) => tidy(p / total)) } : { type: 'categorical', values };
}

/** Every parameter's next-stage distribution, fitted to `top` (constants stay). */
export function narrowParameters(
  original: Readonly<Record<string, Distribution>>,
  previous: Readonly<Record<string, Distribution>>,
  top: readonly SampledTrial[],
  margin: number,
): Record<string, Distribution> {
  const out: Record<string, Distribution> = {};
  for (const [name, prev] of Object.entries(previous)) {
    const used = top.map((t) => t.params[name]).filter((v): v is ParamValue => v !== undefined);
    const orig = original[name] ?? prev;
    if (prev.type === 'categorical') out[name] = narrowCategorical(prev, used);
    else if (isNumeric(prev) && isNumeric(orig) && orig.type === prev.type) {
      const numbers = used.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      out[name] = narrowNumeric(orig, prev, numbers, margin);
    } else out[name] = structuredClone(prev);
  }
  return out;
}

import type { ParamValue } from './params.js';

/** How one hyperparameter is searched. Log-scale bounds are real values, never logarithms. */
export type Distribution =
  | { type: 'constant'; value: ParamValue }
  | { type: 'categorical'; values: ParamValue[]; probabilities?: number[] }
  | NumericDistribution;

export type NumericDistribution =
  | { type: 'uniform'; min: number; max: number; grid_points?: number }
  | { type: 'int_uniform'; min: number; max: number; grid_points?: number }
  | { type: 'q_uniform'; min: number; max: number; q: number; grid_points?: number }
  | { type: 'log_uniform_values'; min: number; max: number; grid_points?: number }
  | { type: 'q_log_uniform_values'; min: number; max: number; q: number; grid_points?: number }
  | { type: 'one_minus_log_uniform_values'; min: number; max: number; grid_points?: number };

export type NumericType = NumericDistribution['type'];

export const NUMERIC_TYPES: readonly NumericType[] = [
  'uniform',
  'int_uniform',
  'q_uniform',
  'log_uniform_values',
  'q_log_uniform_values',
  'one_minus_log_uniform_values',
];

/** Accepted in specs as another name of a distribution. */
export const DISTRIBUTION_SYNONYMS: Readonly<Record<string, NumericType>> = { log_uniform: 'log_uniform_values' };

export function isNumeric(d: Distribution): d is NumericDistribution {
  return d.type !== 'constant' && d.type !== 'categorical';
}

/** The scale a distribution samples uniformly in. */
export type Scale = 'linear' | 'log' | 'log_one_minus';

export function scaleOf(d: NumericDistribution): Scale {
  switch (d.type) {
    case 'log_uniform_values':
    case 'q_log_uniform_values':
      return 'log';
    case 'one_minus_log_uniform_values':
      return 'log_one_minus';
    default:
      return 'linear';
  }
}

/** Maps a value into its sampling scale: x, log10(x), or log10(1 − x). */
export function toScale(scale: Scale, x: number): number {
  if (scale === 'log') return Math.log10(x);
  if (scale === 'log_one_minus') return Math.log10(1 - x);
  return x;
}

/** Inverse of {@link toScale}. */
export function fromScale(scale: Scale, u: number): number {
  if (scale === 'log') return 10 ** u;
  if (scale === 'log_one_minus') return 1 - 10 ** u;
  return u;
}

/** The bounds of a distribution in its sampling scale, low ≤ high. */
export function scaledBounds(d: NumericDistribution): [number, number] {
  const s = scaleOf(d);
  const a = toScale(s, d.min);
  const b = toScale(s, d.max);
  return a <= b ? [a, b] : [b, a];
}

type LatticeDistribution = Extract<NumericDistribution, { q: number }>;

/** True for the distributions whose values are multiples of q. */
export function isLattice(d: NumericDistribution): d is LatticeDistribution {
  return d.type === 'q_uniform' || d.type === 'q_log_uniform_values';
}

/** Drops float noise from a computed value (0.30000000000000004 → 0.3; 15 significant digits). */
export function tidy(x: number): number {
  return Number.isInteger(x) || Math.abs(x) >= 1e14 ? x : Number(x.toPrecision(15));
}

/** The smallest and largest k with tidy(k·q) inside [min, max] (kLo > kHi: none). */
export function latticeRange(d: LatticeDistribution): [number, number] {
  // min / q is only approximately the real ratio (0.7 / 0.1 = 6.999…): start there and
  // correct by one step against the values actually returned.
  let kLo = Math.ceil(d.min / d.q);
  if (tidy((kLo - 1) * d.q) >= d.min) kLo -= 1;
  else if (tidy(kLo * d.q) < d.min) kLo += 1;
  let kHi = Math.floor(d.max / d.q);
  if (tidy((kHi + 1) * d.q) <= d.max) kHi += 1;
  else if (tidy(kHi * d.q) > d.max) kHi -= 1;
  return [kLo, kHi];
}

/** The integers inside [min, max] as [lo, hi] (lo > hi: none). */
export function intRange(d: NumericDistribution): [number, number] {
  return [Math.ceil(d.min), Math.floor(d.max)];
}

/**
 * Rounds to the distribution's lattice (integers, multiples of q) and clips to [min, max],
 * staying on the lattice: a value clips to the integers or multiples of q inside the range.
 */
export function snap(d: NumericDistribution, x: number): number {
  if (isLattice(d)) {
    const [kLo, kHi] = latticeRange(d);
    return tidy(Math.min(kHi, Math.max(kLo, Math.round(x / d.q))) * d.q);
  }
  const clipped = Math.min(d.max, Math.max(d.min, x));
  if (d.type !== 'int_uniform') return clipped;
  const [lo, hi] = intRange(d);
  return Math.min(hi, Math.max(lo, Math.round(clipped)));
}

/** Draws from a numeric distribution given u ~ U[0, 1). */
export function sampleNumeric(d: NumericDistribution, u: number): number {
  const [lo, hi] = scaledBounds(d);
  if (d.type === 'int_uniform') {
    // Equal mass per integer.
    const n = Math.floor(d.max) - Math.ceil(d.min) + 1;
    return Math.min(Math.ceil(d.min) + Math.floor(u * n), Math.floor(d.max));
  }
  return snap(d, fromScale(scaleOf(d), lo + u * (hi - lo)));
}

/** Whether `x` lies inside the distribution's domain. */
export function contains(d: Distribution, x: ParamValue): boolean {
  if (d.type === 'constant') return x === d.value;
  if (d.type === 'categorical') return d.values.includes(x);
  return typeof x === 'number' && x >= d.min && x <= d.max;
}

/**
 * A representative fixed value of a distribution: the middle of a numeric range in its
 * sampling scale (the geometric middle for log ranges), the first of categorical values.
 */
export function middleOf(d: Distribution): ParamValue {
  if (d.type === 'constant') return d.value;
  if (d.type === 'categorical') return d.values[0] ?? '';
  const [lo, hi] = scaledBounds(d);
  return snap(d, fromScale(scaleOf(d), (lo + hi) / 2));
}

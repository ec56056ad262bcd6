// One draw from one distribution, given u ~ U[0, 1).
//
// Uniform, log and 1−β ranges use core's sampleNumeric (uniform in the sampling scale,
// then clipped to [min, max]); q ranges draw uniformly in their scale and snap to the
// nearest multiple of q inside the range (core's snap). int_uniform / q ranges with no
// integer / multiple of q inside are rejected up front (checkDistribution) instead of
// silently returning a value outside the range.
import { intRange, isLattice, isNumeric, latticeRange, sampleNumeric, snap, type Distribution, type NumericDistribution } from '../core/distributions.js';
import { UsageError } from '../core/errors.js';
import type { ParamValue } from '../core/types.js';

/** Draws from a numeric distribution given u ~ U[0, 1). */
export function drawNumeric(d: NumericDistribution, u: number): number {
  if (!isLattice(d)) return sampleNumeric(d, u);
  // Uniform in the sampling scale (linear or log), then the nearest lattice point inside.
  const raw = sampleNumeric({ type: d.type === 'q_uniform' ? 'uniform' : 'log_uniform_values', min: d.min, max: d.max }, u);
  return snap(d, raw);
}

/** Picks a categorical index given u ~ U[0, 1), honouring probabilities (uniform without). */
export function drawIndex(count: number, probabilities: readonly number[] | undefined, u: number): number {
  if (probabilities === undefined) return Math.min(count - 1, Math.floor(u * count));
  const total = probabilities.reduce((a, b) => a + b, 0);
  const target = u * total;
  let cumulative = 0;
  let lastPositive = 0;
  for (let i = 0; i < count; i++) {
    const p = probabilities[i] ?? 0;
    if (p <= 0) continue;
    cumulative += p;
    lastPositive = i;
    if (target < cumulative) return i;
  }
  return lastPositive; // rounding: target within float noise of the total
}

/** Draws one value of `d` given u ~ U[0, 1). */
export function drawValue(d: Distribution, u: number): ParamValue {
  if (d.type === 'constant') return d.value;
  if (d.type === 'categorical') {
    const value = d.values[drawIndex(d.values.length, d.probabilities, u)];
    if (value === undefined) throw new RangeError('categorical distribution without values');
    return value;
  }
  return drawNumeric(d, u);
}

/**
 * Rejects distributions nothing can be drawn from. The spec validator reports these with
 * positions; this is the sampler's own guard (a hand-built spec, or a narrowed stage).
 */
export function checkDistribution(name: string, d: Distribution): void {
  const fail = (message: string): never => {
    throw new UsageError(`parameter ${name}: ${message}`);
  };
  if (d.type === 'constant') return;
  if (d.type === 'categorical') {
    if (d.values.length === 0) fail('values must not be empty');
    const p = d.probabilities;
    if (p !== undefined) {
      if (p.length !== d.values.length) fail(`${p.length} probabilities for ${d.values.length} values`);
      if (p.some((x) => !Number.isFinite(x) || x < 0)) fail('probabilities must be finite and ≥ 0');
      if (p.reduce((a, b) => a + b, 0) <= 0) fail('probabilities must not all be 0');
    }
    return;
  }
  if (!isNumeric(d)) return;
  if (!Number.isFinite(d.min) || !Number.isFinite(d.max) || d.min > d.max) fail(`needs finite min ≤ max (got ${d.min}, ${d.max})`);
  if ((d.type === 'log_uniform_values' || d.type === 'q_log_uniform_values') && d.min <= 0) {
    fail('log bounds must be > 0 (bounds are values, not logarithms)');
  }
  if (d.type === 'one_minus_log_uniform_values' && (d.min <= 0 || d.max >= 1)) fail('1−β bounds must lie inside (0, 1)');
  if (d.type === 'int_uniform') {
    const [lo, hi] = intRange(d);
    if (lo > hi) fail(`no integer between min ${d.min} and max ${d.max}`);
  }
  if (isLattice(d)) {
    if (!(d.q > 0) || !Number.isFinite(d.q)) fail(`q must be > 0 (got ${d.q})`);
    const [kLo, kHi] = latticeRange(d);
    if (kLo > kHi) fail(`no multiple of q = ${d.q} between min ${d.min} and max ${d.max}`);
  }
  if (d.grid_points !== undefined && (!Number.isInteger(d.grid_points) || d.grid_points < 1)) {
    fail(`grid_points must be an integer ≥ 1 (got ${d.grid_points})`);
  }
}

// PBT's explore step: each searched parameter is redrawn with resample_probability, else
// moved by a factor in its own scale (log, 1−β, or to a neighbouring value), clipped to its range.
import { fromScale, isNumeric, scaleOf, snap, type Distribution, type NumericDistribution } from '../core/distributions.js';
import type { ParamValue, Params } from '../core/types.js';
import { drawValue } from './draw.js';
import { gridAxis } from './grid.js';
import { sortedNames } from './random.js';

export interface ExploreOptions {
  resample_probability: number;
  perturbation_factors: readonly number[];
}

/** What explore did to one parameter: its value before and after, and how. */
export interface Perturbation {
  from: ParamValue;
  to: ParamValue;
  how: 'resampled' | 'scaled' | 'neighbour' | 'kept';
  factor?: number;
}

/** A source of u ~ U[0, 1) (a RandomStream): one stream for the whole step keeps it seeded. */
export interface Uniform {
  uniform(): number;
}

/** The donor's parameters explored: new params and, per name, what changed. */
export function explore(
  params: Params,
  distributions: Readonly<Record<string, Distribution>>,
  options: ExploreOptions,
  rng: Uniform,
): { params: Params; changes: Record<string, Perturbation> } {
  const out: Params = { ...params };
  const changes: Record<string, Perturbation> = {};
  for (const name of sortedNames(distributions)) {
    const d = distributions[name] as Distribution;
    const from = params[name];
    if (d.type === 'constant' || from === undefined) continue;
    const resample = rng.uniform() < options.resample_probability;
    const u = rng.uniform();
    let change: Perturbation;
    if (resample) change = { from, to: drawValue(d, u), how: 'resampled' };
    else if (isNumeric(d) && typeof from === 'number' && d.grid_points === undefined) {
      const factor = options.perturbation_factors[Math.min(options.perturbation_factors.length - 1, Math.floor(u * options.perturbation_factors.length))] ?? 1;
      change = { from, to: scaleBy(d, from, factor), how: 'scaled', factor };
    } else change = { from, to: neighbour(name, d, from, u), how: 'neighbour' };
    out[name] = change.to;
    changes[name] = change.to === from ? { ...change, how: change.how === 'resampled' ? 'resampled' : 'kept' } : change;
  }
  return { params: out, changes };
}

/**
 * x times `factor` in the scale the parameter is searched in: α·f for log ranges, 1 − (1 − β)·f
 * (the averaging window scaled by 1/f) for 1−β ranges, x·f for linear ones; clipped to the range.
 */
export function scaleBy(d: NumericDistribution, x: number, factor: number): number {
  const scale = scaleOf(d);
  let y: number;
  if (scale === 'log_one_minus') y = fromScale(scale, Math.log10((1 - x) * factor));
  else y = x * factor;
  // int ranges must move: a factor that rounds back to x moves one step its way.
  if (d.type === 'int_uniform' && Math.round(y) === x && factor !== 1) y = x + (factor > 1 ? 1 : -1);
  return snap(d, y);
}

/** The value before or after `x` among the parameter's values (categorical, or grid points). */
function neighbour(name: string, d: Distribution, x: ParamValue, u: number): ParamValue {
  if (isNumeric(d) && d.grid_points === undefined) return x;
  const values = gridAxis(name, d);
  const at = values.findIndex((v) => v === x || (typeof v === 'number' && typeof x === 'number' && Math.abs(v - x) <= 1e-12 * Math.max(1, Math.abs(v))));
  if (values.length < 2) return x;
  if (at < 0) return values[Math.min(values.length - 1, Math.floor(u * values.length))] as ParamValue;
  const step = at === 0 ? 1 : at === values.length - 1 ? -1 : u < 0.5 ? -1 : 1;
  return values[at + step] as ParamValue;
}

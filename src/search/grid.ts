// method: grid — the cartesian product of every parameter's grid axis.
//
// Axes, in sorted parameter-name order (the first name varies slowest, the last fastest,
// like nested loops): a constant is one point; a categorical is its `values` in spec
// order (probabilities ignored); a numeric range with `grid_points: n` is n points evenly
// spaced in its sampling scale from min to max (log10 x for log ranges, log10(1−x) for
// 1−β), both ends included (n = 1: the middle of the scale), listed from min to max,
// snapped to the lattice (int, q) and deduplicated. Without grid_points, int_uniform and
// q ranges enumerate every lattice point; continuous ranges are an error.
import {
  fromScale,
  intRange,
  isLattice,
  isNumeric,
  latticeRange,
  scaleOf,
  snap,
  tidy,
  toScale,
  type Distribution,
  type NumericDistribution,
} from '../core/distributions.js';
import { UsageError } from '../core/errors.js';
import type { ParamValue, Params } from '../core/types.js';
import { checkParameters, sortedNames } from './random.js';
import type { Sampler, SamplerOptions, Suggestion } from './sampler.js';

/** Longest axis a grid may enumerate (an int range without grid_points, say). */
export const MAX_AXIS_POINTS = 100_000;

function numericAxis(name: string, d: NumericDistribution): number[] {
  const n = d.grid_points;
  if (n === undefined) {
    let lo: number, hi: number, step: number;
    if (d.type === 'int_uniform') [[lo, hi], step] = [intRange(d), 1];
    else if (isLattice(d)) [[lo, hi], step] = [latticeRange(d), d.q];
    else throw new UsageError(`parameter ${name}: method grid needs grid_points (or values) for a ${d.type} range`);
    if (hi - lo + 1 > MAX_AXIS_POINTS) {
      throw new UsageError(`parameter ${name}: ${hi - lo + 1} grid points without grid_points; set grid_points (at most ${MAX_AXIS_POINTS})`);
    }
    return Array.from({ length: hi - lo + 1 }, (_, i) => tidy((lo + i) * step));
  }
  if (n > MAX_AXIS_POINTS) throw new UsageError(`parameter ${name}: grid_points ${n} is more than ${MAX_AXIS_POINTS}`);
  const scale = scaleOf(d);
  const a = toScale(scale, d.min);
  const b = toScale(scale, d.max);
  const points: number[] = [];
  for (let i = 0; i < n; i++) {
    const real = n === 1 ? fromScale(scale, (a + b) / 2) : i === 0 ? d.min : i === n - 1 ? d.max : fromScale(scale, a + ((b - a) * i) / (n - 1));
    const value = snap(d, tidy(real));
    // Points ascend in real value and snapping is monotone: duplicates are neighbours.
    if (points.at(-1) !== value) points.push(value);
  }
  return points;
}

/** The grid axis of one parameter (see the file comment). */
export function gridAxis(name: string, d: Distribution): ParamValue[] {
  if (d.type === 'constant') return [d.value];
  if (d.type === 'categorical') return [...d.values];
  if (!isNumeric(d)) throw new UsageError(`parameter ${name}: unknown distribution`);
  return numericAxis(name, d);
}

/** Every parameter's axis, in sorted name order. */
export function gridAxes(parameters: Readonly<Record<string, Distribution>>): { name: string; values: ParamValue[] }[] {
  return sortedNames(parameters).map((name) => ({ name, values: gridAxis(name, parameters[name] as Distribution) }));
}

/** Number of points of the grid over `parameters`. */
export function gridSize(parameters: Readonly<Record<string, Distribution>>): number {
  return gridAxes(parameters).reduce((size, axis) => size * axis.values.length, 1);
}

export class GridSampler implements Sampler {
  /** The grid size. */
  readonly planned: number;
  readonly #axes: { name: string; values: ParamValue[] }[];
  readonly #distributions: Record<string, Distribution>;

  constructor(options: SamplerOptions) {
    const { parameters, run_cap } = options.spec;
    checkParameters(parameters);
    this.#axes = gridAxes(parameters);
    this.#distributions = structuredClone<Record<string, Distribution>>(parameters);
    this.planned = this.#axes.reduce((size, axis) => size * axis.values.length, 1);
    if (!Number.isSafeInteger(this.planned)) throw new UsageError('the grid has too many points to enumerate');
    if (run_cap !== null && this.planned > run_cap) {
      throw new UsageError(`the grid has ${this.planned} points, more than run_cap ${run_cap}; raise run_cap or omit it to run the whole grid`);
    }
  }

  /** The grid point of trial `number` (0-based). */
  suggest(number: number): Suggestion {
    if (!Number.isSafeInteger(number) || number < 0 || number >= this.planned) {
      throw new RangeError(`trial ${number} is outside the grid of ${this.planned} points (trials 0 to ${this.planned - 1})`);
    }
    const params: Params = {};
    let rest = number;
    for (let i = this.#axes.length - 1; i >= 0; i--) {
      const axis = this.#axes[i] as { name: string; values: ParamValue[] };
      params[axis.name] = axis.values[rest % axis.values.length] as ParamValue;
      rest = Math.floor(rest / axis.values.length);
    }
    // Keys in sorted order, as random sampling returns them.
    const ordered: Params = {};
    for (const axis of this.#axes) ordered[axis.name] = params[axis.name] as ParamValue;
    return { params: ordered, distributions: structuredClone(this.#distributions), stage: null };
  }

  stages(): [] {
    return [];
  }
}

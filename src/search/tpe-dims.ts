// How TPE sees one parameter: coordinates in its sampling scale (or a category index), its
// prior kernel and the kernel around an observation.
import { fromScale, isLattice, latticeRange, scaledBounds, scaleOf, snap, toScale, type Distribution, type NumericDistribution } from '../core/distributions.js';
import type { ParamValue } from '../core/types.js';
import { Categorical, TruncatedNormal, type Kernel, type NumericDim } from './parzen.js';

export interface Dim {
  name: string;
  /** Bounds of a numeric dimension; null for a categorical one. */
  numeric: NumericDim | null;
  /** A stored value's coordinate, or undefined when it is not one of this dimension's. */
  encode(v: ParamValue | undefined): number | undefined;
  decode(x: number): ParamValue;
  prior(): Kernel;
  /** The kernel around one of `n` observations; `sigma` for numeric dimensions. */
  around(x: number, sigma: number, n: number): Kernel;
}

/** The numeric dimension of `d`: integers and linear q steps get cells of their width. */
function numericDim(d: NumericDistribution): NumericDim {
  if (d.type === 'int_uniform') return { low: Math.ceil(d.min) - 0.5, high: Math.floor(d.max) + 0.5, step: 1 };
  if (d.type === 'q_uniform') {
    const [kLo, kHi] = latticeRange(d);
    return { low: (kLo - 0.5) * d.q, high: (kHi + 0.5) * d.q, step: d.q };
  }
  const [low, high] = scaledBounds(d);
  return { low, high, step: null };
}

/** The dimension of a searched parameter (constants have none). */
export function dimOf(name: string, d: Exclude<Distribution, { type: 'constant' }>): Dim {
  if (d.type === 'categorical') {
    const k = d.values.length;
    const prior = d.probabilities ?? new Array<number>(k).fill(1 / k);
    return {
      name,
      numeric: null,
      encode: (v) => {
        const i = v === undefined ? -1 : d.values.indexOf(v);
        return i < 0 ? undefined : i;
      },
      decode: (x) => d.values[x] as ParamValue,
      prior: () => new Categorical(prior),
      around: (x, _sigma, n) => Categorical.around(x, prior, n),
    };
  }
  const dim = numericDim(d);
  const scale = scaleOf(d);
  const linearCells = dim.step !== null;
  return {
    name,
    numeric: dim,
    encode: (v) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
      const x = toScale(scale, v);
      return Number.isFinite(x) ? x : undefined;
    },
    // A lattice value is the cell centre on a linear scale; q on a log scale snaps the value.
    decode: (x) => snap(d, linearCells || isLattice(d) ? fromScale(scale, x) : fromScale(scale, Math.min(dim.high, Math.max(dim.low, x)))),
    prior: () => new TruncatedNormal((dim.low + dim.high) / 2, dim.high - dim.low, dim),
    around: (x, sigma) => new TruncatedNormal(x, sigma, dim),
  };
}

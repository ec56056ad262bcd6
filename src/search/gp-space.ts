// How the GP sees a search space: one coordinate per searched parameter. A numeric parameter's
// coordinate is its value in the sampling scale (log, log 1−x, linear) mapped onto [0, 1],
// snapped to the value it stands for (integers, q steps); a categorical one's is its category
// index (the kernel compares categories as one-hot vectors: gp-model.ts).
import type { Distribution } from '../core/distributions.js';
import type { ParamValue, Params } from '../core/types.js';
import { dimOf, type Dim } from './tpe-dims.js';

export interface GpCoordinate {
  dim: Dim;
  /** Number of categories; 0 for a numeric coordinate. */
  categories: number;
}

export interface GpSpace {
  coordinates: GpCoordinate[];
  /** The parameters held constant, as they are returned. */
  constants: Params;
}

/** The searched parameters of `parameters`, in the order of `names`. */
export function gpSpace(parameters: Readonly<Record<string, Distribution>>, names: readonly string[]): GpSpace {
  const coordinates: GpCoordinate[] = [];
  const constants: Params = {};
  for (const name of names) {
    const d = parameters[name] as Distribution;
    if (d.type === 'constant') constants[name] = d.value;
    else coordinates.push({ dim: dimOf(name, d), categories: d.type === 'categorical' ? d.values.length : 0 });
  }
  return { coordinates, constants };
}

/** A stored value's coordinate, or undefined when the value is not one of the parameter's. */
export function encodeValue(c: GpCoordinate, v: ParamValue | undefined): number | undefined {
  const x = c.dim.encode(v);
  if (x === undefined || c.categories > 0) return x;
  const { low, high } = c.dim.numeric!;
  return high > low ? Math.min(1, Math.max(0, (x - low) / (high - low))) : 0.5;
}

/** The value a coordinate stands for. */
export function decodeValue(c: GpCoordinate, u: number): ParamValue {
  if (c.categories > 0) return c.dim.decode(Math.min(c.categories - 1, Math.max(0, Math.round(u))));
  const { low, high } = c.dim.numeric!;
  return c.dim.decode(low + Math.min(1, Math.max(0, u)) * (high - low));
}

/** A free coordinate (any u in [0, 1)) moved to the point it stands for: a category index, a lattice cell. */
export function canonical(c: GpCoordinate, u: number): number {
  if (c.categories > 0) return Math.min(c.categories - 1, Math.floor(Math.max(0, u) * c.categories));
  return encodeValue(c, decodeValue(c, u)) ?? u;
}

/** A trial's point, or null when some parameter has no usable value in it. */
export function encodeParams(space: GpSpace, params: Params): Float64Array | null {
  const x = new Float64Array(space.coordinates.length);
  for (let j = 0; j < x.length; j++) {
    const c = space.coordinates[j] as GpCoordinate;
    const u = encodeValue(c, params[c.dim.name]);
    if (u === undefined) return null;
    x[j] = u;
  }
  return x;
}

export function decodePoint(space: GpSpace, x: Float64Array): Params {
  const params: Params = { ...space.constants };
  space.coordinates.forEach((c, j) => (params[c.dim.name] = decodeValue(c, x[j] as number)));
  return params;
}

/** The first n primes: the Halton bases. */
function primes(n: number): number[] {
  const out: number[] = [];
  for (let k = 2; out.length < n; k++) if (out.every((p) => k % p !== 0)) out.push(k);
  return out;
}

/** The radical inverse of i in base b: the Halton sequence's coordinate. */
function radicalInverse(i: number, b: number): number {
  let f = 1;
  let r = 0;
  for (let k = i; k > 0; k = Math.floor(k / b)) {
    f /= b;
    r += f * (k % b);
  }
  return r;
}

/**
 * `count` points of a Halton sequence in `shift.length` dimensions, shifted by `shift` modulo 1
 * (a seeded Cranley–Patterson rotation, so each trial gets its own quasi-random set).
 */
export function haltonPoints(count: number, shift: readonly number[]): Float64Array[] {
  const bases = primes(shift.length);
  return Array.from({ length: count }, (_, i) => {
    const x = new Float64Array(shift.length);
    for (let j = 0; j < x.length; j++) {
      const v = radicalInverse(i + 1, bases[j] as number) + (shift[j] as number);
      x[j] = v - Math.floor(v);
    }
    return x;
  });
}


// How the GP sees a space: coordinates in [0, 1] per scale, category indices, the point a free
// coordinate stands for, trials' points and back, and the Halton points, all by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import { canonical, decodePoint, decodeValue, encodeParams, encodeValue, gpSpace, haltonPoints, type GpCoordinate } from '../../src/search/gp-space.js';

const close = (a: number | undefined, b: number, tol: number, what: string): void => assert.ok(a !== undefined && Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

function one(d: Distribution): GpCoordinate {
  return gpSpace({ p: d }, ['p']).coordinates[0]!;
}

describe('gp-space', () => {
  it('lists the searched parameters in the order given, and keeps the constants apart', () => {
    const parameters: Record<string, Distribution> = {
      a: { type: 'uniform', min: 0, max: 1 },
      b: { type: 'constant', value: 'x' },
      c: { type: 'categorical', values: ['u', 'v', 'w'] },
      d: { type: 'int_uniform', min: 1, max: 4 },
    };
    const space = gpSpace(parameters, ['d', 'c', 'b', 'a']);
    assert.deepEqual(space.coordinates.map((c) => [c.dim.name, c.categories]), [['d', 0], ['c', 3], ['a', 0]]);
    assert.deepEqual(space.constants, { b: 'x' });
  });

  it('maps a numeric value onto [0, 1] of its sampling scale, clamped, and 0.5 for a range of one value', () => {
    const u = one({ type: 'uniform', min: 2, max: 12 });
    close(encodeValue(u, 7), 0.5, 1e-12, 'middle');
    close(encodeValue(u, 4.5), 0.25, 1e-12, 'a quarter');
    assert.equal(encodeValue(u, 0), 0, 'below the range');
    assert.equal(encodeValue(u, 20), 1, 'above the range');
    assert.equal(encodeValue(u, 'x'), undefined);
    assert.equal(encodeValue(u, undefined), undefined);
    const log = one({ type: 'log_uniform_values', min: 1e-3, max: 10 });
    close(encodeValue(log, 0.01), 0.25, 1e-12, 'log10 scale');
    const int = one({ type: 'int_uniform', min: 1, max: 4 });
    close(encodeValue(int, 3), 0.625, 1e-12, 'integer cells [0.5, 4.5]');
    assert.equal(encodeValue(one({ type: 'uniform', min: 2, max: 2 }), 2), 0.5);
  });

  it('encodes a category as its index and refuses a value that is not one', () => {
    const c = one({ type: 'categorical', values: ['a', 'b', 'c'] });
    assert.equal(c.categories, 3);
    assert.equal(encodeValue(c, 'b'), 1);
    assert.equal(encodeValue(c, 'c'), 2);
    assert.equal(encodeValue(c, 'z'), undefined);
  });

  it('decodes a coordinate to its value, clamped to the range and to the categories', () => {
    const u = one({ type: 'uniform', min: 2, max: 12 });
    close(decodeValue(u, 0.25) as number, 4.5, 1e-12, 'a quarter');
    assert.equal(decodeValue(u, 1.5), 12);
    assert.equal(decodeValue(u, -1), 2);
    close(decodeValue(one({ type: 'log_uniform_values', min: 1e-3, max: 10 }), 0.5) as number, 0.1, 1e-12, 'log10 scale');
    assert.equal(decodeValue(one({ type: 'int_uniform', min: 1, max: 4 }), 0.1), 1);
    assert.equal(decodeValue(one({ type: 'int_uniform', min: 1, max: 4 }), 0.7), 3);
    const c = one({ type: 'categorical', values: ['a', 'b', 'c'] });
    assert.equal(decodeValue(c, 1.6), 'c', 'rounded');
    assert.equal(decodeValue(c, 1.4), 'b');
    assert.equal(decodeValue(c, 7), 'c');
    assert.equal(decodeValue(c, -3), 'a');
  });

  it('moves a free coordinate to the point it stands for: a category index, an integer cell', () => {
    const c = one({ type: 'categorical', values: ['a', 'b', 'c'] });
    assert.equal(canonical(c, 0.33), 0);
    assert.equal(canonical(c, 0.34), 1);
    assert.equal(canonical(c, 0.5), 1);
    assert.equal(canonical(c, 0.999), 2);
    assert.equal(canonical(c, 1), 2);
    assert.equal(canonical(c, 5), 2);
    assert.equal(canonical(c, -0.2), 0);
    const int = one({ type: 'int_uniform', min: 1, max: 4 });
    close(canonical(int, 0.3), 0.375, 1e-12, '1.7 → 2 → (2 − 0.5)/4');
    close(canonical(int, 0.99), 0.875, 1e-12, '4.46 → 4');
    const u = one({ type: 'uniform', min: 0, max: 1 });
    close(canonical(u, 0.123), 0.123, 1e-12, 'a continuous coordinate stays');
    assert.equal(canonical(u, 1.5), 1);
  });

  it('encodes a trial into its point, or null when a parameter is missing or foreign, and decodes it back with the constants', () => {
    const parameters: Record<string, Distribution> = {
      a: { type: 'uniform', min: 0, max: 10 },
      b: { type: 'constant', value: 3 },
      c: { type: 'categorical', values: ['u', 'v'] },
    };
    const space = gpSpace(parameters, ['a', 'b', 'c']);
    const x = encodeParams(space, { a: 2.5, b: 3, c: 'v' });
    assert.deepEqual(x === null ? null : [...x], [0.25, 1]);
    assert.equal(encodeParams(space, { a: 2.5, b: 3 }), null);
    assert.equal(encodeParams(space, { a: 2.5, c: 'w' }), null);
    assert.equal(encodeParams(space, { c: 'u' }), null);
    assert.deepEqual(decodePoint(space, Float64Array.from([0.5, 0])), { b: 3, a: 5, c: 'u' });
  });

  it('gives the Halton points of the first primes, rotated modulo 1 by the shift', () => {
    const plain = haltonPoints(5, [0, 0, 0, 0, 0, 0]);
    assert.equal(plain.length, 5);
    assert.deepEqual([...plain[0]!], [1 / 2, 1 / 3, 1 / 5, 1 / 7, 1 / 11, 1 / 13]);
    const near = (a: Float64Array, b: number[]): void => b.forEach((v, j) => close(a[j], v, 1e-12, `coordinate ${j}`));
    near(plain[1]!, [1 / 4, 2 / 3, 2 / 5, 2 / 7, 2 / 11, 2 / 13]);
    near(plain[2]!, [3 / 4, 1 / 9, 3 / 5, 3 / 7, 3 / 11, 3 / 13]);
    near(plain[3]!, [1 / 8, 4 / 9, 4 / 5, 4 / 7, 4 / 11, 4 / 13]);
    near(plain[4]!, [5 / 8, 7 / 9, 1 / 25, 5 / 7, 5 / 11, 5 / 13]);
    const shifted = haltonPoints(3, [0.75, 0.5]);
    near(shifted[0]!, [0.25, 5 / 6]);
    near(shifted[1]!, [0, 1 / 6]);
    near(shifted[2]!, [0.5, 11 / 18]);
    assert.equal(haltonPoints(0, [0.1]).length, 0);
  });
});

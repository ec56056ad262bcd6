// The study diagnosis' numeric helpers, against figures worked out by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hypergeometricTail, parabolaVertex, roundBetween, roundOutward } from '../../src/diagnose/stats.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);
const choose = (n: number, k: number): number => (k < 0 || k > n ? 0 : k === 0 ? 1 : (choose(n - 1, k - 1) * n) / k);

describe('hypergeometricTail', () => {
  it('P(at least h marked among d drawn), summed term by term', () => {
    // 10 trials, 4 diverged, 3 beyond a cut: P(≥ 2 of them diverged) = (C(4,2)C(6,1) + C(4,3)C(6,0)) / C(10,3) = 40/120.
    close(hypergeometricTail(10, 4, 3, 2), 40 / 120);
    close(hypergeometricTail(10, 4, 3, 3), 4 / 120);
    close(hypergeometricTail(10, 4, 3, 1), 1 - choose(6, 3) / 120);
    // A larger case against the binomial coefficients.
    let p = 0;
    for (let k = 5; k <= 8; k++) p += (choose(8, k) * choose(32, 12 - k)) / choose(40, 12);
    close(hypergeometricTail(40, 8, 12, 5), p, 1e-10);
  });

  it('edges: no hit needed is certain, more hits than possible is impossible, terms the population cannot hold are skipped', () => {
    assert.equal(hypergeometricTail(10, 4, 3, 0), 1);
    assert.equal(hypergeometricTail(10, 4, 3, -1), 1);
    assert.equal(hypergeometricTail(10, 4, 3, 4), 0, 'only 3 drawn');
    assert.equal(hypergeometricTail(10, 2, 5, 3), 0, 'only 2 marked');
    // 5 drawn of 6 with 4 marked: at least 3 marked are always drawn (only 2 unmarked exist).
    close(hypergeometricTail(6, 4, 5, 3), 1);
    close(hypergeometricTail(6, 4, 5, 2), 1, 1e-12);
    close(hypergeometricTail(6, 4, 5, 4), choose(4, 4) * choose(2, 1) / choose(6, 5));
    assert.ok(hypergeometricTail(200, 100, 100, 1) <= 1);
  });
});

describe('roundBetween', () => {
  it('the target at the fewest significant digits that fall strictly inside', () => {
    assert.equal(roundBetween(0.2, 0.5, 0.3412, false), 0.3);
    assert.equal(roundBetween(0.33, 0.35, 0.3412, false), 0.34);
    assert.equal(roundBetween(0.341, 0.3415, 0.3412, false), 0.3412);
    assert.equal(roundBetween(0.3, 0.4, 0.3, false), null, 'the target on the bound: nothing rounds inside');
    assert.equal(roundBetween(1e-4, 3e-4, 1.7e-4, false), 0.0002);
  });

  it('integers: rounded to whole numbers, else the first integer above lo, else none', () => {
    assert.equal(roundBetween(10, 40, 23.7, true), 20);
    assert.equal(roundBetween(21, 24, 23.7, true), 22, '23.7 rounds to 24 at every precision: the first integer above 21');
    assert.equal(roundBetween(3, 4, 3.5, true), null, 'no integer strictly between 3 and 4');
    assert.equal(roundBetween(3.2, 4.5, 3.3, true), 4);
  });

  it('a target outside the interval gives none', () => {
    assert.equal(roundBetween(0.5, 0.9, 0.2, false), null);
    assert.equal(roundBetween(0.5, 0.9, 0.5, false), null, 'strictly inside');
  });
});

describe('roundOutward', () => {
  it('to 2 significant digits, up for a maximum and down for a minimum', () => {
    assert.equal(roundOutward(0.0123, true, false, false), 0.013);
    assert.equal(roundOutward(0.0123, false, false, false), 0.012);
    assert.equal(roundOutward(4567, true, false, false), 4600);
    assert.equal(roundOutward(4567, false, false, false), 4500);
    assert.equal(roundOutward(-0.0123, true, false, false), -0.012);
  });

  it('a value already round stays (no floating-point step past it)', () => {
    assert.equal(roundOutward(0.1, true, false, false), 0.1);
    assert.equal(roundOutward(0.1, false, false, false), 0.1);
    assert.equal(roundOutward(120, true, false, false), 120);
  });

  it('near one: the distance to 1 is rounded, the other way, and the bound stays below 1', () => {
    close(roundOutward(0.999374, true, true, false), 1 - 0.00062);
    close(roundOutward(0.999374, false, true, false), 1 - 0.00063);
    assert.ok(roundOutward(0.999374, true, true, false) < 1);
  });

  it('integers round to whole numbers outward; zero and non-finite values are returned as they are', () => {
    assert.equal(roundOutward(7.3, true, false, true), 8);
    assert.equal(roundOutward(7.3, false, false, true), 7);
    assert.equal(roundOutward(0, true, false, false), 0);
    assert.equal(roundOutward(Number.POSITIVE_INFINITY, false, false, false), Number.POSITIVE_INFINITY);
  });
});

describe('parabolaVertex', () => {
  it('the vertex of a parabola through exact points, and of the least-squares fit of noisy ones', () => {
    const xs = [-2, -1, 0, 1, 2, 3];
    close(parabolaVertex(xs, xs.map((x) => 3 * (x - 0.7) ** 2 + 1))!, 0.7, 1e-9);
    // Symmetric noise around the same parabola leaves the fitted vertex in place.
    const sym = [-1, 0, 1, 2];
    close(parabolaVertex([...sym, ...sym], [...sym.map((x) => (x - 0.5) ** 2 + 0.1), ...sym.map((x) => (x - 0.5) ** 2 - 0.1)])!, 0.5, 1e-9);
  });

  it('null for a parabola opening downwards, a line, fewer than 3 points, or one x only', () => {
    const xs = [0, 1, 2, 3];
    assert.equal(parabolaVertex(xs, xs.map((x) => -((x - 1) ** 2))), null);
    assert.equal(parabolaVertex(xs, xs.map((x) => 2 * x + 1)), null);
    assert.equal(parabolaVertex([0, 1], [1, 0]), null);
    assert.equal(parabolaVertex([1, 1, 1], [1, 2, 3]), null);
    assert.equal(parabolaVertex([0, 1, 2, 9], [4, 1, 0]), parabolaVertex([0, 1, 2], [4, 1, 0]), 'only as many points as both lists have');
  });
});

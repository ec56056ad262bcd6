// method: grid — each axis rule at its edge: the size limits, the ends of a spaced axis,
// the messages, and the trial numbers a grid takes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import { UsageError } from '../../src/core/errors.js';
import { GridSampler, MAX_AXIS_POINTS, gridAxes, gridAxis } from '../../src/search/grid.js';
import { createSampler } from '../../src/search/index.js';
import { options } from './setup.js';

const grid = (parameters: Record<string, Distribution>, run_cap: number | null = null) =>
  createSampler(options(parameters, { method: 'grid', run_cap }));

/** Asserts that `f` throws a UsageError whose message is exactly `message`. */
function throwsUsage(f: () => unknown, message: string): void {
  assert.throws(f, (e: unknown) => e instanceof UsageError && e.message === message);
}

describe('method: grid, axis rules', () => {
  it('enumerates up to MAX_AXIS_POINTS lattice points without grid_points, and refuses one more', () => {
    assert.equal(MAX_AXIS_POINTS, 100_000);
    const full = gridAxis('n', { type: 'int_uniform', min: 1, max: MAX_AXIS_POINTS });
    assert.equal(full.length, MAX_AXIS_POINTS);
    assert.equal(full[0], 1);
    assert.equal(full.at(-1), MAX_AXIS_POINTS);
    throwsUsage(
      () => gridAxis('n', { type: 'int_uniform', min: 0, max: MAX_AXIS_POINTS }),
      'parameter n: 100001 grid points without grid_points; set grid_points (at most 100000)',
    );
    throwsUsage(
      () => gridAxis('n', { type: 'int_uniform', min: 5, max: MAX_AXIS_POINTS + 5 }),
      'parameter n: 100001 grid points without grid_points; set grid_points (at most 100000)',
    );
    // A q range counts its multiples of q, not the width of its bounds.
    assert.equal(gridAxis('q', { type: 'q_uniform', min: 0.5, max: 50_000, q: 0.5 }).length, MAX_AXIS_POINTS);
    throwsUsage(
      () => gridAxis('q', { type: 'q_uniform', min: 0, max: 50_000, q: 0.5 }),
      'parameter q: 100001 grid points without grid_points; set grid_points (at most 100000)',
    );
  });

  it('takes grid_points up to MAX_AXIS_POINTS, and refuses more', () => {
    assert.equal(gridAxis('x', { type: 'uniform', min: 0, max: 1, grid_points: MAX_AXIS_POINTS }).length, MAX_AXIS_POINTS);
    throwsUsage(() => gridAxis('x', { type: 'uniform', min: 0, max: 1, grid_points: MAX_AXIS_POINTS + 1 }), 'parameter x: grid_points 100001 is more than 100000');
  });

  it('honours grid_points on int and q ranges rather than enumerating them', () => {
    assert.deepEqual(gridAxis('n', { type: 'int_uniform', min: 0, max: 100, grid_points: 3 }), [0, 50, 100]);
    assert.deepEqual(gridAxis('q', { type: 'q_uniform', min: 0, max: 1, q: 0.1, grid_points: 2 }), [0, 1]);
  });

  it('enumerates a q range without grid_points as its multiples of q (not integer steps)', () => {
    assert.deepEqual(gridAxis('q', { type: 'q_uniform', min: 0.2, max: 1, q: 0.25 }), [0.25, 0.5, 0.75, 1]);
    assert.deepEqual(gridAxis('b', { type: 'q_log_uniform_values', min: 10, max: 40, q: 10 }), [10, 20, 30, 40]);
  });

  it('names the range type a grid cannot enumerate', () => {
    throwsUsage(() => gridAxis('x', { type: 'uniform', min: 0, max: 1 }), 'parameter x: method grid needs grid_points (or values) for a uniform range');
    throwsUsage(
      () => gridAxis('b', { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.99 }),
      'parameter b: method grid needs grid_points (or values) for a one_minus_log_uniform_values range',
    );
  });

  it('puts the spec bounds themselves at the ends of a log axis, not their round trip through log10', () => {
    // 10 ** log10(x) misses both of these by one unit in the 15th digit (upwards for the
    // first, downwards for the second); the axis must still start and end at the bounds.
    const min = 0.00804499186237596;
    const max = 0.00987001048848773;
    assert.deepEqual(gridAxis('lr', { type: 'log_uniform_values', min, max, grid_points: 2 }), [min, max]);
    const three = gridAxis('lr', { type: 'log_uniform_values', min, max, grid_points: 3 });
    assert.equal(three[0], min);
    assert.equal(three[2], max);
    assert.ok((three[1] as number) > min && (three[1] as number) < max);
  });

  it('puts a single grid point in the middle of the scale (geometric middle for log)', () => {
    assert.deepEqual(gridAxis('lr', { type: 'log_uniform_values', min: 1e-4, max: 1e-2, grid_points: 1 }), [1e-3]);
    assert.deepEqual(gridAxis('x', { type: 'uniform', min: 2, max: 6, grid_points: 1 }), [4]);
    assert.deepEqual(gridAxis('n', { type: 'int_uniform', min: 2, max: 4, grid_points: 1 }), [3]);
  });

  it('drops a duplicate only when it is the previous point (and keeps distinct ones)', () => {
    // 0, 0.4, 0.8, 1.2, 1.6, 2 rounded: 0, 0, 1, 1, 2, 2.
    assert.deepEqual(gridAxis('n', { type: 'int_uniform', min: 0, max: 2, grid_points: 6 }), [0, 1, 2]);
    assert.deepEqual(gridAxis('n', { type: 'int_uniform', min: 0, max: 1, grid_points: 2 }), [0, 1]);
  });

  it('gives a constant one point and a categorical its values, whatever else the record holds', () => {
    assert.deepEqual(gridAxis('c', { type: 'constant', value: 'x' }), ['x']);
    assert.deepEqual(gridAxis('c', { type: 'categorical', values: [3, 1, 2] }), [3, 1, 2]);
    assert.deepEqual(gridAxes({ b: { type: 'constant', value: 1 }, a: { type: 'categorical', values: [true, false] } }), [
      { name: 'a', values: [true, false] },
      { name: 'b', values: [1] },
    ]);
  });
});

describe('method: grid, the sampler', () => {
  const parameters: Record<string, Distribution> = {
    z: { type: 'categorical', values: ['p', 'q'] },
    a: { type: 'int_uniform', min: 1, max: 3 },
    m: { type: 'constant', value: 0 },
  };

  it('takes every trial number from 0 to planned − 1 and no other', () => {
    const sampler = grid(parameters);
    assert.equal(sampler.planned, 6);
    assert.deepEqual(sampler.suggest(0, []).params, { a: 1, m: 0, z: 'p' });
    assert.deepEqual(sampler.suggest(5, []).params, { a: 3, m: 0, z: 'q' });
    for (const bad of [-1, 6, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => sampler.suggest(bad, []), RangeError, String(bad));
    }
    assert.throws(() => sampler.suggest(6, []), { message: 'trial 6 is outside the grid of 6 points (trials 0 to 5)' });
  });

  it('walks the last name fastest and carries into the earlier ones', () => {
    const sampler = grid(parameters);
    const points = Array.from({ length: 6 }, (_, k) => sampler.suggest(k, []).params);
    assert.deepEqual(
      points.map((p) => `${String(p.a)}${String(p.z)}`),
      ['1p', '1q', '2p', '2q', '3p', '3q'],
    );
  });

  it('returns the keys in sorted name order whatever the spec order', () => {
    const s = grid(parameters).suggest(3, []);
    assert.deepEqual(Object.keys(s.params), ['a', 'm', 'z']);
  });

  it('refuses a grid too large to number its points exactly', () => {
    const wide: Distribution = { type: 'int_uniform', min: 1, max: MAX_AXIS_POINTS };
    // 10^20 points: past Number.MAX_SAFE_INTEGER, with or without a run_cap.
    const huge = { a: wide, b: wide, c: wide, d: wide };
    throwsUsage(() => new GridSampler(options(huge, { method: 'grid' })), 'the grid has too many points to enumerate');
    // 10^15 points is still a count.
    assert.equal(new GridSampler(options({ a: wide, b: wide, c: wide }, { method: 'grid' })).planned, 1e15);
  });

  it('says how many points exceed run_cap, and takes a grid exactly at run_cap', () => {
    throwsUsage(() => grid(parameters, 5), 'the grid has 6 points, more than run_cap 5; raise run_cap or omit it to run the whole grid');
    assert.equal(grid(parameters, 6).planned, 6);
    assert.equal(grid(parameters, null).planned, 6);
  });

  it('refuses a distribution nothing can be drawn from', () => {
    throwsUsage(() => grid({ n: { type: 'int_uniform', min: 0.2, max: 0.8, grid_points: 2 } }), 'parameter n: no integer between min 0.2 and max 0.8');
  });

  it('has no stages', () => {
    assert.deepEqual(grid(parameters).stages(), []);
  });
});

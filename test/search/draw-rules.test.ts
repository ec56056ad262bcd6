// One draw's rules that the distribution tests in draw.test.ts do not reach: q steps on a log
// scale, zero-probability categories at the top of the unit interval, and the guards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import { UsageError } from '../../src/core/errors.js';
import { checkDistribution, drawIndex, drawNumeric, drawValue } from '../../src/search/draw.js';

describe('draws, rule by rule', () => {
  it('draws q steps on a log scale evenly per decade, not per unit', () => {
    const d = { type: 'q_log_uniform_values', min: 1, max: 1000, q: 1 } as const;
    const xs = Array.from({ length: 3000 }, (_, i) => drawNumeric(d, (i + 0.5) / 3000));
    const decade = (lo: number, hi: number): number => xs.filter((x) => x >= lo && x < hi).length / xs.length;
    // A third in each decade (a linear draw would put 90 % in the last).
    for (const [lo, hi] of [[1, 10], [10, 100], [100, 1001]] as const) assert.ok(Math.abs(decade(lo, hi) - 1 / 3) < 0.03, `${lo}..${hi}: ${decade(lo, hi)}`);
    // On a linear q range, u maps linearly: the middle of [0, 1] at q 0.1 is 0.5.
    assert.equal(drawNumeric({ type: 'q_uniform', min: 0, max: 1, q: 0.1 }, 0.5), 0.5);
    assert.equal(drawNumeric({ type: 'q_uniform', min: 0, max: 1, q: 0.1 }, 0.26), 0.3);
  });

  it('picks categories by cumulative probability, skipping zero ones even at the top of [0, 1)', () => {
    assert.deepEqual([0, 0.49, 0.5, 0.74, 0.75, 0.99].map((u) => drawIndex(3, [0.5, 0.25, 0.25], u)), [0, 0, 1, 1, 2, 2]);
    // Weights need not sum to one.
    assert.deepEqual([0, 0.49, 0.5].map((u) => drawIndex(2, [2, 2], u)), [0, 0, 1]);
    assert.equal(drawIndex(3, [0, 1, 0], 0), 1);
    assert.equal(drawIndex(3, [0, 1, 0], 1 - 2 ** -53), 1);
    assert.equal(drawIndex(7, [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0], 1 - 2 ** -53), 5);
    assert.deepEqual([0, 0.33, 0.34, 0.999].map((u) => drawIndex(3, undefined, u)), [0, 0, 1, 2]);
    const d: Distribution = { type: 'categorical', values: ['a', 'b'] };
    assert.equal(drawValue(d, 0.7), 'b');
  });

  it('rejects the other distributions nothing can be drawn from', () => {
    const bad: [string, Distribution][] = [
      ['a negative probability', { type: 'categorical', values: [1, 2], probabilities: [1, -0.5] }],
      ['a NaN probability', { type: 'categorical', values: [1, 2], probabilities: [1, Number.NaN] }],
      ['all-zero probabilities', { type: 'categorical', values: [1, 2], probabilities: [0, 0] }],
      ['an infinite bound', { type: 'uniform', min: 0, max: Number.POSITIVE_INFINITY }],
      ['a q log bound ≤ 0', { type: 'q_log_uniform_values', min: 0, max: 1, q: 0.1 }],
      ['a 1−β bound ≤ 0', { type: 'one_minus_log_uniform_values', min: 0, max: 0.9 }],
      ['a NaN q', { type: 'q_uniform', min: 0, max: 1, q: Number.NaN }],
      ['an infinite q', { type: 'q_uniform', min: 0, max: 1, q: Number.POSITIVE_INFINITY }],
      ['grid_points 0', { type: 'uniform', min: 0, max: 1, grid_points: 0 }],
      ['grid_points 1.5', { type: 'uniform', min: 0, max: 1, grid_points: 1.5 }],
    ];
    for (const [what, d] of bad) assert.throws(() => checkDistribution('lr', d), /parameter lr:/, what);
    const good: Distribution[] = [
      { type: 'categorical', values: [1, 2], probabilities: [0, 1] },
      { type: 'uniform', min: 1, max: 1 },
      { type: 'int_uniform', min: 1, max: 1 },
      { type: 'q_uniform', min: 0.1, max: 0.1, q: 0.1 },
      { type: 'uniform', min: 0, max: 1, grid_points: 1 },
      { type: 'one_minus_log_uniform_values', min: 0.5, max: 0.999 },
      { type: 'constant', value: 'x' },
    ];
    for (const d of good) assert.doesNotThrow(() => checkDistribution('lr', d), JSON.stringify(d));
  });

  it('says in the message what is wrong with the distribution', () => {
    const says: [Distribution, RegExp][] = [
      [{ type: 'categorical', values: [] }, /^parameter lr: values must not be empty$/],
      [{ type: 'categorical', values: [1, 2], probabilities: [1] }, /^parameter lr: 1 probabilities for 2 values$/],
      [{ type: 'categorical', values: [1, 2], probabilities: [1, -1] }, /^parameter lr: probabilities must be finite and ≥ 0$/],
      [{ type: 'categorical', values: [1, 2], probabilities: [1, Number.POSITIVE_INFINITY] }, /^parameter lr: probabilities must be finite and ≥ 0$/],
      [{ type: 'categorical', values: [1, 2], probabilities: [0, 0] }, /^parameter lr: probabilities must not all be 0$/],
      [{ type: 'uniform', min: 2, max: 1 }, /^parameter lr: needs finite min ≤ max \(got 2, 1\)$/],
      [{ type: 'uniform', min: Number.NEGATIVE_INFINITY, max: 1 }, /^parameter lr: needs finite min ≤ max \(got -Infinity, 1\)$/],
      [{ type: 'uniform', min: Number.NaN, max: 1 }, /^parameter lr: needs finite min ≤ max/],
      [{ type: 'log_uniform_values', min: -1, max: 1 }, /^parameter lr: log bounds must be > 0 \(bounds are values, not logarithms\)$/],
      [{ type: 'q_log_uniform_values', min: 0, max: 1, q: 0.1 }, /^parameter lr: log bounds must be > 0/],
      [{ type: 'one_minus_log_uniform_values', min: 0, max: 0.9 }, /^parameter lr: 1−β bounds must lie inside \(0, 1\)$/],
      [{ type: 'one_minus_log_uniform_values', min: 0.5, max: 1 }, /^parameter lr: 1−β bounds must lie inside \(0, 1\)$/],
      [{ type: 'int_uniform', min: 1.2, max: 1.8 }, /^parameter lr: no integer between min 1.2 and max 1.8$/],
      [{ type: 'q_uniform', min: 0, max: 1, q: 0 }, /^parameter lr: q must be > 0 \(got 0\)$/],
      [{ type: 'q_uniform', min: 0, max: 1, q: -0.1 }, /^parameter lr: q must be > 0 \(got -0.1\)$/],
      [{ type: 'q_uniform', min: 0.11, max: 0.19, q: 0.1 }, /^parameter lr: no multiple of q = 0.1 between min 0.11 and max 0.19$/],
      [{ type: 'q_log_uniform_values', min: 1.1, max: 1.9, q: 1 }, /^parameter lr: no multiple of q = 1 between min 1.1 and max 1.9$/],
      [{ type: 'uniform', min: 0, max: 1, grid_points: 0 }, /^parameter lr: grid_points must be an integer ≥ 1 \(got 0\)$/],
      [{ type: 'int_uniform', min: 0, max: 9, grid_points: 2.5 }, /^parameter lr: grid_points must be an integer ≥ 1 \(got 2.5\)$/],
    ];
    for (const [d, message] of says) {
      assert.throws(() => checkDistribution('lr', d), (e: unknown) => e instanceof UsageError && message.test(e.message), JSON.stringify(d));
    }
    // Bounds that are fine for a linear range are not refused as log or 1−β bounds.
    for (const d of [
      { type: 'uniform', min: -1, max: 1 },
      { type: 'int_uniform', min: -3, max: 2 },
      { type: 'q_uniform', min: -1, max: 1, q: 0.5 },
      { type: 'log_uniform_values', min: 1e-9, max: 1 },
      { type: 'one_minus_log_uniform_values', min: 1e-9, max: 0.999999 },
    ] as const) {
      assert.doesNotThrow(() => checkDistribution('lr', d), JSON.stringify(d));
    }
  });

  it('draws a constant as its value and refuses a categorical with nothing to draw', () => {
    assert.equal(drawValue({ type: 'constant', value: 0.5 }, 0.9), 0.5);
    assert.throws(() => drawValue({ type: 'categorical', values: [] }, 0.5), (e: unknown) => e instanceof RangeError && /without values/.test(e.message));
  });
});

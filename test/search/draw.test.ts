// Every distribution's draws: inside bounds and on the lattice (property tests), and with
// the right shape (distribution tests with stated tolerances, fixed seeds).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Distribution, NumericDistribution } from '../../src/core/distributions.js';
import { checkDistribution, drawParams, drawValue } from '../../src/search/index.js';
import { chiSquare, ksUniform, onLattice } from './setup.js';

const N = 20_000;
/**
 * KS tolerance for N = 20 000 draws. Under a correct sampler √N·D follows the Kolmogorov
 * distribution, so P(D > 0.015) = P(√N·D > 2.12) ≈ 2·e^(−2·2.12²) ≈ 3·10⁻⁴: a correct
 * sampler passes, while a CDF off by 1.5 points anywhere fails. Seeds are fixed, so the
 * test is deterministic either way.
 */
const KS_TOLERANCE = 0.015;
/** chi-square critical values at p = 0.001, by degrees of freedom. */
const CHI2_P001: Record<number, number> = { 3: 16.27, 5: 20.52 };

/** N draws of one parameter through the real path: seed 11, trials 0 … N−1. */
function draws(d: Distribution, seed = 11): number[] {
  return Array.from({ length: N }, (_, k) => drawParams(seed, k, { x: d }).x as number);
}

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const valid = (d: Distribution): boolean => {
  try {
    checkDistribution('x', d);
    return true;
  } catch {
    return false;
  }
};
const someQ = fc.oneof(fc.constantFrom(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10), finite(1e-3, 10));
const numeric: fc.Arbitrary<NumericDistribution> = fc
  .oneof(
    fc.tuple(finite(-1e6, 1e6), finite(0, 1e6)).map(([a, w]): NumericDistribution => ({ type: 'uniform', min: a, max: a + w })),
    fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.nat(1000)).map(([a, w]): NumericDistribution => ({ type: 'int_uniform', min: a, max: a + w })),
    fc.tuple(finite(-100, 100), finite(0, 100)).map(([a, w]): NumericDistribution => ({ type: 'int_uniform', min: a, max: a + w })),
    fc.tuple(finite(-100, 100), finite(0, 100), someQ).map(([a, w, q]): NumericDistribution => ({ type: 'q_uniform', min: a, max: a + w, q })),
    fc.tuple(finite(-10, 5), finite(0, 8)).map(([e, s]): NumericDistribution => ({ type: 'log_uniform_values', min: 10 ** e, max: 10 ** (e + s) })),
    fc.tuple(finite(-4, 3), finite(0, 4), someQ).map(([e, s, q]): NumericDistribution => ({ type: 'q_log_uniform_values', min: 10 ** e, max: 10 ** (e + s), q })),
    fc.tuple(finite(-8, -0.01), finite(0, 6)).map(([e, s]): NumericDistribution => ({
      type: 'one_minus_log_uniform_values',
      min: 1 - 10 ** e,
      max: 1 - 10 ** (e - s),
    })),
  )
  .filter(valid);

function assertInside(d: NumericDistribution, x: number): void {
  assert.ok(x >= d.min && x <= d.max, `${x} outside [${d.min}, ${d.max}] (${d.type})`);
  if (d.type === 'int_uniform') assert.ok(Number.isInteger(x), `${x} is not an integer`);
  if (d.type === 'q_uniform' || d.type === 'q_log_uniform_values') assert.ok(onLattice(x, d.q), `${x} is not a multiple of ${d.q}`);
}

describe('draws stay inside their distribution (property tests)', () => {
  it('numeric draws lie in [min, max] and on the int/q lattice, for any u in [0, 1)', () => {
    const u = fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.constantFrom(0, 1 - 2 ** -53));
    fc.assert(fc.property(numeric, u, (d, v) => assertInside(d, drawValue(d, v) as number)), { numRuns: 2000 });
  });

  it('numeric draws through seeded streams lie in [min, max] and on the lattice', () => {
    fc.assert(
      fc.property(numeric, fc.integer(), fc.nat(1_000_000), (d, seed, trial) => assertInside(d, drawParams(seed, trial, { x: d }).x as number)),
      { numRuns: 1000 },
    );
  });

  it('categorical draws are one of the values, never a zero-probability one', () => {
    const categorical = fc
      .uniqueArray(fc.oneof(fc.string(), fc.integer(), fc.boolean()), { minLength: 1, maxLength: 8 })
      .chain((values) =>
        fc.record({
          values: fc.constant(values),
          probabilities: fc.option(fc.array(fc.constantFrom(0, 0.5, 1, 3), { minLength: values.length, maxLength: values.length })),
        }),
      )
      .map(({ values, probabilities }): Distribution =>
        probabilities === null ? { type: 'categorical', values } : { type: 'categorical', values, probabilities },
      )
      .filter(valid);
    fc.assert(
      fc.property(categorical, fc.integer(), fc.nat(1_000_000), (d, seed, trial) => {
        assert.equal(d.type, 'categorical');
        if (d.type !== 'categorical') return;
        const v = drawParams(seed, trial, { x: d }).x as (typeof d.values)[number];
        const i = d.values.indexOf(v);
        assert.ok(i >= 0);
        if (d.probabilities !== undefined) assert.ok((d.probabilities[i] ?? 0) > 0);
      }),
      { numRuns: 1000 },
    );
  });

  it('a constant is its value', () => {
    assert.equal(drawParams(1, 5, { x: { type: 'constant', value: 'adam' } }).x, 'adam');
  });
});

describe('draws have the right distribution (fixed seeds, stated tolerances)', () => {
  it('log_uniform_values is uniform in log10(x): KS < 0.015 and equal counts per decade', () => {
    const xs = draws({ type: 'log_uniform_values', min: 1e-5, max: 1e-1 });
    const ks = ksUniform(xs.map((x) => (Math.log10(x) + 5) / 4));
    assert.ok(ks < KS_TOLERANCE, `KS ${ks}`);
    // 4 decades × 5000 expected; binomial sd ≈ 61 (1.2 %), so 5 % is ≈ 4 sd.
    const perDecade = [0, 0, 0, 0];
    for (const x of xs) perDecade[Math.min(3, Math.floor(Math.log10(x) + 5))]! += 1;
    for (const c of perDecade) assert.ok(Math.abs(c - N / 4) < 0.05 * (N / 4), `decade counts ${perDecade.join(', ')}`);
  });

  it('one_minus_log_uniform_values is uniform in log10(1 − β): KS < 0.015, equal counts per decade', () => {
    const betas = draws({ type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 }, 12);
    // r = log10(1 − β) ∈ [−3, −1].
    const ks = ksUniform(betas.map((b) => (Math.log10(1 - b) + 3) / 2));
    assert.ok(ks < KS_TOLERANCE, `KS ${ks}`);
    const inFirstDecade = betas.filter((b) => b < 0.99).length; // β ∈ [0.9, 0.99): window 10 … 100 steps
    assert.ok(Math.abs(inFirstDecade - N / 2) < 0.03 * (N / 2), `${inFirstDecade} of ${N} below 0.99`);
  });

  it('the KS check has power: linear-uniform β fails the log10(1 − β) test', () => {
    const betas = draws({ type: 'uniform', min: 0.9, max: 0.999 });
    assert.ok(ksUniform(betas.map((b) => (Math.log10(1 - b) + 3) / 2)) > 0.1);
  });

  it('uniform is uniform: KS < 0.015', () => {
    const xs = draws({ type: 'uniform', min: -2, max: 3 });
    assert.ok(ksUniform(xs.map((x) => (x + 2) / 5)) < KS_TOLERANCE);
  });

  it('int_uniform puts equal mass on every integer, ends included (chi-square, p = 0.001)', () => {
    const xs = draws({ type: 'int_uniform', min: 1, max: 6 });
    const counts = [1, 2, 3, 4, 5, 6].map((v) => xs.filter((x) => x === v).length);
    assert.ok(chiSquare(counts, Array<number>(6).fill(1 / 6)) < CHI2_P001[5]!, counts.join(', '));
  });

  it('categorical honours probabilities (chi-square, p = 0.001)', () => {
    const probabilities = [0.5, 0.3, 0.15, 0.05];
    const d: Distribution = { type: 'categorical', values: ['a', 'b', 'c', 'd'], probabilities };
    const xs = Array.from({ length: N }, (_, k) => drawParams(3, k, { x: d }).x);
    const counts = ['a', 'b', 'c', 'd'].map((v) => xs.filter((x) => x === v).length);
    assert.ok(chiSquare(counts, probabilities) < CHI2_P001[3]!, counts.join(', '));
  });

  it('categorical without probabilities is uniform (chi-square, p = 0.001)', () => {
    const d: Distribution = { type: 'categorical', values: [32, 64, 128, 256] };
    const xs = Array.from({ length: N }, (_, k) => drawParams(5, k, { x: d }).x);
    const counts = [32, 64, 128, 256].map((v) => xs.filter((x) => x === v).length);
    assert.ok(chiSquare(counts, [0.25, 0.25, 0.25, 0.25]) < CHI2_P001[3]!, counts.join(', '));
  });

  it('q ranges whose bounds are not multiples of q return only multiples inside', () => {
    const xs = new Set(draws({ type: 'q_uniform', min: 0.05, max: 0.95, q: 0.1 }));
    assert.deepEqual([...xs].sort((a, b) => a - b), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    const logs = new Set(draws({ type: 'q_log_uniform_values', min: 1e-4, max: 1, q: 0.01 }));
    assert.ok(!logs.has(1e-4) && logs.has(0.01) && logs.has(1));
  });
});

describe('checkDistribution', () => {
  const bad: [string, Distribution][] = [
    ['min > max', { type: 'uniform', min: 2, max: 1 }],
    ['log bound ≤ 0', { type: 'log_uniform_values', min: 0, max: 1 }],
    ['1−β bound ≥ 1', { type: 'one_minus_log_uniform_values', min: 0.9, max: 1 }],
    ['no integer inside', { type: 'int_uniform', min: 1.2, max: 1.8 }],
    ['no multiple of q inside', { type: 'q_uniform', min: 0.11, max: 0.19, q: 0.1 }],
    ['q ≤ 0', { type: 'q_uniform', min: 0, max: 1, q: 0 }],
    ['empty values', { type: 'categorical', values: [] }],
    ['probabilities of the wrong length', { type: 'categorical', values: [1, 2], probabilities: [1] }],
  ];
  for (const [what, d] of bad) {
    it(`rejects ${what}, naming the parameter`, () => {
      assert.throws(() => checkDistribution('lr', d), /parameter lr:/);
    });
  }
});

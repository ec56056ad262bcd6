// PBT's explore step rule by rule: when a value is redrawn, which factor a draw picks, the
// factor applied in the parameter's own scale (log, 1−β, linear, integer), clipping to the
// range, and the neighbour of a categorical or grid value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import { explore, scaleBy, type ExploreOptions } from '../../src/search/pbt-explore.js';

const fixed = (u: number): { uniform: () => number } => ({ uniform: () => u });
/** Returns the given draws in order. */
const draws = (...us: number[]): { uniform: () => number } => ({ uniform: () => us.shift() as number });
const KEEP: ExploreOptions = { resample_probability: 0, perturbation_factors: [0.8, 1.2] };

const LR = { type: 'log_uniform_values', min: 1e-4, max: 1e-1 } as const;
const BETA = { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 } as const;
const DROP = { type: 'uniform', min: 0, max: 0.5 } as const;
const UNITS = { type: 'int_uniform', min: 8, max: 64 } as const;
const OPT: Distribution = { type: 'categorical', values: ['sgd', 'adam', 'rmsprop'] };
const MOM: Distribution = { type: 'uniform', min: 0.5, max: 0.9, grid_points: 5 };

const one = (d: Distribution, from: number | string, options: ExploreOptions, rng: { uniform: () => number }) => {
  const out = explore({ p: from }, { p: d }, options, rng);
  return { to: out.params['p'], change: out.changes['p'] };
};

describe('pbt explore, rule by rule', () => {
  it('redraws a parameter from its distribution when the first draw is under resample_probability', () => {
    // u 0.5 on a log range: the middle decade, 10^−2.5.
    const r = one(LR, 0.01, { resample_probability: 0.6, perturbation_factors: [1.2] }, fixed(0.5));
    assert.ok(Math.abs((r.to as number) - 10 ** -2.5) < 1e-12, String(r.to));
    assert.equal(r.change?.how, 'resampled');
    // Not under it (0.5 is not < 0.5): scaled instead.
    assert.equal(one(LR, 0.01, { resample_probability: 0.5, perturbation_factors: [1.2] }, fixed(0.5)).change?.how, 'scaled');
    // A redraw that lands on the old value is still a redraw.
    assert.equal(one(OPT, 'adam', { resample_probability: 1, perturbation_factors: [1.2] }, fixed(0.5)).change?.how, 'resampled');
  });

  it('picks the factor by the second draw, evenly over the list', () => {
    const pick = (u: number): number | undefined => one(DROP, 0.2, KEEP, draws(0.99, u)).change?.factor;
    assert.equal(pick(0), 0.8);
    assert.equal(pick(0.49), 0.8);
    assert.equal(pick(0.5), 1.2);
    assert.equal(pick(0.9999999), 1.2);
    const r = one(DROP, 0.2, KEEP, draws(0.99, 0.7));
    assert.ok(Math.abs((r.to as number) - 0.24) < 1e-12);
    assert.deepEqual({ ...r.change, to: 0 }, { from: 0.2, to: 0, how: 'scaled', factor: 1.2 });
  });

  it('explores the parameters in name order, two draws each, and leaves constants and absent ones alone', () => {
    const space: Record<string, Distribution> = { b: DROP, a: OPT, c: { type: 'constant', value: 3 }, d: LR };
    // a: 0.9 (no resample), 0.9 (neighbour of adam: 0.9 ≥ 0.5 goes up); b: 0.1 < 0.5 resampled at 0.4 (0.2).
    const out = explore({ a: 'adam', b: 0.3, c: 3, extra: 'x' }, space, { resample_probability: 0.5, perturbation_factors: [2] }, draws(0.9, 0.9, 0.1, 0.4));
    assert.deepEqual(out.params, { a: 'rmsprop', b: 0.2, c: 3, extra: 'x' });
    assert.deepEqual(Object.keys(out.changes).sort(), ['a', 'b']);
    assert.equal(out.changes['b']?.how, 'resampled');
  });

  it('scales a log range by α·f, a 1−β range by its window (1 − β)·f, a linear one by x·f, and clips', () => {
    assert.ok(Math.abs(scaleBy(LR, 0.001, 0.5) - 0.0005) < 1e-15);
    assert.equal(scaleBy(LR, 0.0002, 0.1), 1e-4, 'clipped to min');
    // 1 − β: 0.99 is a window of 0.01; ×2 → 0.98, ×0.5 → 0.995.
    assert.ok(Math.abs(scaleBy(BETA, 0.99, 2) - 0.98) < 1e-12);
    assert.ok(Math.abs(scaleBy(BETA, 0.99, 0.5) - 0.995) < 1e-12);
    assert.equal(scaleBy(BETA, 0.998, 0.1), 0.999, 'clipped to max');
    assert.equal(scaleBy(BETA, 0.95, 4), 0.9, 'clipped to min');
    assert.equal(scaleBy(DROP, 0.45, 1.2), 0.5);
    // q steps snap to the lattice.
    assert.equal(scaleBy({ type: 'q_uniform', min: 0, max: 1, q: 0.1 }, 0.3, 1.2), 0.4);
  });

  it('moves an integer at least one step the factor’s way, not when the factor is 1, and keeps it in range', () => {
    assert.equal(scaleBy(UNITS, 10, 0.95), 9);
    assert.equal(scaleBy(UNITS, 10, 1.04), 11);
    assert.equal(scaleBy(UNITS, 20, 1.5), 30);
    assert.equal(scaleBy(UNITS, 10, 1), 10);
    assert.equal(scaleBy(UNITS, 64, 1.01), 64);
    assert.equal(scaleBy(UNITS, 8, 0.99), 8);
    // Only integers take the extra step: a whole number on a continuous range moves by the factor alone.
    assert.ok(Math.abs(scaleBy({ type: 'uniform', min: 0, max: 10 }, 5, 1.05) - 5.25) < 1e-12);
    // A value that does not move reads as kept.
    assert.equal(one(UNITS, 64, { resample_probability: 0, perturbation_factors: [1.5] }, fixed(0.5)).change?.how, 'kept');
    assert.equal(one(DROP, 0.2, { resample_probability: 0, perturbation_factors: [1] }, fixed(0.5)).change?.how, 'kept');
  });

  it('moves a categorical or grid value to a neighbour: inward at the ends, by the draw in between', () => {
    const to = (d: Distribution, from: number | string, u: number): unknown => one(d, from, KEEP, draws(0.99, u)).to;
    assert.equal(to(OPT, 'sgd', 0.1), 'adam');
    assert.equal(to(OPT, 'rmsprop', 0.9), 'adam');
    assert.equal(to(OPT, 'adam', 0.49), 'sgd');
    assert.equal(to(OPT, 'adam', 0.5), 'rmsprop');
    assert.equal(to(MOM, 0.5, 0.9), 0.6);
    assert.equal(to(MOM, 0.7000000000000001, 0.2), 0.6);
    // A value not among them (an older spec's) is replaced by the one the draw points at.
    assert.equal(to(OPT, 'adagrad', 0.7), 'rmsprop');
    assert.equal(to(OPT, 'adagrad', 0), 'sgd');
    // One value: nowhere to go.
    const r = one({ type: 'categorical', values: ['only'] }, 'only', KEEP, draws(0.99, 0.7));
    assert.equal(r.to, 'only');
    assert.equal(r.change?.how, 'kept');
    assert.equal(one(OPT, 'sgd', KEEP, draws(0.99, 0.1)).change?.how, 'neighbour');
    // Two values: each one's neighbour is the other.
    const two: Distribution = { type: 'categorical', values: ['on', 'off'] };
    assert.equal(to(two, 'on', 0.2), 'off');
    assert.equal(to(two, 'off', 0.7), 'on');
    // A grid value off by float noise relative to its size (1e-10 on 150) is still found.
    const wide: Distribution = { type: 'uniform', min: 100, max: 200, grid_points: 3 };
    assert.equal(to(wide, 150 + 1e-10, 0.6), 200);
    assert.equal(to(wide, 150 - 1e-10, 0.4), 100);
    // A range without grid points holding a non-number (a hand-edited trial) keeps it.
    assert.deepEqual(one(DROP, 'x', KEEP, draws(0.99, 0.1)).change, { from: 'x', to: 'x', how: 'kept' });
  });
});

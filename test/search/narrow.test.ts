// Coarse-to-fine narrowing (narrow.ts): which trials a stage is fitted to, and the ranges it gets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution, NumericDistribution } from '../../src/core/distributions.js';
import { DEFAULT_TOP_FRACTION, narrowCategorical, narrowNumeric, narrowParameters, topTrials, withinRanges } from '../../src/search/narrow.js';
import type { SampledTrial } from '../../src/search/index.js';

const trial = (number: number, params: SampledTrial['params'], value: number | null): SampledTrial => ({ number, params, value });
const U = (min: number, max: number): NumericDistribution => ({ type: 'uniform', min, max });

describe('withinRanges', () => {
  const ranges: Record<string, Distribution> = { x: U(0, 1), c: { type: 'categorical', values: ['a', 'b'] } };

  it('needs every parameter the trial has inside its range, and ignores the ones it lacks', () => {
    assert.equal(withinRanges(trial(0, { x: 0.5, c: 'a' }, 1), ranges), true);
    assert.equal(withinRanges(trial(0, { x: 0.5, c: 'z' }, 1), ranges), false);
    assert.equal(withinRanges(trial(0, { x: 2, c: 'a' }, 1), ranges), false);
    assert.equal(withinRanges(trial(0, { c: 'b' }, 1), ranges), true);
    assert.equal(withinRanges(trial(0, {}, 1), ranges), true);
    // A parameter outside `ranges` does not count.
    assert.equal(withinRanges(trial(0, { y: 99 }, 1), ranges), true);
  });
});

describe('topTrials', () => {
  const ranges: Record<string, Distribution> = { x: U(0, 10) };

  it('ranks by value in the direction asked, ties to the lower trial number', () => {
    const history = [trial(5, { x: 1 }, 2), trial(2, { x: 1 }, 2), trial(9, { x: 1 }, 1), trial(1, { x: 1 }, 3)];
    assert.deepEqual(topTrials(history, 'minimize', 4, ranges).map((t) => t.number), [9, 2, 5, 1]);
    assert.deepEqual(topTrials(history, 'maximize', 4, ranges).map((t) => t.number), [1, 2, 5, 9]);
    assert.deepEqual(topTrials(history, 'minimize', 2, ranges).map((t) => t.number), [9, 2]);
  });

  it('passes over trials without a finite value, outside the ranges, or seen already', () => {
    const history = [
      trial(0, { x: 1 }, null),
      trial(1, { x: 1 }, Number.NaN),
      trial(2, { x: 1 }, Number.POSITIVE_INFINITY),
      trial(3, { x: 11 }, 0),
      trial(4, { x: 1 }, 5),
      trial(4, { x: 1 }, 5),
      trial(6, { x: 2 }, 7),
    ];
    assert.deepEqual(topTrials(history, 'minimize', 5, ranges).map((t) => t.number), [4, 6]);
    assert.deepEqual(topTrials(history, 'maximize', 5, ranges).map((t) => t.number), [6, 4]);
  });

  it('with k null takes the best 20 % rounded up, at least one', () => {
    assert.equal(DEFAULT_TOP_FRACTION, 0.2);
    const of = (n: number) => Array.from({ length: n }, (_, i) => trial(i, { x: 1 }, i));
    assert.equal(topTrials(of(10), 'minimize', null, ranges).length, 2);
    assert.equal(topTrials(of(11), 'minimize', null, ranges).length, 3);
    assert.equal(topTrials(of(3), 'minimize', null, ranges).length, 1);
    assert.deepEqual(topTrials([], 'minimize', null, ranges), []);
    // An explicit k is taken as it is, even when 20 % would be more.
    assert.equal(topTrials(of(20), 'minimize', 1, ranges).length, 1);
    assert.equal(topTrials(of(20), 'minimize', 0, ranges).length, 0);
  });

  it('leaves the history as it was', () => {
    const history = [trial(1, { x: 1 }, 2), trial(0, { x: 1 }, 1)];
    topTrials(history, 'minimize', 2, ranges);
    assert.deepEqual(history.map((t) => t.number), [1, 0]);
  });
});

describe('narrowNumeric', () => {
  it('keeps the previous range when there are no values', () => {
    const previous = U(2, 3);
    const out = narrowNumeric(U(0, 10), previous, [], 0.5);
    assert.deepEqual(out, previous);
    assert.notEqual(out, previous);
    // Not even pulled in to the lattice: nothing was fitted.
    const ints: NumericDistribution = { type: 'int_uniform', min: 0.5, max: 9.5 };
    assert.deepEqual(narrowNumeric({ type: 'int_uniform', min: 0, max: 10 }, ints, [], 0.5), ints);
    const q: NumericDistribution = { type: 'q_uniform', min: 0.1, max: 0.9, q: 0.25 };
    assert.deepEqual(narrowNumeric({ type: 'q_uniform', min: 0, max: 1, q: 0.25 }, q, [], 0.5), q);
  });

  it('widens a zero-width box by margin × the original width in its scale, not the previous one', () => {
    assert.deepEqual(narrowNumeric(U(10, 20), U(10, 20), [15], 0.1), U(14, 16));
    assert.deepEqual(narrowNumeric(U(0, 10), U(4, 6), [5, 5], 0.05), U(4.5, 5.5));
    // log10 width 4: 0.25 × 4 = 1 decade each side.
    assert.deepEqual(narrowNumeric({ type: 'log_uniform_values', min: 1e-5, max: 1e-1 }, { type: 'log_uniform_values', min: 1e-5, max: 1e-1 }, [1e-3], 0.25), {
      type: 'log_uniform_values',
      min: 1e-4,
      max: 1e-2,
    });
  });

  it('widens a box by margin × its own width and clips to the previous range', () => {
    assert.deepEqual(narrowNumeric(U(0, 10), U(0, 10), [4, 6, 5], 0.5), U(3, 7));
    assert.deepEqual(narrowNumeric(U(0, 10), U(3.5, 10), [4, 6], 0.5), U(3.5, 7));
    assert.deepEqual(narrowNumeric(U(0, 10), U(0, 6.5), [4, 6], 0.5), U(3, 6.5));
    assert.deepEqual(narrowNumeric(U(0, 10), U(0, 10), [4, 6], 0), U(4, 6));
  });

  it('puts 1−β ends back in order after the scale flips them', () => {
    const beta: NumericDistribution = { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.9999 };
    // log10(1 − β): 0.99 → −2, 0.999 → −3; ± 0.5 → [−3.5, −1.5] → β in [1 − 10^−1.5, 1 − 10^−3.5].
    const out = narrowNumeric(beta, beta, [0.99, 0.999], 0.5) as { min: number; max: number };
    assert.ok(Math.abs(out.min - (1 - 10 ** -1.5)) < 1e-12, String(out.min));
    assert.ok(Math.abs(out.max - (1 - 10 ** -3.5)) < 1e-12, String(out.max));
  });

  it('pulls int bounds in to integers and q bounds in to multiples of q', () => {
    assert.deepEqual(narrowNumeric({ type: 'int_uniform', min: 0, max: 100 }, { type: 'int_uniform', min: 0, max: 100 }, [40, 60], 0.33), {
      type: 'int_uniform',
      min: 34,
      max: 66,
    });
    const q: NumericDistribution = { type: 'q_uniform', min: 0, max: 1, q: 0.25 };
    // [0.125, 0.625] pulled in to [0.25, 0.5].
    assert.deepEqual(narrowNumeric(q, q, [0.25, 0.5], 0.5), { ...q, min: 0.25, max: 0.5 });
    // [0.25, 1] from the box [0.5, 0.75] widened by its width: the low bound is below every value.
    assert.deepEqual(narrowNumeric(q, q, [0.5, 0.75], 1), { ...q, min: 0.25, max: 1 });
    // One multiple of q inside the widened box: both bounds on it.
    assert.deepEqual(narrowNumeric(q, q, [0.5], 0.01), { ...q, min: 0.5, max: 0.5 });
  });

  it('leaves q bounds as they are when no multiple of q lies inside (a value off the lattice)', () => {
    const q: NumericDistribution = { type: 'q_uniform', min: 0, max: 1, q: 0.25 };
    const out = narrowNumeric(q, q, [0.6], 0.01) as { min: number; max: number };
    assert.ok(Math.abs(out.min - 0.59) < 1e-12 && Math.abs(out.max - 0.61) < 1e-12, JSON.stringify(out));
  });

  it('always contains the values, even past the previous range', () => {
    assert.deepEqual(narrowNumeric(U(0, 10), U(4, 6), [3, 7], 0), U(3, 7));
  });
});

describe('narrowCategorical', () => {
  const cat = (values: string[], probabilities?: number[]) =>
    probabilities === undefined ? { type: 'categorical' as const, values } : { type: 'categorical' as const, values, probabilities };

  it('keeps the values used, in their order, with renormalised probabilities', () => {
    assert.deepEqual(narrowCategorical(cat(['a', 'b', 'c'], [0.5, 0.3, 0.2]), ['c', 'a', 'c']), cat(['a', 'c'], [0.714285714285714, 0.285714285714286]));
    assert.deepEqual(narrowCategorical(cat(['a', 'b', 'c']), ['b']), cat(['b']));
  });

  it('keeps everything when none of the values was used', () => {
    const p = cat(['a', 'b'], [0.5, 0.5]);
    const out = narrowCategorical(p, ['z']);
    assert.deepEqual(out, p);
    assert.notEqual(out, p);
    assert.deepEqual(narrowCategorical(cat(['a', 'b']), []), cat(['a', 'b']));
  });

  it('drops the probabilities when the values kept all had weight 0', () => {
    assert.deepEqual(narrowCategorical(cat(['a', 'b'], [0, 1]), ['a']), cat(['a']));
  });
});

describe('narrowParameters', () => {
  it('narrows each parameter to the top trials, keeping constants', () => {
    const previous: Record<string, Distribution> = {
      x: U(0, 10),
      c: { type: 'categorical', values: ['a', 'b'] },
      k: { type: 'constant', value: 3 },
    };
    const top = [trial(0, { x: 2, c: 'a', k: 3 }, 1), trial(1, { x: 4, c: 'a', k: 3 }, 2)];
    assert.deepEqual(narrowParameters(previous, previous, top, 0), { x: U(2, 4), c: { type: 'categorical', values: ['a'] }, k: { type: 'constant', value: 3 } });
  });

  it('widens a zero-width box by the original range, not the previous stage', () => {
    const out = narrowParameters({ x: U(0, 10) }, { x: U(4, 6) }, [trial(0, { x: 5 }, 1)], 0.05);
    assert.deepEqual(out, { x: U(4.5, 5.5) });
  });

  it('keeps a parameter the top trials lack, and one whose values are not finite numbers', () => {
    const previous: Record<string, Distribution> = { x: U(0, 10), y: U(0, 10), c: { type: 'categorical', values: ['a', 'b'] } };
    const top = [trial(0, { y: 'odd', x: Number.POSITIVE_INFINITY }, 1), trial(1, { y: Number.NaN }, 1)];
    assert.deepEqual(narrowParameters(previous, previous, top, 0), previous);
    const some = [trial(0, { x: Number.POSITIVE_INFINITY }, 1), trial(1, { x: 3 }, 1)];
    assert.deepEqual(narrowParameters(previous, previous, some, 0).x, U(3, 3));
  });

  it('keeps the previous range when the original is not of the same numeric type, or is gone', () => {
    const previous: Record<string, Distribution> = { x: { type: 'int_uniform', min: 0, max: 10 }, y: U(0, 10) };
    const top = [trial(0, { x: 5, y: 5 }, 1)];
    const changed: Record<string, Distribution> = { x: U(0, 10), y: { type: 'categorical', values: [5] } };
    assert.deepEqual(narrowParameters(changed, previous, top, 0), previous);
    // Not in the original spec any more: narrowed on its own terms.
    assert.deepEqual(narrowParameters({}, previous, top, 0), { x: { type: 'int_uniform', min: 5, max: 5 }, y: U(5, 5) });
  });
});

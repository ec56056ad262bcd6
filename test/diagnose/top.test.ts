// Where the best trials crowd an edge of a range, or share one categorical value: the
// suggestions, their proposals and the chance test, on rows built by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NumericDistribution } from '../../src/core/distributions.js';
import { hypergeometricTail } from '../../src/diagnose/stats.js';
import { DEFAULT_STUDY_THRESHOLDS as T } from '../../src/diagnose/thresholds.js';
import { dominantValue, edgeSuggestions, type RankedValue } from '../../src/diagnose/top.js';

/** `n` values evenly over [lo, hi), the best `top` being those `isTop` picks. */
function spread(lo: number, hi: number, n: number, isTop: (v: number) => boolean): RankedValue<number>[] {
  return Array.from({ length: n }, (_, i) => {
    const value = lo + ((hi - lo) * i) / n;
    return { value, top: isTop(value) };
  });
}

describe('edgeSuggestions', () => {
  const linear: NumericDistribution = { type: 'uniform', min: 0, max: 10 };

  it('the best trials at the upper edge: widen the maximum by a quarter of the width, rounded up, with the evidence', () => {
    // 40 trials at 0, 0.25, … 9.75; the best 4 are the 4 within a tenth of the width of 10.
    const rows = spread(0, 10, 40, (v) => v >= 9);
    const [s, ...more] = edgeSuggestions('x', linear, rows, T);
    assert.equal(more.length, 0, 'nothing at the lower edge');
    assert.equal(s!.kind, 'widen_max');
    assert.equal(s!.proposal, 13, '10 + 0.25 × 10 = 12.5, rounded up to 2 digits');
    assert.equal(s!.message, '4 of 4 best trials sit at the upper edge of the x range (0–10): widen it to 0–13');
    const p = Math.min(1, 2 * hypergeometricTail(40, 4, 4, 4));
    assert.deepEqual(s!.evidence, { top_at_edge: 4, top: 4, trials_at_edge: 4, trials: 40, edge_fraction: 0.1, p_value: Number(p.toPrecision(6)), proposed: 13 });
  });

  it('the lower edge: widened downwards, but never below 0 for a non-negative range', () => {
    const rows = spread(0, 10, 40, (v) => v < 1);
    const [s] = edgeSuggestions('x', { type: 'uniform', min: 2, max: 10 }, spread(2, 10, 40, (v) => v < 2.8), T);
    assert.equal(s!.kind, 'widen_min');
    assert.equal(s!.proposal, 0, '2 − 0.25 × 8 = 0');
    const [at] = edgeSuggestions('x', linear, rows, T);
    assert.equal(at!.kind, 'at_limit', '0 − 2.5 is clamped to 0, the bound itself');
    assert.equal(at!.proposal, 0);
    assert.match(at!.message, /^\d of \d best trials sit at the lower edge of the x range \(0–10\), its natural limit: consider fixing x at 0$/);
  });

  it('a fraction in [0, 1] stops at 1, an integer range starting at 1 at 1', () => {
    const [f] = edgeSuggestions('dropout', { type: 'uniform', min: 0, max: 1 }, spread(0, 1, 40, (v) => v >= 0.9), T);
    assert.equal(f!.kind, 'at_limit');
    assert.equal(f!.proposal, 1);
    const [u] = edgeSuggestions('layers', { type: 'int_uniform', min: 1, max: 100 }, spread(1, 100, 40, (v) => v < 10), T);
    assert.equal(u!.kind, 'at_limit');
    assert.equal(u!.proposal, 1);
  });

  it('in the sampling scale: a log range widens by a quarter of its decades, a 1 − β range towards 1', () => {
    const log: NumericDistribution = { type: 'log_uniform_values', min: 1e-4, max: 0.1 };
    const logRows = Array.from({ length: 40 }, (_, i) => ({ value: 10 ** (-4 + (3 * i) / 40), top: i >= 36 }));
    const [l] = edgeSuggestions('lr', log, logRows, T);
    assert.equal(l!.kind, 'widen_max');
    assert.equal(l!.proposal, 0.57, '10^(−1 + 0.75) = 0.562, rounded up');
    const beta: NumericDistribution = { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 };
    const betaRows = Array.from({ length: 40 }, (_, i) => ({ value: 1 - 10 ** (-1 - (2 * i) / 40), top: i >= 36 }));
    const [b] = edgeSuggestions('beta', beta, betaRows, T);
    assert.equal(b!.kind, 'widen_max');
    // 1 − β = 10^(−3 − 0.5) = 0.000316, rounded to 0.00031: β = 0.99969.
    assert.ok(Math.abs((b!.proposal as number) - 0.99969) < 1e-12, String(b!.proposal));
  });

  it('says nothing when too few of the best are at the edge, when as many trials sit there by chance, or for an empty range', () => {
    // Half the best at each edge: the share is there, but two of four at either edge is not unlikely.
    assert.deepEqual(edgeSuggestions('x', linear, spread(0, 10, 40, (v) => v >= 9.5 || v < 0.5), T), []);
    // 1 of the best 4 at the edge: below topShare.
    assert.deepEqual(edgeSuggestions('x', linear, spread(0, 10, 40, (v) => v >= 9.75 || (v >= 4 && v < 4.75)), T), []);
    // Every trial at the edge: the best being there says nothing.
    const crowded = Array.from({ length: 20 }, (_, i) => ({ value: 9.5, top: i < 4 }));
    assert.deepEqual(edgeSuggestions('x', linear, crowded, T), []);
    assert.deepEqual(edgeSuggestions('x', { type: 'uniform', min: 3, max: 3 }, spread(3, 3, 10, () => true), T), []);
    assert.deepEqual(edgeSuggestions('x', linear, [], T), []);
  });
});

describe('dominantValue', () => {
  const values = ['a', 'b', 'c'];
  const rows = (topValues: string[]): RankedValue<string>[] => {
    const out: RankedValue<string>[] = topValues.map((value) => ({ value, top: true }));
    for (let i = 0; out.length < 30; i++) out.push({ value: values[i % 3]!, top: false });
    return out;
  };

  it('all the best use one value, far more than chance: fix it, and drop the values that never reached the top', () => {
    const r = rows(['a', 'a', 'a', 'a', 'a']);
    const s = dominantValue('act', values, r, T)!;
    const group = r.filter((x) => x.value === 'a').length;
    assert.equal(s.kind, 'prefer_value');
    assert.equal(s.proposal, 'a');
    assert.equal(s.message, `all 5 best trials use act=a (${group} of 30 trials overall): fix act to a, or drop b, c`);
    const p = Math.min(1, 3 * hypergeometricTail(30, group, 5, 5));
    assert.deepEqual(s.evidence, { top_with_value: 5, top: 5, trials_with_value: group, trials: 30, p_value: Number(p.toPrecision(6)) });
  });

  it('most but not all: says how many, drops only the value no best trial used', () => {
    const r = rows(['b', 'b', 'b', 'b', 'b', 'b', 'b', 'a']);
    const s = dominantValue('act', values, r, T)!;
    assert.equal(s.proposal, 'b');
    assert.match(s.message, /^7 of 8 best trials use act=b \(\d+ of 30 trials overall\): fix act to b, or drop c$/);
  });

  it('none when the best are mixed, or when the share could be chance', () => {
    assert.equal(dominantValue('act', values, rows(['a', 'b', 'c', 'a', 'b']), T), null);
    assert.equal(dominantValue('act', values, rows(['a', 'a', 'b']), T), null, '2 of 3 is a share, but not unlikely by chance');
    assert.equal(dominantValue('act', values, rows([]), T), null, 'no best trials');
  });
});

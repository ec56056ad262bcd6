// The edges and values the best trials favour, at the edges of their own rules: the share and
// the chance limit exactly met, the natural limits a widened bound stops at (and where there is
// none), and the strongest of several dominant values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NumericDistribution } from '../../src/core/distributions.js';
import { hypergeometricTail } from '../../src/diagnose/stats.js';
import { DEFAULT_STUDY_THRESHOLDS as T } from '../../src/diagnose/thresholds.js';
import { dominantValue, edgeSuggestions, type RankedValue } from '../../src/diagnose/top.js';

/** `n` values evenly over [lo, hi), the best being those `isTop` picks. */
function spread(lo: number, hi: number, n: number, isTop: (v: number) => boolean): RankedValue<number>[] {
  return Array.from({ length: n }, (_, i) => {
    const value = lo + ((hi - lo) * i) / n;
    return { value, top: isTop(value) };
  });
}

const kindAndProposal = (d: NumericDistribution, rows: RankedValue<number>[]): [string, unknown][] =>
  edgeSuggestions('x', d, rows, T).map((s) => [s.kind, s.proposal]);

describe('edgeSuggestions: the share and the chance limit', () => {
  // 40 trials over 0–10 (0, 0.25 … 9.75); 4 best: 2 at the upper edge (9.5, 9.75), 2 in the middle.
  const rows = spread(0, 10, 40, (v) => v >= 9.5 || v === 5 || v === 5.25);
  const linear: NumericDistribution = { type: 'uniform', min: 0, max: 10 };
  const p = Math.min(1, 2 * hypergeometricTail(40, 4, 4, 2));

  it('half of the best at an edge is enough share; the chance limit is inclusive', () => {
    assert.deepEqual(edgeSuggestions('x', linear, rows, { ...T, topMaxP: p }).map((s) => [s.kind, s.evidence['top_at_edge'], s.evidence['top']]), [['widen_max', 2, 4]]);
    assert.deepEqual(edgeSuggestions('x', linear, rows, { ...T, topMaxP: p * 0.999 }), []);
    assert.deepEqual(edgeSuggestions('x', linear, rows, { ...T, topMaxP: 1, topShare: 0.51 }), [], 'a share above one half is not met by 2 of 4');
  });
});

describe('edgeSuggestions: where a widened bound stops', () => {
  it('a linear range below 0 widens further down; one reaching past 1 is no fraction', () => {
    assert.deepEqual(kindAndProposal({ type: 'uniform', min: -1, max: 10 }, spread(-1, 10, 44, (v) => v < -0.5)), [['widen_min', -3.8]], '−1 − 2.75, rounded down');
    assert.deepEqual(kindAndProposal({ type: 'uniform', min: 0, max: 2 }, spread(0, 2, 40, (v) => v >= 1.9)), [['widen_max', 2.5]]);
    assert.deepEqual(kindAndProposal({ type: 'uniform', min: -0.5, max: 1 }, spread(-0.5, 1, 40, (v) => v >= 0.9)), [['widen_max', 1.4]], '1 + 0.375, rounded up: the range holds negatives, it is no fraction');
    assert.deepEqual(kindAndProposal({ type: 'uniform', min: 0.1, max: 1 }, spread(0.1, 1, 40, (v) => v >= 0.95)), [['at_limit', 1]]);
  });

  it('an integer range starting at 0 stops at 0, one starting above 1 at 1', () => {
    assert.deepEqual(kindAndProposal({ type: 'int_uniform', min: 0, max: 100 }, spread(0, 100, 40, (v) => v < 5)), [['at_limit', 0]]);
    const [s] = edgeSuggestions('layers', { type: 'int_uniform', min: 5, max: 100 }, spread(5, 100, 40, (v) => v < 10), T);
    assert.equal(s?.kind, 'widen_min');
    assert.equal(s?.proposal, 1, '5 − 23.75 is clamped to 1');
    assert.equal(s?.message, '3 of 3 best trials sit at the lower edge of the layers range (5–100): widen it to 1–100');
    assert.equal(s?.evidence['proposed'], 1);
  });

  it('a log range has no limit to stop at: its lower edge widens by a quarter of its decades', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ value: 10 ** (-4 + (4 * i) / 40), top: i < 4 }));
    assert.deepEqual(kindAndProposal({ type: 'log_uniform_values', min: 1e-4, max: 1 }, rows), [['widen_min', 0.00001]]);
  });
});

describe('edgeSuggestions: what is measured', () => {
  it('an integer range widens to a whole number: 1–8 to 10 (8 + 1.75 = 9.75, rounded up), 0–1 to 2', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ value: 1 + (7 * i) / 40, top: i >= 36 }));
    const [s] = edgeSuggestions('units', { type: 'int_uniform', min: 1, max: 8 }, rows, T);
    assert.equal(s?.message, '3 of 4 best trials sit at the upper edge of the units range (1–8): widen it to 1–10');
    const flags = Array.from({ length: 40 }, (_, i) => ({ value: i < 30 ? 0 : 1, top: i >= 36 }));
    assert.deepEqual(kindAndProposal({ type: 'int_uniform', min: 0, max: 1 }, flags), [['widen_max', 2]], 'an integer range is no fraction');
  });

  it('a range of zero width has no edge, even with the chance test waived', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ value: 3, top: i < 3 }));
    assert.deepEqual(edgeSuggestions('x', { type: 'uniform', min: 3, max: 3 }, rows, { ...T, topMaxP: 1 }), []);
  });

  it('a value outside the sampling scale (0 on a log range) is not counted', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ value: 10 ** (-4 + (3 * i) / 40), top: i >= 36 }));
    const [s] = edgeSuggestions('lr', { type: 'log_uniform_values', min: 1e-4, max: 0.1 }, [...rows, { value: 0, top: false }], T);
    assert.equal(s?.evidence['trials'], 40);
  });
});

describe('dominantValue: the strongest of several', () => {
  /** 60 trials: the best use `top`; of the rest, `a` and `b` are used by `others` each, the remainder use c. */
  const rows = (top: string[], others: Record<string, number>): RankedValue<string>[] => {
    const out: RankedValue<string>[] = top.map((value) => ({ value, top: true }));
    for (const [value, n] of Object.entries(others)) for (let i = 0; i < n; i++) out.push({ value, top: false });
    while (out.length < 60) out.push({ value: 'c', top: false });
    return out;
  };
  const eleven = ['a', 'a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'];

  it('two values each used by enough of the best, rarely by chance: the less likely one is named', () => {
    // a: 7 of the 11 best, 9 of 60 overall (p = 3 × 2.7e-5); b: 4 of 11, 5 of 60 (p = 0.0091).
    const t = { ...T, topShare: 0.3 };
    const r = rows(eleven, { a: 2, b: 1 });
    assert.equal(dominantValue('act', ['b'], r, t)?.proposal, 'b', 'b alone passes the tests');
    const s = dominantValue('act', ['b', 'a', 'c'], r, t);
    assert.equal(s?.proposal, 'a');
    assert.equal(s?.message, '7 of 11 best trials use act=a (9 of 60 trials overall): fix act to a, or drop c');
    assert.equal(s?.evidence['p_value'], Number((3 * hypergeometricTail(60, 9, 11, 7)).toPrecision(6)));
    assert.equal(dominantValue('act', ['a', 'b', 'c'], r, t)?.proposal, 'a', 'whichever comes first');
  });

  it('two values tied in every count: the one listed first is named', () => {
    const r: RankedValue<string>[] = ['a', 'a', 'b', 'b'].map((value) => ({ value, top: true }));
    while (r.length < 40) r.push({ value: 'c', top: false });
    assert.equal(dominantValue('act', ['a', 'b', 'c'], r, T)?.message, '2 of 4 best trials use act=a (2 of 40 trials overall): fix act to a, or drop c');
    assert.equal(dominantValue('act', ['b', 'a', 'c'], r, T)?.proposal, 'b');
  });

  it('when every value reached the top there is nothing to drop', () => {
    const r: RankedValue<string>[] = ['a', 'a', 'a', 'a', 'b'].map((value) => ({ value, top: true }));
    while (r.length < 30) r.push({ value: r.length % 2 === 1 ? 'a' : 'b', top: false });
    assert.equal(dominantValue('act', ['a', 'b'], r, { ...T, topMaxP: 1 })?.message, '4 of 5 best trials use act=a (17 of 30 trials overall): fix act to a');
  });

  it('the chance is corrected for the number of values compared', () => {
    // b: 4 of 11 best, 6 of 60 overall: p = 2 × 0.0082 = 0.016 among two values, 4 × 0.0082 = 0.033 among four.
    const r = rows(eleven, { a: 40, b: 2 });
    const t = { ...T, topShare: 0.3, topMaxP: 0.03 };
    assert.equal(dominantValue('act', ['b', 'c'], r, t)?.proposal, 'b');
    assert.equal(dominantValue('act', ['b', 'c', 'd', 'e'], r, t), null);
  });
});

// The failure cuts at the edges of their own rules: each threshold exactly met and just
// missed, cuts only between distinct values, the smallest of equally good regions, the cut's
// midpoint in the sampling scale, integer ranges, and the order of several cuts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NumericDistribution } from '../../src/core/distributions.js';
import { failureCuts, type ParamRow } from '../../src/diagnose/failures.js';
import { hypergeometricTail } from '../../src/diagnose/stats.js';
import { DEFAULT_STUDY_THRESHOLDS as T } from '../../src/diagnose/thresholds.js';
import type { Suggestion, Verdict } from '../../src/diagnose/types.js';

/** Rows for the values, the verdict of each given by `verdictOf`, in a scrambled order. */
function rowsOf(values: readonly number[], verdictOf: (v: number, i: number) => Verdict): ParamRow[] {
  const rows = values.map((value, i) => ({ value, verdict: verdictOf(value, i) }));
  // A fixed interleaving (odd positions first, from the back) so no test relies on sorted input.
  return [...rows.filter((_, i) => i % 2 === 1).reverse(), ...rows.filter((_, i) => i % 2 === 0)];
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const messages = (s: Suggestion[]): string[] => s.map((x) => x.message);

describe('failureCuts: one cut with all its figures', () => {
  // 20 trials at 0 … 19; the five at 15 … 19 diverged.
  const rows = rowsOf(range(20), (v) => (v >= 15 ? 'diverged' : 'good_fit'));
  const d: NumericDistribution = { type: 'uniform', min: 0, max: 20 };
  // One region of 5 among 20 trials with 5 failures, 19 cuts compared: 19 / C(20, 5).
  const p = Math.min(1, hypergeometricTail(20, 5, 5, 5) * 19);

  it('reports the cut midway between the last kept and the first failed value, with its evidence', () => {
    assert.deepEqual(failureCuts('x', d, rows, T), [
      {
        kind: 'lower_max',
        param: 'x',
        message: '5 of 5 trials with x > 14.5 diverged: lower the x maximum to 14.5',
        proposal: 14.5,
        evidence: {
          verdict: 'diverged',
          failures: 5,
          trials_beyond: 5,
          cut: 14.5,
          current_bound: 20,
          failures_total: 5,
          trials_total: 20,
          p_value: 0.00122549,
        },
      },
    ]);
    assert.ok(Math.abs(p - 19 / 15504) < 1e-12, String(p));
  });

  it('needs minTrials known trials, minFailures failures in all and beyond the cut (each limit inclusive)', () => {
    assert.equal(failureCuts('x', d, rows, { ...T, minTrials: 20, minFailures: 5 }).length, 1);
    assert.deepEqual(failureCuts('x', d, rows, { ...T, minTrials: 21 }), []);
    assert.deepEqual(failureCuts('x', d, rows, { ...T, minFailures: 6 }), []);
  });

  it('needs minFailures failures beyond the cut, however unlikely', () => {
    // 18 and 19 diverged, and 3: three in all, two beyond the best cut.
    const few = rowsOf(range(20), (v) => (v >= 18 || v === 3 ? 'diverged' : 'good_fit'));
    assert.deepEqual(failureCuts('x', d, few, { ...T, failureMaxP: 1 }), []);
    assert.deepEqual(messages(failureCuts('x', d, few, { ...T, failureMaxP: 1, minFailures: 2 })), [
      '2 of 2 trials with x > 17.5 diverged: lower the x maximum to 17.5',
    ]);
  });

  it('needs more than failureShare of the trials beyond the cut to have failed', () => {
    assert.equal(failureCuts('x', d, rows, { ...T, failureShare: 0.99 }).length, 1);
    assert.deepEqual(failureCuts('x', d, rows, { ...T, failureShare: 1 }), [], '5 of 5 is not more than all of them');
  });

  it('the chance limit is inclusive', () => {
    assert.equal(failureCuts('x', d, rows, { ...T, failureMaxP: p }).length, 1);
    assert.deepEqual(failureCuts('x', d, rows, { ...T, failureMaxP: p * 0.999 }), []);
  });

  it('a cut on or past the current bound is not proposed', () => {
    assert.deepEqual(failureCuts('x', { type: 'uniform', min: 0, max: 14.5 }, rows, T), []);
    assert.deepEqual(failureCuts('x', { type: 'uniform', min: 0, max: 14 }, rows, T), []);
    assert.equal(failureCuts('x', { type: 'uniform', min: 0, max: 14.6 }, rows, T).length, 1);
  });

  it('trials judged unknown and values outside the sampling scale are left out', () => {
    const d: NumericDistribution = { type: 'log_uniform_values', min: 1e-4, max: 1 };
    const good = Array.from({ length: 15 }, (_, k) => 10 ** (-4 + (2 * k) / 14));
    const bad = [0.1, 0.2, 0.3, 0.5, 0.9];
    const extra: ParamRow[] = [
      { value: 0.05, verdict: 'unknown' },
      { value: 0.04, verdict: 'unknown' },
      { value: 0, verdict: 'diverged' },
      { value: -1, verdict: 'good_fit' },
    ];
    const all = [...extra, ...rowsOf([...good, ...bad], (v) => (v > 0.05 ? 'diverged' : 'good_fit'))];
    const [s, ...rest] = failureCuts('learning_rate', d, all, T);
    assert.deepEqual(rest, []);
    // The kept value is 0.01 and the first failure 0.1: their geometric middle (0.0316) rounds to
    // 0.03, where the arithmetic one (0.055) would give 0.06.
    assert.equal(s?.message, '5 of 5 trials with learning_rate > 0.03 diverged: lower the learning_rate maximum to 0.03');
    assert.deepEqual(
      [s.evidence['failures_total'], s.evidence['trials_total'], s.evidence['current_bound'], s.evidence['p_value']],
      [5, 20, 1, 0.00122549],
    );
  });
});

describe('failureCuts: which cut', () => {
  it('a cut falls only between distinct values', () => {
    // 15 at 0 … 14 fine; at 15 one fine and one diverged (the fine one first); 16 … 19 diverged.
    const values = [...range(16), 15, 16, 17, 18, 19];
    const rows: ParamRow[] = values.map((value, i) => ({ value, verdict: i >= 16 ? 'diverged' : 'good_fit' }));
    const cuts = failureCuts('x', { type: 'uniform', min: 0, max: 20 }, rows, { ...T, failureMaxP: 0.05 });
    // Not "5 of 5 trials with x > 15": that would part the two trials at 15.
    assert.deepEqual(messages(cuts), ['4 of 4 trials with x > 15.5 diverged: lower the x maximum to 15.5']);
    // 19 cuts between the 20 distinct values, not 20 between the 21 trials.
    assert.equal(cuts[0]?.evidence['p_value'], Number((hypergeometricTail(21, 5, 4, 4) * 19).toPrecision(6)));
  });

  it('of two equally good regions the smaller one is taken', () => {
    // From the top: 19, 18, 17 diverged, 16 fine, 15 diverged, the rest fine: 3 − 0 = 4 − 1.
    const rows = rowsOf(range(20), (v) => (v >= 17 || v === 15 ? 'diverged' : 'good_fit'));
    const cuts = failureCuts('x', { type: 'uniform', min: 0, max: 20 }, rows, { ...T, failureMaxP: 0.1 });
    assert.deepEqual(messages(cuts), ['3 of 3 trials with x > 16.5 diverged: lower the x maximum to 16.5']);
  });

  it('an integer range gets an integer cut, the last kept value when none lies between', () => {
    const rows = rowsOf(range(20), (v) => (v >= 15 ? 'diverged' : 'good_fit'));
    const cuts = failureCuts('units', { type: 'int_uniform', min: 0, max: 40 }, rows, T);
    assert.deepEqual(messages(cuts), ['5 of 5 trials with units > 14 diverged: lower the units maximum to 14']);
    assert.equal(cuts[0]?.proposal, 14);
    const wide = rowsOf(
      range(20).map((v) => 2 * v),
      (v) => (v >= 30 ? 'diverged' : 'good_fit'),
    );
    assert.deepEqual(messages(failureCuts('units', { type: 'int_uniform', min: 0, max: 40 }, wide, T)), [
      '5 of 5 trials with units > 29 diverged: lower the units maximum to 29',
    ]);
  });

  it('a low cut for stalled trials and a high one for diverged ones, the least likely by chance first', () => {
    // 30 trials at 0 … 29: 0 … 5 stalled, 26 … 29 diverged.
    const rows = rowsOf(range(30), (v) => (v <= 5 ? 'stalled' : v >= 26 ? 'diverged' : 'good_fit'));
    const cuts = failureCuts('x', { type: 'uniform', min: 0, max: 30 }, rows, T);
    assert.deepEqual(
      cuts.map((s) => [s.kind, s.message, s.proposal, s.evidence['current_bound'], s.evidence['failures_total']]),
      [
        ['raise_min', '6 of 6 trials with x < 5.5 stalled: raise the x minimum to 5.5', 5.5, 0, 6],
        ['lower_max', '4 of 4 trials with x > 25.5 diverged: lower the x maximum to 25.5', 25.5, 30, 4],
      ],
    );
    assert.deepEqual(
      cuts.map((s) => s.evidence['p_value']),
      [Number((29 / 593775).toPrecision(6)), Number((29 / 27405).toPrecision(6))],
    );
    // A minimum already at the cut leaves only the diverged trials' cut.
    assert.deepEqual(
      failureCuts('x', { type: 'uniform', min: 5.5, max: 30 }, rows, T).map((s) => s.kind),
      ['lower_max'],
    );
  });
});

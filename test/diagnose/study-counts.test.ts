// The study summary's counts and its "best trials": how many there are, how they are ranked,
// which trials never count, and how a failure cut and the verdicts' majority share a parameter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import type { Params } from '../../src/core/types.js';
import { VERDICTS, diagnoseStudy, type DiagnosedTrial, type Diagnosis, type StudyThresholds, type Verdict } from '../../src/diagnose/index.js';
import { trialOf } from './synthetic.js';

function diagnosed(number: number, params: Params, value: number | null, verdict: Verdict = 'good_fit'): DiagnosedTrial {
  const diagnosis: Diagnosis = { verdict, evidence: {}, hint: '', summary: verdict, overfitOnset: null, also: [], labels: {} };
  return { trial: trialOf({ number, params, value }), epochs: [], diagnosis };
}

/** `n` trials numbered 0…n−1 whose value is their number (the last is the best when maximising). */
function numbered(n: number): DiagnosedTrial[] {
  return Array.from({ length: n }, (_, i) => diagnosed(i, { x: i }, i));
}

const noSpace: Record<string, Distribution> = {};
const bestOf = (trials: DiagnosedTrial[], thresholds?: Partial<StudyThresholds>): number[] =>
  diagnoseStudy(trials, noSpace, 'maximize', thresholds).best;

describe('diagnoseStudy: the verdict counts', () => {
  it('count each primary verdict, every verdict present with its zero', () => {
    const verdicts: Verdict[] = ['diverged', 'good_fit', 'stalled', 'diverged', 'unknown', 'good_fit', 'good_fit', 'high_variance'];
    const result = diagnoseStudy(
      verdicts.map((v, i) => diagnosed(i, {}, v === 'diverged' ? null : i, v)),
      noSpace,
      'maximize',
    );
    assert.equal(result.trials, 8);
    const expected = Object.fromEntries(VERDICTS.map((v) => [v, 0]));
    Object.assign(expected, { diverged: 2, stalled: 1, high_variance: 1, good_fit: 3, unknown: 1 });
    assert.deepEqual(result.counts, expected);
    assert.deepEqual(Object.keys(result.counts), [...VERDICTS]);
  });

  it('an empty study: zero trials, every count zero, no best trials, nothing suggested', () => {
    const result = diagnoseStudy([], { lr: { type: 'log_uniform_values', min: 1e-4, max: 1 } }, 'minimize');
    assert.equal(result.trials, 0);
    assert.ok(Object.values(result.counts).every((c) => c === 0));
    assert.deepEqual([result.best, result.suggestions, result.majority], [[], [], []]);
  });
});

describe('diagnoseStudy: how many trials are "the best"', () => {
  it('none below 5 ranked trials; then the top fifth, rounded, at least 3', () => {
    assert.deepEqual(bestOf(numbered(4)), []);
    assert.deepEqual(bestOf(numbered(5)), [4, 3, 2], 'a fifth of 5 is 1: at least 3');
    assert.deepEqual(bestOf(numbered(15)), [14, 13, 12], 'a fifth of 15 is 3');
    assert.equal(bestOf(numbered(20)).length, 4);
    assert.equal(bestOf(numbered(22)).length, 4, 'a fifth of 22 is 4.4, rounded to 4');
    assert.equal(bestOf(numbered(23)).length, 5, 'a fifth of 23 is 4.6, rounded to 5');
    assert.deepEqual(bestOf(numbered(23)), [22, 21, 20, 19, 18]);
  });

  it('the thresholds move each number; never more best trials than ranked ones', () => {
    assert.deepEqual(bestOf(numbered(6), { topMin: 8 }), [5, 4, 3, 2, 1, 0], 'at least 8, but only 6 ranked');
    assert.deepEqual(bestOf(numbered(2), { minTrials: 2 }), [1, 0]);
    assert.deepEqual(bestOf(numbered(5), { minTrials: 6 }), []);
    assert.deepEqual(bestOf(numbered(10), { topFraction: 0.5, topMin: 1 }), [9, 8, 7, 6, 5]);
    assert.deepEqual(bestOf(numbered(10), { topFraction: 0.05, topMin: 1 }), [9], 'a twentieth of 10 rounds to 1');
  });
});

describe('diagnoseStudy: ranking the trials', () => {
  it('minimise ranks the lowest values first, maximise the highest', () => {
    const trials = [3, 0, 4, 1, 2].map((v, i) => diagnosed(i, {}, v * 10));
    assert.deepEqual(diagnoseStudy(trials, noSpace, 'minimize').best, [1, 3, 4]);
    assert.deepEqual(diagnoseStudy(trials, noSpace, 'maximize').best, [2, 0, 4]);
  });

  it('ties go to the lower trial number, whatever order the trials come in', () => {
    const trials = [7, 2, 9, 4, 0].map((n) => diagnosed(n, {}, 0.5));
    assert.deepEqual(diagnoseStudy(trials, noSpace, 'maximize').best, [0, 2, 4]);
    assert.deepEqual(diagnoseStudy(trials, noSpace, 'minimize').best, [0, 2, 4]);
    const mixed = [diagnosed(8, {}, 1), diagnosed(6, {}, 2), diagnosed(3, {}, 2), diagnosed(1, {}, 1), diagnosed(5, {}, 0)];
    assert.deepEqual(diagnoseStudy(mixed, noSpace, 'maximize').best, [3, 6, 1]);
    assert.deepEqual(diagnoseStudy(mixed, noSpace, 'minimize').best, [5, 1, 8]);
  });

  it('trials without a finite value are counted but never ranked: four finite values are too few', () => {
    const values = [1, 2, null, 3, Number.NaN, Number.POSITIVE_INFINITY, 4, Number.NEGATIVE_INFINITY];
    const trials = values.map((v, i) => diagnosed(i, {}, v));
    const maximise = diagnoseStudy(trials, noSpace, 'maximize');
    assert.equal(maximise.trials, 8);
    assert.equal(maximise.counts.good_fit, 8);
    assert.deepEqual(maximise.best, []);
    const five = [...trials, diagnosed(8, {}, 5)];
    assert.deepEqual(diagnoseStudy(five, noSpace, 'maximize').best, [8, 6, 3]);
    assert.deepEqual(diagnoseStudy(five, noSpace, 'minimize').best, [0, 1, 3]);
  });
});

describe('diagnoseStudy: which parameters are looked at', () => {
  it('a categorical parameter with one value is never "fixed", even when the chance test is waived', () => {
    const trials = Array.from({ length: 20 }, (_, i) => diagnosed(i, { optimizer: 'adam', seed: 7 }, i));
    const space: Record<string, Distribution> = {
      optimizer: { type: 'categorical', values: ['adam'] },
      seed: { type: 'constant', value: 7 },
    };
    assert.deepEqual(diagnoseStudy(trials, space, 'maximize', { topMaxP: 1 }).suggestions, []);
    const two: Record<string, Distribution> = { optimizer: { type: 'categorical', values: ['adam', 'sgd'] } };
    const s = diagnoseStudy(trials, two, 'maximize', { topMaxP: 1 }).suggestions;
    assert.deepEqual(s.map((x) => [x.kind, x.proposal]), [['prefer_value', 'adam']], 'with two values the same study is told to fix adam');
  });

  it('trials that lack a numeric parameter, or carry a non-number in it, are left out of its scan', () => {
    // x log-uniform over 1–100: 5 trials at 90 (the best), 15 spread over 1–25, and 6 without a
    // number for x (one a numeric string, as a space changed since could leave): the edge
    // counts are over the 20 trials whose x is a number.
    const trials: DiagnosedTrial[] = [];
    for (let i = 0; i < 15; i++) trials.push(diagnosed(i, { x: 10 ** ((1.5 * i) / 15) }, i));
    for (let i = 15; i < 20; i++) trials.push(diagnosed(i, { x: 90 }, 100 + i));
    for (let i = 20; i < 26; i++) trials.push(diagnosed(i, i % 2 === 0 ? {} : { x: '50' }, 50));
    const space: Record<string, Distribution> = { x: { type: 'log_uniform_values', min: 1, max: 100 } };
    const [s, ...more] = diagnoseStudy(trials, space, 'maximize').suggestions;
    assert.equal(more.length, 0);
    assert.equal(s?.message, '5 of 5 best trials sit at the upper edge of the x range (1–100): widen it to 1–320');
    assert.equal(s?.evidence['trials'], 20);
    assert.equal(s?.evidence['top'], 5, 'a fifth of the 26 ranked trials, rounded');
    assert.equal(s?.evidence['trials_at_edge'], 5);
  });

  it('trials that lack a categorical parameter are left out of its counts', () => {
    const trials: DiagnosedTrial[] = [];
    for (let i = 0; i < 20; i++) trials.push(diagnosed(i, { optimizer: i % 4 === 0 ? 'adam' : 'sgd' }, i % 4 === 0 ? 100 + i : i));
    for (let i = 20; i < 25; i++) trials.push(diagnosed(i, {}, 50));
    const space: Record<string, Distribution> = { optimizer: { type: 'categorical', values: ['adam', 'sgd'] } };
    const [s, ...more] = diagnoseStudy(trials, space, 'maximize').suggestions;
    assert.equal(more.length, 0);
    assert.equal(s?.message, 'all 5 best trials use optimizer=adam (5 of 20 trials overall): fix optimizer to adam, or drop sgd');
  });
});

describe('diagnoseStudy: a failure cut and the majority on one parameter', () => {
  // 14 of 20 trials diverged, all of them at a learning rate above 0.03; the 6 others below.
  const space: Record<string, Distribution> = { learning_rate: { type: 'log_uniform_values', min: 1e-4, max: 10 } };
  const trials = Array.from({ length: 20 }, (_, i) => {
    const diverged = i >= 6;
    const lr = diverged ? 10 ** (-1.5 + (2.5 * (i - 6)) / 14) : 10 ** (-4 + (2 * i) / 6);
    return diagnosed(i, { learning_rate: lr }, diverged ? null : 0.5 + i / 100, diverged ? 'diverged' : 'good_fit');
  });
  const result = diagnoseStudy(trials, space, 'maximize');

  it('the cut moves the bound once; the majority names the parameter without a second suggestion', () => {
    const lr = result.suggestions.filter((s) => s.param === 'learning_rate');
    assert.deepEqual(lr.map((s) => s.kind), ['lower_max']);
    assert.equal(lr[0]?.range, undefined, 'the failure cut, not the majority’s whole-range move');
    assert.match(lr[0]?.message ?? '', /^14 of 14 trials with learning_rate > [\d.]+ diverged: lower the learning_rate maximum to [\d.]+$/);
    assert.deepEqual(result.majority.map((m) => [m.verdict, m.trials, m.judged, m.parameters]), [['diverged', 14, 20, ['learning_rate']]]);
  });

  it('without the cut (a chance limit of 0 lets none through) the majority moves the bound instead', () => {
    const r = diagnoseStudy(trials, space, 'maximize', { failureMaxP: 0 });
    const lr = r.suggestions.filter((s) => s.param === 'learning_rate');
    assert.equal(lr.length, 1);
    assert.ok(lr[0]?.range !== undefined, JSON.stringify(lr));
    assert.match(lr[0]?.message ?? '', /^14 of 20 trials diverged; a diverging loss means α is too high \(all 6 other trials had learning_rate ≤ [\d.]+, 14 with the verdict lay beyond\)/);
  });
});

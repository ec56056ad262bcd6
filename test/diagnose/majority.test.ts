import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import type { Params } from '../../src/core/types.js';
import { diagnoseStudy, type DiagnosedTrial, type Diagnosis, type Suggestion, type Verdict } from '../../src/diagnose/index.js';
import { rng, trialOf } from './synthetic.js';

function diagnosed(number: number, params: Params, value: number | null, verdict: Verdict): DiagnosedTrial {
  const diagnosis: Diagnosis = { verdict, evidence: {}, hint: '', summary: verdict, overfitOnset: null, also: [], labels: {} };
  return { trial: trialOf({ number, params, value, state: verdict === 'diverged' ? 'diverged' : 'complete' }), epochs: [], diagnosis };
}

function one(suggestions: Suggestion[], param: string): Suggestion {
  const found = suggestions.filter((s) => s.param === param);
  assert.equal(found.length, 1, `one suggestion for ${param} in ${JSON.stringify(suggestions.map((s) => s.message))}`);
  return found[0] as Suggestion;
}

describe('diagnoseStudy: the verdicts’ majority', () => {
  it('every trial diverged: moves the α range below the smallest value tried', () => {
    const u = rng(5);
    const space: Record<string, Distribution> = { learning_rate: { type: 'log_uniform_values', min: 0.5, max: 5 } };
    const lrs = Array.from({ length: 12 }, () => 10 ** (Math.log10(0.5) + u()));
    const result = diagnoseStudy(lrs.map((lr, i) => diagnosed(i, { learning_rate: lr }, null, 'diverged')), space, 'maximize');
    const s = one(result.suggestions, 'learning_rate');
    const smallest = Math.min(...lrs);
    assert.equal(s.kind, 'lower_max');
    assert.ok(s.range !== undefined && s.range.max <= smallest && s.range.max > smallest / 2, JSON.stringify(s));
    assert.ok(s.range.min < s.range.max / 5 && s.range.min > s.range.max / 20, 'the width (one decade) is kept');
    assert.equal(s.proposal, s.range.max);
    assert.equal(s.evidence['trials_with_verdict'], 12);
    assert.match(s.message, /^all 12 of 12 trials diverged \(the smallest learning_rate tried was [\d.]+; a diverging loss means α is too high\): move the learning_rate range to [\d.]+–[\d.]+$/);
    assert.deepEqual(result.majority.map((m) => [m.verdict, m.trials, m.judged, m.parameters]), [['diverged', 12, 12, ['learning_rate']]]);
  });

  it('most trials high bias: a bigger network and less L2, where the other trials were', () => {
    const u = rng(9);
    const space: Record<string, Distribution> = {
      learning_rate: { type: 'log_uniform_values', min: 1e-4, max: 0.1 },
      hidden_units: { type: 'int_uniform', min: 8, max: 128 },
      l2: { type: 'categorical', values: [0, 1e-5, 1e-4, 1e-3] },
    };
    const trials = Array.from({ length: 24 }, (_, i) => {
      const good = i % 24 < 7;
      const units = good ? 64 + Math.floor(64 * u()) : 8 + Math.floor(120 * u());
      const l2 = good ? [0, 1e-5, 1e-4][i % 3] : [0, 1e-5, 1e-4, 1e-3][i % 4];
      return diagnosed(i, { learning_rate: 10 ** (-4 + 3 * u()), hidden_units: units, l2: l2 ?? 0 }, good ? 0.9 : 0.5, good ? 'good_fit' : 'high_bias');
    });
    const result = diagnoseStudy(trials, space, 'maximize');
    const units = one(result.suggestions, 'hidden_units');
    const lowestGood = Math.min(...trials.filter((d) => d.diagnosis.verdict === 'good_fit').map((d) => d.trial.params['hidden_units'] as number));
    assert.equal(units.kind, 'raise_min');
    assert.ok(typeof units.proposal === 'number' && units.proposal <= lowestGood && units.proposal > 40, JSON.stringify(units));
    assert.deepEqual(units.range, { min: units.proposal, max: 128 });
    assert.match(units.message, /^17 of 24 trials high bias; a bigger network or longer training lowers bias \(all 7 other trials had hidden_units ≥ \d+, \d+ with the verdict lay beyond\): raise the hidden_units minimum to \d+$/);
    const l2 = one(result.suggestions, 'l2');
    assert.equal(l2.kind, 'drop_values');
    assert.deepEqual(l2.values, [0, 1e-5, 1e-4]);
    assert.equal(result.suggestions.filter((s) => s.param === 'learning_rate' && s.evidence['verdict'] === 'high_bias').length, 0, 'α is no remedy of high bias');
  });

  it('a majority that no searched parameter carries is named with its remedy in words', () => {
    const space: Record<string, Distribution> = { learning_rate: { type: 'log_uniform_values', min: 1e-4, max: 0.1 } };
    const trials = Array.from({ length: 10 }, (_, i) => diagnosed(i, { learning_rate: 10 ** (-4 + 0.3 * i) }, 0.5, i < 8 ? 'high_bias' : 'good_fit'));
    const result = diagnoseStudy(trials, space, 'maximize');
    assert.deepEqual(result.suggestions, []);
    assert.deepEqual(result.majority.map((m) => [m.verdict, m.trials, m.judged, m.parameters]), [['high_bias', 8, 10, []]]);
    assert.match(result.majority[0]?.advice ?? '', /bigger network/);
  });

  it('a majority a failure cut already answers is not moved twice, and is not called unfixable', () => {
    const space: Record<string, Distribution> = { learning_rate: { type: 'log_uniform_values', min: 1e-3, max: 10 } };
    const trials = Array.from({ length: 20 }, (_, i) => {
      const lr = 10 ** (-3 + 0.2 * i);
      return diagnosed(i, { learning_rate: lr }, lr > 0.03 ? null : 0.9, lr > 0.03 ? 'diverged' : 'good_fit');
    });
    const result = diagnoseStudy(trials, space, 'maximize');
    const lowered = result.suggestions.filter((s) => s.param === 'learning_rate' && s.kind === 'lower_max');
    assert.equal(lowered.length, 1, JSON.stringify(result.suggestions.map((s) => s.message)));
    assert.equal(lowered[0]?.range, undefined, 'the failure cut, not a majority move');
    assert.match(lowered[0]?.message ?? '', /^12 of 12 trials with learning_rate > 0\.03 diverged/);
    assert.deepEqual(result.majority.map((m) => [m.verdict, m.parameters]), [['diverged', ['learning_rate']]]);
  });

  it('says nothing about a verdict only a minority got', () => {
    const space: Record<string, Distribution> = { learning_rate: { type: 'log_uniform_values', min: 1e-4, max: 0.1 } };
    const trials = Array.from({ length: 10 }, (_, i) => diagnosed(i, { learning_rate: 10 ** (-4 + 0.3 * i) }, 0.5, i < 5 ? 'diverged' : 'good_fit'));
    assert.deepEqual(diagnoseStudy(trials, space, 'maximize').majority, []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import type { Params } from '../../src/core/types.js';
import { diagnoseStudy, type DiagnosedTrial, type Diagnosis, type Suggestion, type Verdict } from '../../src/diagnose/index.js';
import { rng, trialOf } from './synthetic.js';

/** A diagnosed trial with just what the study view reads. */
function diagnosed(number: number, params: Params, value: number | null, verdict: Verdict): DiagnosedTrial {
  const diagnosis: Diagnosis = { verdict, evidence: {}, hint: '', summary: verdict, overfitOnset: null, also: [], labels: {} };
  return { trial: trialOf({ number, params, value, state: verdict === 'diverged' ? 'diverged' : 'complete' }), epochs: [], diagnosis };
}

function only(suggestions: Suggestion[], param: string, kind: Suggestion['kind']): Suggestion {
  const found = suggestions.filter((s) => s.param === param && s.kind === kind);
  assert.equal(found.length, 1, `one ${kind} for ${param} in ${JSON.stringify(suggestions.map((s) => s.message))}`);
  return found[0] as Suggestion;
}

describe('diagnoseStudy: failure cuts', () => {
  // α sampled log-uniformly over 1e-5 … 10: above 0.3 most trials diverge, below 1e-4 most stall.
  const space: Record<string, Distribution> = {
    learning_rate: { type: 'log_uniform_values', min: 1e-5, max: 10 },
    dropout: { type: 'uniform', min: 0, max: 0.5 },
  };
  const u = rng(42);
  const trials: DiagnosedTrial[] = [];
  for (let i = 0; i < 60; i++) {
    const lr = 10 ** (-5 + 6 * u());
    const dropout = 0.5 * u();
    const unlucky = u() < 0.85;
    let verdict: Verdict = 'good_fit';
    if (lr > 0.3 && unlucky) verdict = 'diverged';
    else if (lr < 1e-4 && unlucky) verdict = 'stalled';
    const value = verdict === 'diverged' ? null : verdict === 'stalled' ? 0.1 : 0.95 - 0.02 * (Math.log10(lr) + 2) ** 2;
    trials.push(diagnosed(i, { learning_rate: lr, dropout }, value, verdict));
  }
  const result = diagnoseStudy(trials, space, 'maximize');

  it('counts verdicts', () => {
    const diverged = trials.filter((d) => d.diagnosis.verdict === 'diverged').length;
    assert.equal(result.trials, 60);
    assert.equal(result.counts.diverged, diverged);
    assert.equal(Object.values(result.counts).reduce((a, b) => a + b, 0), 60);
    assert.equal(result.counts.unknown, 0);
  });

  it('lowers the α maximum to where most trials diverge, with the numbers', () => {
    const s = only(result.suggestions, 'learning_rate', 'lower_max');
    const cut = s.proposal;
    assert.ok(typeof cut === 'number' && cut > 0.1 && cut < 0.6, `cut ${cut}`);
    const m = /^(\d+) of (\d+) trials with learning_rate > ([\d.e-]+) diverged: lower the learning_rate maximum to ([\d.e-]+)$/.exec(s.message);
    assert.ok(m !== null, s.message);
    const beyond = trials.filter((d) => (d.trial.params.learning_rate as number) > cut);
    assert.equal(Number(m[2]), beyond.length);
    assert.equal(Number(m[1]), beyond.filter((d) => d.diagnosis.verdict === 'diverged').length);
    assert.ok(Number(m[1]) / Number(m[2]) > 0.5);
    assert.equal(Number(m[3]), cut);
  });

  it('raises the α minimum to where most trials stall (the symmetric case)', () => {
    const s = only(result.suggestions, 'learning_rate', 'raise_min');
    assert.ok(typeof s.proposal === 'number' && s.proposal > 3e-5 && s.proposal < 3e-4, `cut ${s.proposal}`);
    assert.match(s.message, /^\d+ of \d+ trials with learning_rate < [\d.e-]+ stalled: raise the learning_rate minimum to [\d.e-]+$/);
  });

  it('blames no unrelated parameter', () => {
    assert.deepEqual(
      result.suggestions.filter((s) => s.param === 'dropout').map((s) => s.message),
      [],
    );
  });

  it('says nothing when failures are spread evenly over the range', () => {
    const even = trials.map((d, i) => diagnosed(i, d.trial.params, 0.5, i % 3 === 0 ? 'diverged' : 'good_fit'));
    assert.deepEqual(diagnoseStudy(even, space, 'maximize').suggestions.filter((s) => s.kind === 'lower_max' || s.kind === 'raise_min'), []);
  });
});

describe('diagnoseStudy: the best trials', () => {
  it('widen a range whose upper edge holds the best trials (linear int and log scales)', () => {
    const space: Record<string, Distribution> = {
      hidden_units: { type: 'int_uniform', min: 16, max: 512 },
      learning_rate: { type: 'log_uniform_values', min: 1e-5, max: 1e-1 },
    };
    const trials = Array.from({ length: 30 }, (_, i) => {
      const h = Math.round(16 + (496 * i) / 29);
      const lr = 10 ** (-5 + (4 * ((i * 7) % 30)) / 29); // unrelated to the value
      return diagnosed(i, { hidden_units: h, learning_rate: lr }, 0.6 + 0.3 * (h / 512), 'good_fit');
    });
    const result = diagnoseStudy(trials, space, 'maximize');
    assert.deepEqual(result.best, [29, 28, 27, 26, 25, 24]);
    const s = only(result.suggestions, 'hidden_units', 'widen_max');
    assert.equal(s.proposal, 640);
    assert.equal(s.message, '3 of 6 best trials sit at the upper edge of the hidden_units range (16–512): widen it to 16–640');
    assert.deepEqual(result.suggestions.filter((x) => x.param === 'learning_rate'), []);

    const logSpace: Record<string, Distribution> = { learning_rate: space.learning_rate as Distribution };
    const byLr = trials.map((d, i) => diagnosed(i, { learning_rate: 10 ** (-5 + (4 * i) / 29) }, i, 'good_fit'));
    const w = only(diagnoseStudy(byLr, logSpace, 'maximize').suggestions, 'learning_rate', 'widen_max');
    assert.equal(w.proposal, 1, 'a quarter of four decades above 0.1');
  });

  it('widen a β range at its upper edge, staying below 1; minimise ranks low values first', () => {
    const space: Record<string, Distribution> = { beta1: { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 } };
    const trials = Array.from({ length: 30 }, (_, i) => diagnosed(i, { beta1: 1 - 10 ** (-1 - (2 * i) / 29) }, 30 - i, 'good_fit'));
    const s = only(diagnoseStudy(trials, space, 'minimize').suggestions, 'beta1', 'widen_max');
    assert.ok(typeof s.proposal === 'number' && s.proposal > 0.999 && s.proposal < 1, `proposal ${s.proposal}`);
  });

  it('a range whose best trials sit at a natural limit is not widened past it', () => {
    const space: Record<string, Distribution> = { dropout: { type: 'uniform', min: 0, max: 0.5 } };
    const trials = Array.from({ length: 30 }, (_, i) => diagnosed(i, { dropout: (0.5 * i) / 29 }, 1 - i / 29, 'good_fit'));
    const s = only(diagnoseStudy(trials, space, 'maximize').suggestions, 'dropout', 'at_limit');
    assert.equal(s.proposal, 0);
    assert.match(s.message, /lower edge of the dropout range \(0–0\.5\), its natural limit: consider fixing dropout at 0$/);
  });

  it('name a categorical value that dominates the best trials', () => {
    const values = ['sgd', 'momentum', 'adam', 'rmsprop'];
    const space: Record<string, Distribution> = { optimizer: { type: 'categorical', values } };
    const noise = rng(7);
    const trials = Array.from({ length: 40 }, (_, i) => {
      const optimizer = values[i % 4] as string;
      return diagnosed(i, { optimizer }, 0.8 + (optimizer === 'adam' ? 0.1 : 0) + 0.02 * noise(), 'good_fit');
    });
    const s = only(diagnoseStudy(trials, space, 'maximize').suggestions, 'optimizer', 'prefer_value');
    assert.equal(s.proposal, 'adam');
    assert.equal(s.message, 'all 8 best trials use optimizer=adam (10 of 40 trials overall): fix optimizer to adam, or drop sgd, momentum, rmsprop');
  });

  it('say nothing about too few trials, or about a value that is simply tried most', () => {
    const space: Record<string, Distribution> = { optimizer: { type: 'categorical', values: ['sgd', 'adam'] } };
    const few = [0, 1, 2, 3].map((i) => diagnosed(i, { optimizer: 'adam' }, i, 'good_fit'));
    const r = diagnoseStudy(few, space, 'maximize');
    assert.deepEqual(r.best, []);
    assert.deepEqual(r.suggestions, []);
    const mostlyAdam = Array.from({ length: 30 }, (_, i) => diagnosed(i, { optimizer: i % 10 === 0 ? 'sgd' : 'adam' }, i, 'good_fit'));
    assert.deepEqual(diagnoseStudy(mostlyAdam, space, 'maximize').suggestions, []);
  });
});

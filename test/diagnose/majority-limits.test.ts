// The verdicts' majority at the edges of its own rules: the share and the count exactly met,
// every figure of a whole-range move and of a bound moved past the other trials, the natural
// limits a moved range stops at, which parameter names carry a remedy, and categorical values
// dropped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import type { ParamValue } from '../../src/core/types.js';
import { majoritySuggestions, type VerdictRow } from '../../src/diagnose/majority.js';
import { DEFAULT_STUDY_THRESHOLDS as T } from '../../src/diagnose/thresholds.js';
import type { Suggestion, Verdict } from '../../src/diagnose/types.js';

/** One row per value, each with the verdict and that value of `param`. */
function rowsOf(param: string, values: readonly ParamValue[], verdict: Verdict): VerdictRow[] {
  return values.map((v) => ({ params: { [param]: v }, verdict }));
}

const none: ReadonlySet<string> = new Set();
const byParam = (s: Suggestion[]): Record<string, Suggestion> => Object.fromEntries(s.map((x) => [x.param, x]));

describe('majoritySuggestions: what counts as a majority', () => {
  const space: Record<string, Distribution> = { learning_rate: { type: 'log_uniform_values', min: 0.5, max: 5 } };
  const some = (diverged: number, fine: number, unknown: number): VerdictRow[] => [
    ...rowsOf('learning_rate', Array.from({ length: diverged }, () => 1), 'diverged'),
    ...rowsOf('learning_rate', Array.from({ length: fine }, () => 0.6), 'good_fit'),
    ...rowsOf('learning_rate', Array.from({ length: unknown }, () => 0.7), 'unknown'),
  ];
  const verdicts = (rows: VerdictRow[], t = T): [string, number, number][] =>
    majoritySuggestions(rows, space, none, t).majority.map((m) => [m.verdict, m.trials, m.judged]);

  it('more than failureShare of the judged trials, unknown ones left out', () => {
    assert.deepEqual(verdicts(some(6, 4, 3)), [['diverged', 6, 10]]);
    assert.deepEqual(verdicts(some(6, 6, 0)), [], 'one half is not more than one half');
    assert.deepEqual(verdicts(some(7, 6, 0)), [['diverged', 7, 13]]);
  });

  it('at least minFailures trials with the verdict', () => {
    assert.deepEqual(verdicts(some(3, 1, 0)), [['diverged', 3, 4]]);
    assert.deepEqual(verdicts(some(2, 0, 0)), []);
    assert.deepEqual(verdicts(some(3, 0, 0), { ...T, minFailures: 4 }), []);
  });

  it('names the remedy in words and the parameters moved, those a failure cut already moves first', () => {
    const space: Record<string, Distribution> = {
      hidden_units: { type: 'int_uniform', min: 8, max: 64 },
      l2: { type: 'uniform', min: 0, max: 0.1 },
      learning_rate: { type: 'log_uniform_values', min: 1e-4, max: 1 },
    };
    const rows = Array.from({ length: 5 }, (_, i): VerdictRow => ({ params: { hidden_units: 10 + i, l2: 0.05 + 0.01 * i, learning_rate: 0.01 }, verdict: 'high_bias' }));
    const taken = new Set(['l2:high_bias', 'hidden_units:diverged']);
    const { suggestions, majority } = majoritySuggestions(rows, space, taken, T);
    assert.deepEqual(majority, [
      {
        verdict: 'high_bias',
        trials: 5,
        judged: 5,
        advice: 'a bigger network (more units or layers), longer training, less regularisation',
        parameters: ['l2', 'hidden_units'],
      },
    ]);
    assert.deepEqual(
      suggestions.map((s) => s.param),
      ['hidden_units'],
      'l2 is moved by its failure cut already; a cut for another verdict does not count',
    );
  });
});

describe('majoritySuggestions: each remedy in words', () => {
  it('names what the course notes prescribe, and why each parameter moves', () => {
    const space: Record<string, Distribution> = {
      keep_prob: { type: 'uniform', min: 0.5, max: 0.9 },
      l2: { type: 'uniform', min: 0.001, max: 0.1 },
    };
    const of = (verdict: Verdict): [string[], string[]] => {
      const rows = [0.6, 0.7, 0.8].map((v): VerdictRow => ({ params: { keep_prob: v, l2: v / 10 }, verdict }));
      const { suggestions, majority } = majoritySuggestions(rows, space, none, T);
      return [majority.map((m) => m.advice), suggestions.map((s) => s.message.replace(/^.*\(.*; (.*)\): .*$/, '$1'))];
    };
    assert.deepEqual(of('diverged'), [['lower α (the learning rate)'], []]);
    assert.deepEqual(of('stalled'), [['raise α (the learning rate)'], []]);
    assert.deepEqual(of('high_bias'), [
      ['a bigger network (more units or layers), longer training, less regularisation'],
      ['less dropout lowers bias', 'less regularisation lowers bias'],
    ]);
    assert.deepEqual(of('high_variance'), [
      ['more data, L2 regularisation or dropout, early stopping'],
      ['more dropout lowers variance', 'more regularisation lowers variance'],
    ]);
  });
});

describe('majoritySuggestions: every trial with the verdict', () => {
  it('diverged: the α range moves below the smallest value tried, its width kept', () => {
    const space: Record<string, Distribution> = { learning_rate: { type: 'log_uniform_values', min: 0.5, max: 5 } };
    const rows = [
      ...rowsOf('learning_rate', [0.9, 0.637, 2.2, 4.1], 'diverged'),
      ...rowsOf('learning_rate', [0, -1], 'diverged'),
      ...rowsOf('learning_rate', [0.1, 0.2], 'unknown'),
    ];
    assert.deepEqual(majoritySuggestions(rows, space, none, T).suggestions, [
      {
        kind: 'lower_max',
        param: 'learning_rate',
        proposal: 0.63,
        range: { min: 0.063, max: 0.63 },
        message:
          'all 6 of 6 trials diverged (the smallest learning_rate tried was 0.637; a diverging loss means α is too high): ' +
          'move the learning_rate range to 0.063–0.63',
        evidence: {
          verdict: 'diverged',
          trials_with_verdict: 6,
          trials_judged: 6,
          current_min: 0.5,
          current_max: 5,
          support: 4,
          edge_tried: 0.637,
          proposed_min: 0.063,
          proposed_max: 0.63,
        },
      },
    ]);
  });

  it('stalled: the α range moves above the largest value tried', () => {
    const space: Record<string, Distribution> = { lr: { type: 'log_uniform_values', min: 1e-4, max: 1e-2 } };
    const s = majoritySuggestions(rowsOf('lr', [0.0012, 0.00517, 0.003], 'stalled'), space, none, T).suggestions;
    assert.deepEqual(
      s.map((x) => [x.kind, x.proposal, x.range, x.message, x.evidence['edge_tried']]),
      [
        [
          'raise_min',
          0.0052,
          { min: 0.0052, max: 0.52 },
          'all 3 of 3 trials stalled (the largest lr tried was 0.00517; a flat loss means α is too low): move the lr range to 0.0052–0.52',
          0.00517,
        ],
      ],
    );
  });

  it('a linear range stops at 0, an integer one from 1 at 1, a fraction at 1', () => {
    const space: Record<string, Distribution> = {
      l2: { type: 'uniform', min: 0, max: 0.1 },
      reg: { type: 'int_uniform', min: 1, max: 10 },
      wd: { type: 'int_uniform', min: 0, max: 10 },
      lambda: { type: 'uniform', min: -1, max: 1 },
      reg_lambda: { type: 'uniform', min: 1, max: 10 },
    };
    const rows = [0, 1, 2].map((i): VerdictRow => ({
      params: { l2: [0.02, 0.05, 0.09][i] ?? 0, reg: [4, 6, 9][i] ?? 0, wd: [4, 6, 9][i] ?? 0, lambda: [0.5, 0.7, 0.9][i] ?? 0, reg_lambda: [2, 5, 9][i] ?? 0 },
      verdict: 'high_bias',
    }));
    const s = byParam(majoritySuggestions(rows, space, none, T).suggestions);
    assert.deepEqual(s['l2']?.range, { min: 0, max: 0.02 });
    assert.deepEqual(s['reg']?.range, { min: 1, max: 4 });
    assert.deepEqual(s['wd']?.range, { min: 0, max: 4 });
    assert.deepEqual(s['lambda']?.range, { min: -1.5, max: 0.5 }, 'a range holding negatives is not held at 0');
    assert.deepEqual(s['reg_lambda']?.range, { min: 0, max: 2 }, 'only integer ranges stop at 1');

    const variance: Record<string, Distribution> = {
      dropout: { type: 'uniform', min: 0, max: 1 },
      l1: { type: 'uniform', min: 0, max: 2 },
      weight_decay: { type: 'uniform', min: 0.1, max: 0.9 },
      lambda: { type: 'uniform', min: -1, max: 1 },
    };
    const vrows = [0.1, 0.3, 0.4].map((v): VerdictRow => ({ params: { dropout: v, l1: v, weight_decay: v, lambda: v }, verdict: 'high_variance' }));
    const v = byParam(majoritySuggestions(vrows, variance, none, T).suggestions);
    assert.deepEqual(v['dropout']?.range, { min: 0.4, max: 1 });
    assert.deepEqual(v['l1']?.range, { min: 0.4, max: 2.4 }, 'a range reaching past 1 is no fraction');
    assert.deepEqual(v['weight_decay']?.range, { min: 0.4, max: 1 });
    assert.deepEqual(v['lambda']?.range, { min: 0.4, max: 2.4 }, 'a range holding negatives is no fraction');

    // Neither an integer range nor a log one is a fraction.
    const up: Record<string, Distribution> = {
      layers: { type: 'int_uniform', min: 0, max: 1 },
      learning_rate: { type: 'log_uniform_values', min: 1e-3, max: 0.1 },
    };
    const urows = [0, 1, 1].map((n, i): VerdictRow => ({ params: { layers: n, learning_rate: [0.03, 0.05, 0.08][i] ?? 0 }, verdict: 'high_bias' }));
    assert.deepEqual(majoritySuggestions(urows, up, none, T).suggestions.map((x) => [x.param, x.range]), [['layers', { min: 1, max: 2 }]]);
    const srows = urows.map((r): VerdictRow => ({ ...r, verdict: 'stalled' }));
    assert.deepEqual(majoritySuggestions(srows, up, none, T).suggestions.map((x) => [x.param, x.range]), [['learning_rate', { min: 0.08, max: 8 }]]);
  });

  it('a value outside the sampling scale is no other trial', () => {
    const space: Record<string, Distribution> = { learning_rate: { type: 'log_uniform_values', min: 0.5, max: 5 } };
    const rows = [...rowsOf('learning_rate', [0.9, 0.637, 2.2], 'diverged'), ...rowsOf('learning_rate', [0], 'good_fit')];
    assert.deepEqual(
      majoritySuggestions(rows, space, none, T).suggestions.map((s) => [s.range, s.message.slice(0, 29)]),
      [[{ min: 0.063, max: 0.63 }, 'all 3 of 4 trials diverged (t']],
    );
  });

  it('nothing when the moved range would be empty, the range has no width, or no trial has the parameter', () => {
    const space: Record<string, Distribution> = {
      l2: { type: 'uniform', min: 0, max: 0.1 },
      dropout: { type: 'uniform', min: 0.2, max: 0.2 },
      layers: { type: 'int_uniform', min: 1, max: 4 },
    };
    const rows = rowsOf('l2', [0, 0, 0], 'high_bias').map((r): VerdictRow => ({ ...r, params: { ...r.params, dropout: 0.2 } }));
    const { suggestions, majority } = majoritySuggestions(rows, space, none, T);
    assert.deepEqual(suggestions, []);
    assert.deepEqual(majority[0]?.parameters, []);
    // No trial with the verdict has the parameter: nothing to move, even with no count required.
    const lacking = [...rowsOf('units', [50], 'good_fit'), ...rowsOf('other', [1, 2, 3], 'high_bias')];
    assert.deepEqual(majoritySuggestions(lacking, { units: { type: 'int_uniform', min: 8, max: 128 } }, none, { ...T, minFailures: 0 }).suggestions, []);
  });
});

describe('majoritySuggestions: a bound moved past the other trials', () => {
  // α over 1e-8 … 100 (10 decades); the fine trials at most 0.01, the diverged ones beyond it but for two.
  const space: Record<string, Distribution> = { learning_rate: { type: 'log_uniform_values', min: 1e-8, max: 100 } };
  const rows = [
    ...rowsOf('learning_rate', [1e-5, 0.01, 1e-3, 1e-4], 'good_fit'),
    ...rowsOf('learning_rate', [0.02, 0.5, 3, 0.9, 50, 0.07, 0.01, 1e-4], 'diverged'),
  ];

  it('lowers the maximum to the others’ largest value, with its figures', () => {
    assert.deepEqual(majoritySuggestions(rows, space, none, T).suggestions, [
      {
        kind: 'lower_max',
        param: 'learning_rate',
        proposal: 0.01,
        range: { min: 1e-8, max: 0.01 },
        message:
          '8 of 12 trials diverged; a diverging loss means α is too high ' +
          '(all 4 other trials had learning_rate ≤ 0.01, 6 with the verdict lay beyond): lower the learning_rate maximum to 0.01',
        evidence: {
          verdict: 'diverged',
          trials_with_verdict: 8,
          trials_judged: 12,
          current_min: 1e-8,
          current_max: 100,
          support: 6,
          others: 4,
          proposed_min: 1e-8,
          proposed_max: 0.01,
        },
      },
    ]);
  });

  it('needs minFailures trials beyond, and the others away from the far edge (both inclusive)', () => {
    assert.equal(majoritySuggestions(rows, space, none, { ...T, minFailures: 6 }).suggestions.length, 1);
    assert.deepEqual(majoritySuggestions(rows, space, none, { ...T, minFailures: 7 }).suggestions, []);
    // The others reach 0.01, 4 decades below the top (the far side) of 10: an edge band of 0.4 holds them.
    assert.equal(majoritySuggestions(rows, space, none, { ...T, edgeFraction: 0.39 }).suggestions.length, 1);
    assert.deepEqual(majoritySuggestions(rows, space, none, { ...T, edgeFraction: 0.4 }).suggestions, []);
  });

  it('raises an integer minimum to the others’ smallest value, rounded down', () => {
    const space: Record<string, Distribution> = { hidden_units: { type: 'int_uniform', min: 8, max: 512 } };
    // One trial with the verdict at 137 itself: not beyond it.
    const rows = [...rowsOf('hidden_units', [300, 137, 480], 'good_fit'), ...rowsOf('hidden_units', [8, 30, 16, 137, 10, 20, 200], 'high_bias')];
    const s = majoritySuggestions(rows, space, none, T).suggestions;
    assert.deepEqual(
      s.map((x) => [x.kind, x.proposal, x.range, x.message, x.evidence['support'], x.evidence['others']]),
      [
        [
          'raise_min',
          130,
          { min: 130, max: 512 },
          '7 of 10 trials high bias; a bigger network or longer training lowers bias ' +
            '(all 3 other trials had hidden_units ≥ 137, 5 with the verdict lay beyond): raise the hidden_units minimum to 130',
          5,
          3,
        ],
      ],
    );
    const at = (min: number): Suggestion[] =>
      majoritySuggestions(rows, { hidden_units: { type: 'int_uniform', min, max: 512 } }, none, { ...T, edgeFraction: 0 }).suggestions;
    assert.equal(at(129).length, 1);
    assert.deepEqual(at(130), [], 'a minimum already at the bound');
  });

  it('nothing when the rounded bound reaches the current maximum, or the others lie below the range', () => {
    const near: Record<string, Distribution> = { learning_rate: { type: 'log_uniform_values', min: 1e-4, max: 0.013 } };
    const rows = [...rowsOf('learning_rate', [1e-3, 0.0123], 'good_fit'), ...rowsOf('learning_rate', [0.0125, 0.0127, 0.0129], 'diverged')];
    assert.deepEqual(majoritySuggestions(rows, near, none, { ...T, edgeFraction: 0 }).suggestions, [], '0.0123 rounds up to 0.013, the maximum');
    const atMin = [...rowsOf('learning_rate', [1e-4, 1e-4], 'good_fit'), ...rowsOf('learning_rate', [1e-3, 0.01, 0.1], 'diverged')];
    assert.deepEqual(majoritySuggestions(atMin, { learning_rate: { type: 'log_uniform_values', min: 1e-4, max: 1 } }, none, T).suggestions, [], 'no range of one value');
    const below = [...rowsOf('learning_rate', [5e-5, 2e-5], 'good_fit'), ...rowsOf('learning_rate', [1e-3, 0.01, 0.1], 'diverged')];
    assert.deepEqual(majoritySuggestions(below, { learning_rate: { type: 'log_uniform_values', min: 1e-4, max: 1 } }, none, T).suggestions, []);
  });
});

describe('majoritySuggestions: a 1 − β range, whose sampling scale falls as the values grow', () => {
  const space: Record<string, Distribution> = { keep_prob: { type: 'one_minus_log_uniform_values', min: 0.5, max: 0.99 } };

  it('every trial high bias: the range moves above the largest value tried, by its width in log10(1 − x)', () => {
    const s = majoritySuggestions(rowsOf('keep_prob', [0.6, 0.8, 0.9], 'high_bias'), space, none, T).suggestions;
    // 0.5 … 0.99 spans log10(0.5 / 0.01) decades of 1 − x: from 1 − 0.9 = 0.1 down to 0.1 / 50 = 0.002.
    assert.deepEqual(
      s.map((x) => [x.kind, x.proposal, x.range]),
      [['raise_min', 0.9, { min: 0.9, max: 0.998 }]],
    );
  });

  it('every trial high variance: the range moves below the smallest value tried and stays inside (0, 1)', () => {
    const s = majoritySuggestions(rowsOf('keep_prob', [0.6, 0.8, 0.9], 'high_variance'), space, none, T).suggestions;
    // Its width in log10(1 − x) would carry the minimum far below 0; by its width in x (0.49) it goes to 0.11.
    assert.equal(s.length, 1);
    assert.equal(s[0]!.kind, 'lower_max');
    assert.equal(s[0]!.range?.max, 0.6);
    assert.ok(Math.abs(s[0]!.range.min - 0.11) < 1e-9, JSON.stringify(s[0]!.range));
    const narrow: Record<string, Distribution> = { keep_prob: { type: 'one_minus_log_uniform_values', min: 0.2, max: 0.99 } };
    const t = majoritySuggestions(rowsOf('keep_prob', [0.3, 0.5], 'high_variance').concat(rowsOf('keep_prob', [0.4], 'high_variance')), narrow, none, T).suggestions;
    // A step of 0.79 below 0.3 would leave (0, 1) too: half the new maximum.
    assert.equal(t.length, 1);
    assert.ok(Math.abs(t[0]!.range!.min - 0.15) < 1e-9 && Math.abs(t[0]!.range!.max - 0.3) < 1e-9, JSON.stringify(t[0]!.range));
  });

  it('the others at the lower edge: no minimum moved by a sliver', () => {
    const rows = [...rowsOf('keep_prob', [0.52, 0.7], 'good_fit'), ...rowsOf('keep_prob', [0.505, 0.51, 0.515], 'high_bias')];
    assert.deepEqual(majoritySuggestions(rows, space, none, T).suggestions, []);
    const clear = [...rowsOf('keep_prob', [0.9, 0.95], 'good_fit'), ...rowsOf('keep_prob', [0.6, 0.7, 0.8], 'high_bias')];
    assert.deepEqual(
      majoritySuggestions(clear, space, none, T).suggestions.map((x) => [x.kind, x.range]),
      [['raise_min', { min: 0.9, max: 0.99 }]],
    );
  });
});

describe('majoritySuggestions: which parameters carry a remedy', () => {
  it('by name: sizes and training length, regularisers, keep probabilities; whole words only', () => {
    const names = ['units', 'num_layers', 'conv_filters', 'epochs', 'myunits', 'units_scale', 'dropout', 'nodropout', 'dropout_rate', 'keep_prob', 'xkeep_prob', 'keep_prob_x', 'learning_rate'];
    const space = Object.fromEntries(names.map((n): [string, Distribution] => [n, { type: 'uniform', min: 0.1, max: 0.5 }]));
    const rows = [0.2, 0.3, 0.4].map((v): VerdictRow => ({ params: Object.fromEntries(names.map((n) => [n, v])), verdict: 'high_bias' }));
    const s = majoritySuggestions(rows, space, none, T).suggestions;
    assert.deepEqual(
      s.map((x) => [x.param, x.kind]),
      [
        ['units', 'raise_min'],
        ['num_layers', 'raise_min'],
        ['conv_filters', 'raise_min'],
        ['epochs', 'raise_min'],
        ['dropout', 'lower_max'],
        ['keep_prob', 'raise_min'],
      ],
    );
  });
});

describe('majoritySuggestions: categorical values', () => {
  it('drops the values beyond what the other trials used, listed in order', () => {
    const space: Record<string, Distribution> = { l2: { type: 'categorical', values: [1e-3, 0, 1e-4, 1e-5] } };
    const rows = [...rowsOf('l2', [0, 1e-5, 0], 'good_fit'), ...rowsOf('l2', [1e-4, 1e-3, 1e-3, 1e-5, 0], 'high_bias')];
    assert.deepEqual(majoritySuggestions(rows, space, none, T).suggestions, [
      {
        kind: 'drop_values',
        param: 'l2',
        proposal: '0, 0.00001',
        values: [0, 1e-5],
        message: '5 of 8 trials high bias; less regularisation lowers bias (3 of them used l2=0.0001 or 0.001): drop 0.0001, 0.001 from l2, keeping 0, 0.00001',
        evidence: { verdict: 'high_bias', trials_with_verdict: 5, trials_judged: 8, support: 3, dropped: '0.0001,0.001' },
      },
    ]);
    assert.deepEqual(majoritySuggestions(rows, space, none, { ...T, minFailures: 4 }).suggestions, [], 'only 3 trials used the dropped values');
  });

  it('drops the single farthest value when the others used them all, or when there are no others', () => {
    const space: Record<string, Distribution> = { dropout: { type: 'categorical', values: [0.5, 0.1, 0.3] } };
    const rows = [...rowsOf('dropout', [0.1, 0.3, 0.5], 'good_fit'), ...rowsOf('dropout', [0.1, 0.1, 0.1, 0.3], 'high_variance')];
    assert.deepEqual(
      majoritySuggestions(rows, space, none, T).suggestions.map((s) => [s.values, s.evidence['dropped'], s.evidence['support']]),
      [[[0.3, 0.5], '0.1', 3]],
    );
    const keep: Record<string, Distribution> = { keep_prob: { type: 'categorical', values: [0.5, 0.9, 0.7] } };
    const all = rowsOf('keep_prob', [0.9, 0.9, 0.9, 0.5], 'high_variance');
    assert.deepEqual(
      majoritySuggestions(all, keep, none, T).suggestions.map((s) => [s.kind, s.values]),
      [['drop_values', [0.5, 0.7]]],
    );
  });

  it('keeps the values from the others’ smallest one up when the remedy raises the parameter', () => {
    const space: Record<string, Distribution> = { dropout: { type: 'categorical', values: [0.1, 0.2, 0.3, 0.5] } };
    // Two trials lack dropout (drawn only with some other choice): they say nothing of it.
    const rows = [
      ...rowsOf('dropout', [0.3, 0.5], 'good_fit'),
      ...rowsOf('dropout', [0.1, 0.1, 0.2, 0.3], 'high_variance'),
      ...rowsOf('other', [1], 'good_fit'),
      ...rowsOf('other', [1], 'high_variance'),
    ];
    assert.deepEqual(
      majoritySuggestions(rows, space, none, T).suggestions.map((s) => [s.values, s.evidence['dropped'], s.evidence['support']]),
      [[[0.3, 0.5], '0.1,0.2', 3]],
    );
    const two: Record<string, Distribution> = { dropout: { type: 'categorical', values: [0.5, 0.1] } };
    assert.deepEqual(
      majoritySuggestions(rowsOf('dropout', [0.1, 0.1, 0.5], 'high_variance'), two, none, { ...T, minFailures: 2 }).suggestions.map((s) => s.values),
      [[0.5]],
      'two values are enough to drop one',
    );
  });

  it('leaves alone one value, values that are not all numbers, and parameters of no other kind', () => {
    const space: Record<string, Distribution> = {
      dropout: { type: 'categorical', values: [0.5] },
      l2: { type: 'categorical', values: [0.1, 0.01, 'none'] },
      wd: { type: 'constant', value: 0.1 },
    };
    const rows = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i): VerdictRow => ({ params: { dropout: 0.5, l2: ['none', 0.1, 0.01][i % 3] ?? 0, wd: 0.1 }, verdict: 'high_variance' }));
    assert.deepEqual(majoritySuggestions(rows, space, none, T).suggestions, []);
  });
});

// Permutation importance on objectives whose answer is known: which parameter decides, none, or a conditional one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IMPORTANCE_METHOD, permutationImportance } from '../../src/report/index.js';
import type { ParamInfo, TrialRow } from '../../src/report/types.js';

function row(number: number, params: TrialRow['params'], value: number | null): TrialRow {
  return { number, state: 'complete', value, params, stage: null, verdict: null, also: [], summary: null, hint: null, reason: null, overfitOnset: null, epochs: 1, seconds: null };
}

const scoreOf = (result: ReturnType<typeof permutationImportance>, name: string): number =>
  result?.scores.find((s) => s.name === name)?.score ?? Number.NaN;

describe('permutation importance rules', () => {
  it('a two-valued categorical that decides the objective takes nearly all the importance', () => {
    const params: ParamInfo[] = [
      { name: 'bias', kind: 'categorical', values: [true, false] },
      { name: 'width', kind: 'linear' },
    ];
    const rows = Array.from({ length: 40 }, (_, i) => row(i, { bias: i % 2 === 0, width: (i * 17) % 23 }, i % 2 === 0 ? 0.1 : 0.9));
    const result = permutationImportance(params, rows);
    assert.ok(scoreOf(result, 'bias') > 0.9, JSON.stringify(result?.scores));
  });

  it('an objective no parameter moves gives every parameter 0, not NaN', () => {
    const params: ParamInfo[] = [{ name: 'lr', kind: 'log' }, { name: 'units', kind: 'linear' }];
    const rows = Array.from({ length: 20 }, (_, i) => row(i, { lr: 10 ** (-1 - (i % 5)), units: 16 * (1 + (i % 4)) }, 0.5));
    const result = permutationImportance(params, rows)!;
    assert.deepEqual(result.scores.map((s) => s.score), [0, 0]);
    assert.deepEqual(result.scores.map((s) => s.name), ['lr', 'units'], 'ties keep the parameters in their order');
  });

  it('names every conditional parameter in the method, with the trials it is judged over', () => {
    const params: ParamInfo[] = [
      { name: 'optimizer', kind: 'categorical', values: ['sgd', 'momentum', 'nesterov'] },
      { name: 'momentum', kind: 'log_one_minus' },
      { name: 'dampening', kind: 'linear' },
    ];
    const rows = Array.from({ length: 30 }, (_, i) => {
      const optimizer = ['sgd', 'momentum', 'nesterov'][i % 3] as string;
      const p: TrialRow['params'] = { optimizer };
      if (optimizer !== 'sgd') p['momentum'] = 0.9 + 0.009 * (i % 10);
      if (optimizer === 'nesterov') p['dampening'] = (i % 7) / 10;
      return row(i, p, i % 3);
    });
    assert.equal(IMPORTANCE_METHOD, 'permutation importance (Breiman 2001): the rise in out-of-bag squared error of a 48-tree random forest ' +
      'fitted to the objective when one parameter is shuffled; parameters in their sampling scale (log10 for log scales)');
    const result = permutationImportance(params, rows)!;
    assert.equal(
      result.method,
      `${IMPORTANCE_METHOD}; conditional parameters are shuffled and judged only where they are active: ` +
        'momentum over the 20 of 30 trials where it is active, dampening over the 10 of 30 trials where it is active',
    );
    assert.deepEqual(Object.fromEntries(result.scores.map((s) => [s.name, s.activeTrials])), { optimizer: 30, momentum: 20, dampening: 10 });
  });

  it('a conditional parameter that decides the objective where it is active is credited with it', () => {
    // optimizer=momentum trials only, and among them the value follows momentum: the optimizer
    // itself does nothing (sgd and momentum trials have the same mean).
    const params: ParamInfo[] = [
      { name: 'optimizer', kind: 'categorical', values: ['sgd', 'momentum'] },
      { name: 'momentum', kind: 'linear' },
    ];
    const rows = Array.from({ length: 60 }, (_, i) => {
      if (i % 2 === 0) return row(i, { optimizer: 'sgd' }, 0.5);
      const m = (i % 20) / 20;
      return row(i, { optimizer: 'momentum', momentum: m }, m < 0.5 ? 0 : 1);
    });
    const result = permutationImportance(params, rows)!;
    assert.equal(result.scores[0]?.name, 'momentum', JSON.stringify(result.scores));
    assert.ok(scoreOf(result, 'momentum') > 0.8, JSON.stringify(result.scores));
  });
});

describe('permutation importance figures', () => {
  const PARAMS: ParamInfo[] = [
    { name: 'lr', kind: 'log' },
    { name: 'noise', kind: 'linear' },
  ];
  const rows = Array.from({ length: 60 }, (_, i) => row(i, { lr: 10 ** (-4 + (i % 20) / 5), noise: (i * 7919) % 13 }, -4 + (i % 20) / 5));

  it('a parameter no trial has scores 0 and leaves the others their scores', () => {
    const alone = permutationImportance(PARAMS, rows)!;
    const ghosted = permutationImportance([...PARAMS, { name: 'ghost', kind: 'linear' }], rows)!;
    assert.deepEqual(ghosted.scores.find((s) => s.name === 'ghost'), { name: 'ghost', score: 0, activeTrials: 0 });
    assert.ok(scoreOf(ghosted, 'lr') > 0.9, JSON.stringify(ghosted.scores));
    assert.ok(Math.abs(scoreOf(ghosted, 'lr') + scoreOf(ghosted, 'noise') - 1) < 1e-12);
    assert.match(ghosted.method, /: ghost over the 0 of 60 trials where it is active$/);
    assert.ok(alone.scores.every((s) => s.score >= 0));
  });

  it("tells a categorical's values apart, each by its own index", () => {
    // Only gelu moves the objective, against lr's smaller effect: merging tanh with gelu (or
    // relu with tanh) would leave activation less than lr.
    const params: ParamInfo[] = [
      { name: 'activation', kind: 'categorical', values: ['relu', 'tanh', 'gelu'] },
      { name: 'lr', kind: 'log' },
    ];
    const acts = ['relu', 'tanh', 'gelu'];
    const data = Array.from({ length: 90 }, (_, i) => {
      const activation = acts[i % 3]!;
      const u = ((i * 37) % 30) / 29;
      return row(i, { activation, lr: 10 ** (-4 + 2 * u) }, (activation === 'gelu' ? 1 : 0) + 1.2 * u);
    });
    const result = permutationImportance(params, data)!;
    assert.equal(result.scores[0]?.name, 'activation', JSON.stringify(result.scores));
  });
});

describe('permutation importance of a parameter judged by few trees', () => {
  it("a conditional parameter's rise is its mean over the trees that judge it", () => {
    // b is drawn in 4 of 48 trials (0 or 1, adding 2 × b to the objective there); a, always
    // drawn, decides the rest. Only the trees with one of b's trials out of bag judge b (about
    // 40 of 48, against all 48 for a): b's mean rise over them gives it 0.58 of the total. The
    // rise summed over its trees would give b 0.55, the mean multiplied by its trees 0.51.
    const params: ParamInfo[] = [
      { name: 'a', kind: 'linear' },
      { name: 'b', kind: 'linear' },
    ];
    const rows = Array.from({ length: 48 }, (_, i) => {
      const a = ((i * 29) % 48) / 47;
      const p: TrialRow['params'] = { a };
      let value = a < 0.5 ? 0 : 1;
      if (i < 4) {
        p['b'] = i % 2;
        value += 2 * (i % 2);
      }
      return row(i, p, value);
    });
    const result = permutationImportance(params, rows)!;
    assert.deepEqual(result.scores.map((s) => [s.name, s.activeTrials]), [['b', 4], ['a', 48]]);
    assert.ok(Math.abs(scoreOf(result, 'b') - 0.58) < 0.02, JSON.stringify(result.scores));
  });
});

describe('permutation importance of inactive trials', () => {
  // B is drawn only with optimizer=momentum, and takes one value wherever it is drawn: filled
  // in with the median of its active values, the inactive trials hold that value too, so B is
  // flat and no tree can tell from it where it was drawn. The figures then cannot depend on the
  // value B takes (0 or not), whether B is active in an odd or an even number of trials.
  const params: ParamInfo[] = [
    { name: 'optimizer', kind: 'categorical', values: ['sgd', 'momentum'] },
    { name: 'lr', kind: 'log' },
    { name: 'b', kind: 'linear' },
  ];
  const data = (b: (i: number) => number, every: number): TrialRow[] =>
    Array.from({ length: 48 }, (_, i) => {
      const optimizer = i % every === 0 ? 'momentum' : 'sgd';
      const u = ((i * 29) % 48) / 47;
      const p: TrialRow['params'] = { optimizer, lr: 10 ** (-4 + 3 * u) };
      if (optimizer === 'momentum') p['b'] = b(i);
      return row(i, p, (optimizer === 'momentum' ? 1 : 0) + 0.8 * u);
    });
  const figures = (b: (i: number) => number, every: number): string =>
    JSON.stringify(permutationImportance(params, data(b, every))?.scores.map((s) => [s.name, s.score, s.activeTrials]));

  for (const [every, active] of [[2, 24], [3, 16], [7, 7], [24, 2], [48, 1]] as const) {
    it(`a parameter flat where active (${active} of 48 trials) is flat where inactive too`, () => {
      const at0 = figures(() => 0, every);
      assert.match(at0, new RegExp(`\\["b",0,${active}\\]`));
      assert.equal(figures(() => 0.5, every), at0);
      assert.equal(figures(() => -3, every), at0);
    });
  }

});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { permutationImportance } from '../../src/report/index.js';
import type { ParamInfo, TrialRow } from '../../src/report/types.js';
import { rng } from '../diagnose/synthetic.js';

const PARAMS: ParamInfo[] = [
  { name: 'optimizer', kind: 'categorical', values: ['sgd', 'momentum', 'adam'] },
  { name: 'learning_rate', kind: 'log' },
  { name: 'momentum', kind: 'log_one_minus' },
];

/** 60 trials whose value is set by the optimizer; `momentum` (drawn only with optimizer=momentum) does nothing. */
function rows(): TrialRow[] {
  const u = rng(3);
  const level: Record<string, number> = { sgd: 0.3, momentum: 0.6, adam: 0.9 };
  return Array.from({ length: 60 }, (_, i) => {
    const optimizer = ['sgd', 'momentum', 'adam'][i % 3] as string;
    const learning_rate = 10 ** (-4 + 3 * u());
    const params: TrialRow['params'] = { optimizer, learning_rate };
    if (optimizer === 'momentum') params['momentum'] = 1 - 10 ** (-0.7 - 1.3 * u());
    const value = (level[optimizer] ?? 0) + 0.02 * (u() - 0.5);
    const row: TrialRow = {
      ...{ number: i, state: 'complete', value, params, stage: null, verdict: null, also: [] },
      ...{ summary: null, hint: null, reason: null, overfitOnset: null, epochs: 1, seconds: null },
    };
    return row;
  });
}

describe('permutation importance of a conditional parameter', () => {
  const result = permutationImportance(PARAMS, rows());
  const score = (name: string) => result?.scores.find((s) => s.name === name);

  it('does not credit it with the effect of the parameter it depends on', () => {
    assert.ok(result !== null);
    assert.equal(result.scores[0]?.name, 'optimizer', JSON.stringify(result.scores));
    assert.ok((score('momentum')?.score ?? 1) < 0.1, JSON.stringify(result.scores));
  });

  it('says it was judged over the trials where it is active', () => {
    assert.equal(score('momentum')?.activeTrials, 20);
    assert.equal(score('optimizer')?.activeTrials, 60);
    assert.match(result?.method ?? '', /momentum over the 20 of 60 trials where it is active/);
  });
});

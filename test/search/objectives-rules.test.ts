// What the samplers of several objectives share: the spec's objectives, a trial's vector, the
// order by front and crowding, and NSGA-II's crowded comparison; and the multi-objective TPE's
// values (positions in that order).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Objective } from '../../src/core/pareto.js';
import { scored } from '../../src/search/mo-tpe.js';
import { crowdedBetter, rankByFronts, samplerObjectives, vectorOf, type RankedTrial } from '../../src/search/objectives.js';
import type { SampledTrial } from '../../src/search/sampler.js';

const TWO: Objective[] = [
  { name: 'f', goal: 'minimize' },
  { name: 'g', goal: 'maximize' },
];

const t = (number: number, values: (number | null)[] | undefined, value: number | null = null, state?: SampledTrial['state']): SampledTrial => {
  const out: SampledTrial = { number, params: {}, value };
  if (values !== undefined) out.values = values;
  if (state !== undefined) out.state = state;
  return out;
};

const ranked = (number: number, rank: number, crowding: number): RankedTrial => ({ trial: t(number, [0, 0]), rank, crowding });

describe('objectives', () => {
  it('takes the spec’s objectives, else its metric with the sampler’s direction, else “value”', () => {
    const base = { seed: 0, method: 'tpe' as const, parameters: {}, stages: [], run_cap: null };
    assert.deepEqual(samplerObjectives({ spec: { ...base, objectives: TWO, metric: { name: 'f', goal: 'minimize' } }, direction: 'maximize' }), TWO);
    assert.deepEqual(samplerObjectives({ spec: { ...base, metric: { name: 'loss', goal: 'minimize' } }, direction: 'maximize' }), [{ name: 'loss', goal: 'maximize' }]);
    assert.deepEqual(samplerObjectives({ spec: base, direction: 'minimize' }), [{ name: 'value', goal: 'minimize' }]);
  });

  it('reads a trial’s vector: its values, or its value for one objective; null when one is missing or not finite', () => {
    assert.deepEqual(vectorOf(t(0, [1, 2]), TWO), [1, 2]);
    assert.equal(vectorOf(t(0, [1]), TWO), null, 'too few');
    assert.equal(vectorOf(t(0, [1, 2, 3]), TWO), null, 'too many');
    assert.equal(vectorOf(t(0, [1, null]), TWO), null);
    assert.equal(vectorOf(t(0, [Number.NaN, 1]), TWO), null);
    assert.equal(vectorOf(t(0, [1, Infinity]), TWO), null);
    assert.equal(vectorOf(t(0, undefined, 3), TWO), null, 'a lone value is not two objectives');
    const one: Objective[] = [{ name: 'v', goal: 'minimize' }];
    assert.deepEqual(vectorOf(t(0, undefined, 3), one), [3]);
    assert.equal(vectorOf(t(0, undefined, null), one), null);
    assert.deepEqual(vectorOf(t(0, [4], 3), one), [4], 'values first');
    const values = [1, 2];
    const v = vectorOf(t(0, values), TWO);
    assert.notEqual(v, values, 'a copy');
  });

  it('orders by front, then larger crowding, then trial number, leaving out trials without a vector', () => {
    // f minimised, g maximised. Front 0: 4 (0, 1), 1 (1, 3), 2 (2, 4), 0 (3, 5); front 1: 3 (2, 2); front 2: 5 (3, 2).
    const trials = [t(0, [3, 5]), t(1, [1, 3]), t(2, [2, 4]), t(3, [2, 2]), t(4, [0, 1]), t(5, [3, 2]), t(6, [1, null]), t(7, undefined, 1)];
    const order = rankByFronts(trials, TWO);
    assert.deepEqual(order.map((r) => [r.trial.number, r.rank]), [[0, 0], [4, 0], [1, 0], [2, 0], [3, 1], [5, 2]]);
    // Interior crowding of 1: (2 − 0)/3 + (4 − 1)/4; of 2: (3 − 1)/3 + (5 − 3)/4.
    const of = (n: number): number => order.find((r) => r.trial.number === n)!.crowding;
    assert.ok(Math.abs(of(1) - (2 / 3 + 3 / 4)) < 1e-12);
    assert.ok(Math.abs(of(2) - (2 / 3 + 2 / 4)) < 1e-12);
    assert.equal(of(0), Infinity);
    assert.equal(of(3), Infinity);
    assert.deepEqual(rankByFronts([], TWO), []);
    // The same order whatever order the trials come in (ties of crowding, Infinity included, by number).
    assert.deepEqual(rankByFronts([...trials].reverse(), TWO).map((r) => r.trial.number), [0, 4, 1, 2, 3, 5]);
  });

  it('compares by rank, then crowding, then number', () => {
    assert.equal(crowdedBetter(ranked(5, 0, 0.1), ranked(1, 1, 9)), true);
    assert.equal(crowdedBetter(ranked(1, 1, 9), ranked(5, 0, 0.1)), false);
    assert.equal(crowdedBetter(ranked(5, 1, 2), ranked(1, 1, 1)), true);
    assert.equal(crowdedBetter(ranked(1, 1, 1), ranked(5, 1, 2)), false);
    assert.equal(crowdedBetter(ranked(1, 1, 2), ranked(5, 1, 2)), true);
    assert.equal(crowdedBetter(ranked(5, 1, 2), ranked(1, 1, 2)), false);
    assert.equal(crowdedBetter(ranked(3, 0, Infinity), ranked(3, 0, Infinity)), false);
  });

  it('gives multi-objective TPE each trial’s position in that order, complete and pruned ones apart, running ones none', () => {
    const trials = [
      t(0, [3, 5]),
      t(1, [1, 3], null, 'complete'),
      t(2, [0, 9], null, 'pruned'),
      t(3, [2, 2]),
      t(4, [5, 0], null, 'pruned'),
      t(5, [0, 9], null, 'running'),
      t(6, [1, null]),
    ];
    const out = scored(trials, TWO);
    assert.deepEqual(out.map((s) => [s.number, s.value]), [[0, 0], [1, 1], [2, 0], [3, 2], [4, 1], [5, null], [6, null]]);
    assert.deepEqual(out[2]!.values, [0, 9], 'the rest of the trial is kept');
    assert.equal(out[2]!.state, 'pruned');
  });
});

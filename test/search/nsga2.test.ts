// NSGA-II and multi-objective TPE on a ZDT1 problem (cheap, deterministic) against random
// search, by hypervolume; reproducibility; crossover and mutation in each parameter's scale.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import { hypervolume2d, type Objective } from '../../src/core/pareto.js';
import type { SearchMethod } from '../../src/core/spec.js';
import type { Params } from '../../src/core/types.js';
import { createSampler, type SampledTrial, type SamplerOptions } from '../../src/search/index.js';
import { polynomialMutation } from '../../src/search/nsga2.js';
import { crowdedBetter, rankByFronts, type RankedTrial } from '../../src/search/objectives.js';
import { medianOf } from './setup.js';

const DIMS = 5;
const ZDT1_PARAMETERS: Record<string, Distribution> = Object.fromEntries(Array.from({ length: DIMS }, (_, i) => [`x${i}`, { type: 'uniform', min: 0, max: 1 }]));
// f1 minimised; the second objective is −f2, maximised, so a goal read the wrong way round shows.
const OBJECTIVES: Objective[] = [
  { name: 'f1', goal: 'minimize' },
  { name: 'neg_f2', goal: 'maximize' },
];

function zdt1(p: Params): [number, number] {
  const x = Array.from({ length: DIMS }, (_, i) => p[`x${i}`] as number);
  const f1 = x[0]!;
  const g = 1 + (9 / (DIMS - 1)) * x.slice(1).reduce((a, b) => a + b, 0);
  return [f1, -(g * (1 - Math.sqrt(f1 / g)))];
}

function optionsFor(method: SearchMethod, seed: number, parameters: Record<string, Distribution>, population = 20): SamplerOptions {
  return {
    spec: { seed, method, parameters, stages: [], run_cap: null, objectives: OBJECTIVES, metric: OBJECTIVES[0]!, nsga2: { population, crossover_prob: 0.9, mutation_prob: null } },
    direction: 'minimize',
  };
}

function study(method: SearchMethod, seed: number, n: number, f: (p: Params) => [number, number] = zdt1, parameters = ZDT1_PARAMETERS): SampledTrial[] {
  const sampler = createSampler(optionsFor(method, seed, parameters));
  const trials: SampledTrial[] = [];
  for (let k = 0; k < n; k++) {
    const { params } = sampler.suggest(k, trials, trials);
    const values = f(params);
    trials.push({ number: k, params, value: values[0], values, state: 'complete' });
  }
  return trials;
}

const hv = (ts: readonly SampledTrial[]): number => hypervolume2d(ts.map((t) => t.values as number[]), [1.1, -10], ['minimize', 'maximize']);

describe('method nsga2', () => {
  it('reaches a larger ZDT1 hypervolume than random search in 200 trials (10 generations of 20)', () => {
    const seeds = [0, 1, 2, 3, 4];
    const nsga2 = seeds.map((s) => hv(study('nsga2', s, 200)));
    const random = seeds.map((s) => hv(study('random', s, 200)));
    // The true front reaches about 10.43 against (1.1, −10); here nsga2 gets 10.0–10.2, random 8.8–9.6.
    assert.ok(medianOf(nsga2) > medianOf(random) + 0.5, `nsga2 ${nsga2.map((x) => x.toFixed(3)).join(', ')} vs random ${random.map((x) => x.toFixed(3)).join(', ')}`);
    assert.ok(nsga2.every((x, i) => x > random[i]!), 'ahead on every seed');
  });

  it('draws generation 0 as random search does, then breeds', () => {
    const a = study('nsga2', 3, 40);
    const r = study('random', 3, 20);
    assert.deepEqual(a.slice(0, 20).map((t) => t.params), r.map((t) => t.params));
    assert.notDeepEqual(a[25]!.params, createSampler(optionsFor('random', 3, ZDT1_PARAMETERS)).suggest(25, []).params);
  });

  it('is reproducible: the same seed and trials give the same children', () => {
    assert.deepEqual(study('nsga2', 9, 60).map((t) => t.params), study('nsga2', 9, 60).map((t) => t.params));
    assert.notDeepEqual(study('nsga2', 9, 60).map((t) => t.params), study('nsga2', 10, 60).map((t) => t.params));
  });

  it('keeps children inside each domain: log ranges, 1−β, integers and categories', () => {
    const parameters: Record<string, Distribution> = {
      lr: { type: 'log_uniform_values', min: 1e-5, max: 1e-1 },
      beta1: { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 },
      units: { type: 'q_log_uniform_values', min: 8, max: 512, q: 8 },
      opt: { type: 'categorical', values: ['sgd', 'adam', 'rmsprop'] },
    };
    // Small lr and a large 1/(1−β) are good for the first objective; few units for the second.
    const f = (p: Params): [number, number] => [Math.abs(Math.log10(p['lr'] as number) + 4) + (p['opt'] === 'adam' ? 0 : 1), -(p['units'] as number)];
    const trials = study('nsga2', 1, 120, f, parameters);
    for (const t of trials) {
      const lr = t.params['lr'] as number;
      const beta1 = t.params['beta1'] as number;
      const units = t.params['units'] as number;
      assert.ok(lr >= 1e-5 && lr <= 1e-1, `lr ${lr}`);
      assert.ok(beta1 >= 0.9 && beta1 <= 0.999, `beta1 ${beta1}`);
      assert.ok(units >= 8 && units <= 512 && units % 8 === 0, `units ${units}`);
      assert.ok(['sgd', 'adam', 'rmsprop'].includes(t.params['opt'] as string));
    }
    const late = trials.slice(80);
    assert.ok(late.filter((t) => t.params['opt'] === 'adam').length > late.length / 2, 'the categorical that matters is inherited');
    // Children of log-scale parents stay near them in log scale: many within a decade of 1e-4.
    assert.ok(late.filter((t) => Math.abs(Math.log10(t.params['lr'] as number) + 4) < 1).length > late.length / 2);
  });

  it('ranks parents by front, then by crowding (spread-out first)', () => {
    const t = (number: number, values: number[]): SampledTrial => ({ number, params: {}, value: values[0]!, values, state: 'complete' });
    // Front 0: 0, 1, 2 (1 inside, 0 and 2 extremes); front 1: 3.
    const ranked = rankByFronts([t(0, [0, -3]), t(1, [0.5, -2]), t(2, [1, -1]), t(3, [0.6, -2.5])], OBJECTIVES);
    assert.deepEqual(ranked.map((r) => [r.trial.number, r.rank]), [[0, 0], [2, 0], [1, 0], [3, 1]]);
    const [a, b, c, d] = ranked as [RankedTrial, RankedTrial, RankedTrial, RankedTrial];
    assert.equal(crowdedBetter(c, d), true, 'a lower front wins');
    assert.equal(crowdedBetter(d, c), false);
    assert.equal(crowdedBetter(a, c), true, 'within a front, the larger crowding distance wins');
    assert.equal(crowdedBetter(c, b), false);
  });

  it('mutates in [0, 1], mostly near the parent', () => {
    for (const r of [0, 0.1, 0.5, 0.9, 0.999]) {
      const m = polynomialMutation(0.5, r);
      assert.ok(m >= 0 && m <= 1);
    }
    assert.ok(Math.abs(polynomialMutation(0.5, 0.4) - 0.5) < 0.05);
    assert.ok(polynomialMutation(0.5, 0.25) < 0.5 && polynomialMutation(0.5, 0.75) > 0.5);
  });
});

describe('method tpe and random with several objectives', () => {
  it('TPE split by non-domination rank beats random search on ZDT1 at 60 trials', () => {
    const seeds = [0, 1, 2, 3, 4];
    const tpe = seeds.map((s) => hv(study('tpe', s, 60)));
    const random = seeds.map((s) => hv(study('random', s, 60)));
    assert.ok(medianOf(tpe) > medianOf(random) + 0.3, `tpe ${tpe.map((x) => x.toFixed(3)).join(', ')} vs random ${random.map((x) => x.toFixed(3)).join(', ')}`);
  });

  it('auto picks tpe for a short study and nsga2 for a long one, and says why', () => {
    const short = createSampler({ ...optionsFor('auto', 0, ZDT1_PARAMETERS), spec: { ...optionsFor('auto', 0, ZDT1_PARAMETERS).spec, run_cap: 40 } });
    const long = createSampler({ ...optionsFor('auto', 0, ZDT1_PARAMETERS), spec: { ...optionsFor('auto', 0, ZDT1_PARAMETERS).spec, run_cap: 200 } });
    assert.equal(short.choice?.method, 'tpe');
    assert.match(short.choice?.reason ?? '', /2 objectives, run_cap 40/);
    assert.equal(long.choice?.method, 'nsga2');
  });

  it('refuses gp, grid and coarse-to-fine', () => {
    for (const method of ['gp', 'grid', 'coarse-to-fine'] as const) {
      assert.throws(() => createSampler(optionsFor(method, 0, ZDT1_PARAMETERS)), /takes one objective/);
    }
  });
});

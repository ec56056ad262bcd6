// TPE on problems whose optimum is known, its reproducibility, and the constant liar.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import type { Params, TrialState } from '../../src/core/types.js';
import { createSampler, type SampledTrial } from '../../src/search/index.js';
import { gammaOf, rankTrials } from '../../src/search/tpe.js';
import { best, medianOf, onLattice, options, sequential } from './setup.js';

const LR: Record<string, Distribution> = { lr: { type: 'log_uniform_values', min: 1e-5, max: 1 } };
const loss1d = (p: Params): number => (Math.log10(p['lr'] as number) - Math.log10(0.003)) ** 2;


describe('method tpe', () => {
  it('uses Optuna’s γ and ranks complete, then pruned, then running or valueless trials', () => {
    assert.deepEqual([1, 10, 11, 100, 251, 1000].map(gammaOf), [1, 1, 2, 10, 25, 25]);
    const t = (number: number, value: number | null, state: TrialState): SampledTrial => ({ number, params: {}, value, state });
    const { ranked, finished } = rankTrials([t(0, 0.5, 'running'), t(1, 0.9, 'pruned'), t(2, 0.2, 'complete'), t(3, null, 'failed'), t(4, 0.1, 'complete'), t(5, Number.NaN, 'diverged')], 'minimize');
    assert.deepEqual(ranked.map((x) => x.number), [4, 2, 1, 0, 5]);
    assert.equal(finished, 4);
  });

  it('homes in on the optimum of a 1-D log-scale problem, ahead of random search', () => {
    const seeds = [1, 2, 3, 4, 5];
    const tpe = seeds.map((s) => best(sequential('tpe', LR, loss1d, 40, s)));
    const random = seeds.map((s) => best(sequential('random', LR, loss1d, 40, s)));
    assert.ok(medianOf(tpe) < 0.01, `TPE's median best ${medianOf(tpe)} is not within 0.1 decade of the optimum`);
    assert.ok(medianOf(tpe) < medianOf(random) / 3, `TPE ${medianOf(tpe)} vs random ${medianOf(random)}`);
    // After the start-up trials, draws gather near the optimum.
    const late = sequential('tpe', LR, loss1d, 40, 9).slice(20).map((t) => t.value as number);
    assert.ok(medianOf(late) < 0.6, `late draws' median loss ${medianOf(late)}`);
  });

  it('draws less where most trials were bad, as random search does and a TPE blind to g(x) does not', () => {
    // 40 trials on [0, 1]: the four best (γ = 4) at 0.2 and around 0.8, the 36 others (bad) crowded around 0.8.
    const X: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 1 } };
    const good = [0.2, 0.78, 0.8, 0.82];
    const history: SampledTrial[] = [
      ...good.map((x, i): SampledTrial => ({ number: i, params: { x }, value: 0, state: 'complete' })),
      ...Array.from({ length: 36 }, (_, i): SampledTrial => ({ number: i + 4, params: { x: 0.705 + i * 0.0055 }, value: 1, state: 'complete' })),
    ];
    const crowded = (method: 'tpe' | 'random'): number => {
      const sampler = createSampler(options(X, { method, seed: 3, run_cap: 400 }));
      const xs = Array.from({ length: 200 }, (_, k) => sampler.suggest(40 + k, history, history).params['x'] as number);
      return xs.filter((x) => x > 0.7 && x < 0.9).length / xs.length;
    };
    // Random search puts about 20 % there; l(x) alone (g ignored) most of its draws.
    assert.ok(crowded('random') < 0.3, `random ${crowded('random')}`);
    assert.ok(crowded('tpe') < 0.3, `TPE drew ${crowded('tpe')} of its trials where 36 of 40 were bad`);
  });

  it('draws the first n_startup_trials as method random does', () => {
    const tpe = sequential('tpe', LR, loss1d, 10, 4);
    const random = sequential('random', LR, loss1d, 10, 4);
    assert.deepEqual(tpe.map((t) => t.params), random.map((t) => t.params));
  });

  it('is reproducible for one seed, and differs between seeds', () => {
    assert.deepEqual(sequential('tpe', LR, loss1d, 25, 3), sequential('tpe', LR, loss1d, 25, 3));
    assert.notDeepEqual(sequential('tpe', LR, loss1d, 25, 3).slice(10), sequential('tpe', LR, loss1d, 25, 4).slice(10));
  });

  it('keeps integers, q steps, 1−β and categoricals in their domains', () => {
    const space: Record<string, Distribution> = {
      units: { type: 'int_uniform', min: 16, max: 512 },
      drop: { type: 'q_uniform', min: 0, max: 0.5, q: 0.05 },
      beta: { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 },
      opt: { type: 'categorical', values: ['sgd', 'adam', 'rmsprop'] },
    };
    const f = (p: Params): number => Math.abs((p['units'] as number) - 100) / 100 + Math.abs((p['drop'] as number) - 0.2) + (p['opt'] === 'adam' ? 0 : 1) + Math.abs(Math.log10(1 - (p['beta'] as number)) + 2);
    for (const multivariate of [false, true]) {
      const sampler = createSampler({ ...options(space, { method: 'tpe', seed: 5, run_cap: 50 }), spec: { ...options(space).spec, method: 'tpe', seed: 5, run_cap: 50, tpe: { n_startup_trials: 10, n_ei_candidates: 24, multivariate } } });
      const trials: SampledTrial[] = [];
      for (let k = 0; k < 50; k++) {
        const { params } = sampler.suggest(k, trials, trials);
        trials.push({ number: k, params, value: f(params), state: 'complete' });
      }
      for (const { params: p } of trials) {
        assert.ok(Number.isInteger(p['units']) && (p['units'] as number) >= 16 && (p['units'] as number) <= 512, String(p['units']));
        assert.ok(onLattice(p['drop'] as number, 0.05) && (p['drop'] as number) >= 0 && (p['drop'] as number) <= 0.5, String(p['drop']));
        assert.ok((p['beta'] as number) >= 0.9 && (p['beta'] as number) <= 0.999, String(p['beta']));
        assert.ok(['sgd', 'adam', 'rmsprop'].includes(p['opt'] as string));
      }
      const lateAdam = trials.slice(25).filter((t) => t.params['opt'] === 'adam').length;
      assert.ok(lateAdam >= 15, `multivariate ${multivariate}: only ${lateAdam} of the last 25 trials chose adam`);
    }
  });

  it('treats running trials as bad (constant liar): a second slot is pushed elsewhere', () => {
    const done = sequential('tpe', LR, loss1d, 30, 2);
    const sampler = createSampler(options(LR, { method: 'tpe', seed: 2, run_cap: 40 }));
    const alone = sampler.suggest(31, done, done).params;
    const running: SampledTrial = { number: 30, params: alone, value: null, state: 'running' };
    const withLiar = sampler.suggest(31, done, [...done, running]).params;
    assert.notEqual(withLiar['lr'], alone['lr']);
    const far = (p: Params): number => Math.abs(Math.log10(p['lr'] as number) - Math.log10(alone['lr'] as number));
    assert.ok(far(withLiar) > 1e-3, `drew ${String(withLiar['lr'])} next to the running ${String(alone['lr'])}`);
  });
});

describe('coarse-to-fine with a TPE stage', () => {
  function c2f(method: 'tpe' | 'random', seed: number): SampledTrial[] {
    const stages = [
      { trials: 15, top_k: null, margin: 0.25 },
      { trials: 15, top_k: 5, margin: 0.25, ...(method === 'tpe' ? { method: 'tpe' as const } : {}) },
    ];
    const sampler = createSampler(options(LR, { method: 'coarse-to-fine', seed, stages }));
    const trials: SampledTrial[] = [];
    for (let k = 0; k < 30; k++) {
      const { params } = sampler.suggest(k, k >= 15 ? trials.slice(0, 15) : [], trials);
      trials.push({ number: k, params, value: loss1d(params), state: 'complete' });
    }
    const stage1 = sampler.stages()[1]?.parameters['lr'];
    assert.ok(stage1?.type === 'log_uniform_values');
    for (const t of trials.slice(15)) assert.ok((t.params['lr'] as number) >= stage1.min && (t.params['lr'] as number) <= stage1.max);
    return trials;
  }

  it('draws inside the narrowed ranges and learns there, ahead of a random second stage', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7];
    const late = (ts: SampledTrial[]): number => medianOf(ts.slice(15).map((t) => t.value as number));
    const tpe = medianOf(seeds.map((s) => late(c2f('tpe', s))));
    const random = medianOf(seeds.map((s) => late(c2f('random', s))));
    assert.ok(tpe < random, `median loss of the second stage: tpe ${tpe}, random ${random}`);
  });
});

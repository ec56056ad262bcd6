// GP-EI on Branin against random search, its reproducibility, domains, pending trials, and auto.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import type { Params } from '../../src/core/types.js';
import { chooseMethod, createSampler, GP_STARTUP_TRIALS, type SampledTrial } from '../../src/search/index.js';
import { logH } from '../../src/search/gp-acquisition.js';
import { logPosterior } from '../../src/search/gp-fit.js';
import { pairDistances } from '../../src/search/gp-model.js';
import { BRANIN } from '../fixtures/numeric-objectives.js';
import { best, medianOf, onLattice, options, sequential } from './setup.js';

type Method = 'gp' | 'random' | 'auto';


describe('method gp', () => {
  it('gets within 0.2 of the Branin minimum in 25 trials, far ahead of random search', () => {
    const seeds = [0, 1, 2, 3, 4];
    const regret = (method: Method): number[] => seeds.map((s) => best(sequential(method, BRANIN.parameters, BRANIN.f, 25, s)) - BRANIN.minimum);
    const gp = regret('gp');
    const random = regret('random');
    assert.ok(medianOf(gp) < 0.2, `GP's median regret ${medianOf(gp)}`);
    assert.ok(medianOf(gp) < medianOf(random) / 5, `GP's median regret ${medianOf(gp)} vs random's ${medianOf(random)}`);
    assert.ok(Math.max(...gp) < 0.6, `every seed ends within 0.6: ${gp.join(', ')}`);
  });

  it('maximises a value as well as it minimises one', () => {
    const sampler = createSampler(options(BRANIN.parameters, { method: 'gp', seed: 2, run_cap: 25, direction: 'maximize' }));
    const trials: SampledTrial[] = [];
    for (let k = 0; k < 25; k++) {
      const { params } = sampler.suggest(k, trials, trials);
      trials.push({ number: k, params, value: -BRANIN.f(params), state: 'complete' });
    }
    assert.ok(-Math.max(...trials.map((t) => t.value as number)) < BRANIN.minimum + 0.2);
  });

  it('draws the start-up trials as method random does, and is reproducible for one seed', () => {
    const gp = sequential('gp', BRANIN.parameters, BRANIN.f, 14, 4);
    const random = sequential('random', BRANIN.parameters, BRANIN.f, GP_STARTUP_TRIALS, 4);
    assert.deepEqual(gp.slice(0, GP_STARTUP_TRIALS).map((t) => t.params), random.map((t) => t.params));
    assert.deepEqual(sequential('gp', BRANIN.parameters, BRANIN.f, 14, 4), gp);
    assert.notDeepEqual(sequential('gp', BRANIN.parameters, BRANIN.f, 14, 5).slice(GP_STARTUP_TRIALS), gp.slice(GP_STARTUP_TRIALS));
  });

  it('keeps integers, q steps, log and 1−β ranges and categoricals in their domains', () => {
    const space: Record<string, Distribution> = {
      units: { type: 'int_uniform', min: 16, max: 512 },
      batch: { type: 'q_uniform', min: 16, max: 256, q: 16 },
      lr: { type: 'log_uniform_values', min: 1e-5, max: 1 },
      beta1: { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.9999 },
      width: { type: 'q_log_uniform_values', min: 8, max: 1024, q: 8 },
      act: { type: 'categorical', values: ['relu', 'tanh', 'elu'] },
      fixed: { type: 'constant', value: 3 },
    };
    const f = (p: Params): number => (Math.log10(p['lr'] as number) + 3) ** 2 + (p['act'] === 'tanh' ? 0 : 1) + Math.abs((p['units'] as number) - 100) / 100;
    const trials = sequential('gp', space, f, 18, 1);
    for (const { params: p } of trials) {
      assert.ok(Number.isInteger(p['units']) && (p['units'] as number) >= 16 && (p['units'] as number) <= 512);
      assert.ok(onLattice(p['batch'] as number, 16) && (p['batch'] as number) >= 16 && (p['batch'] as number) <= 256);
      assert.ok(onLattice(p['width'] as number, 8) && (p['width'] as number) >= 8 && (p['width'] as number) <= 1024);
      assert.ok((p['lr'] as number) >= 1e-5 && (p['lr'] as number) <= 1);
      assert.ok((p['beta1'] as number) >= 0.9 && (p['beta1'] as number) <= 0.9999);
      assert.ok(['relu', 'tanh', 'elu'].includes(p['act'] as string));
      assert.equal(p['fixed'], 3);
      assert.deepEqual(Object.keys(p), Object.keys(p).sort());
    }
    // The model's picks favour the category that scores best.
    assert.ok(trials.slice(GP_STARTUP_TRIALS).filter((t) => t.params['act'] === 'tanh').length >= 4);
  });

  it('sends a second slot away from a running trial (kriging believer)', () => {
    const gap = (a: Params, b: Params): number => Math.hypot(((a['x1'] as number) - (b['x1'] as number)) / 15, ((a['x2'] as number) - (b['x2'] as number)) / 15);
    const alone: number[] = [];
    const beside: number[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const trials = sequential('gp', BRANIN.parameters, BRANIN.f, 14, seed);
      const sampler = createSampler(options(BRANIN.parameters, { method: 'gp', seed, run_cap: 30 }));
      const first = sampler.suggest(14, trials, trials).params;
      const running: SampledTrial = { number: 14, params: first, value: null, state: 'running' };
      alone.push(gap(sampler.suggest(15, trials, trials).params, first));
      beside.push(gap(sampler.suggest(15, trials, [...trials, running]).params, first));
    }
    // Without the running trial, trial 15 would mostly go where 14 went.
    assert.ok(medianOf(alone) < 0.05, `alone: ${alone.join(', ')}`);
    assert.ok(Math.min(...beside) > 0.2, `beside a running trial: ${beside.join(', ')}`);
  });

  it('learns nothing from failed trials and counts diverged ones as the worst seen', () => {
    const trials = sequential('gp', BRANIN.parameters, BRANIN.f, 12, 6);
    const sampler = createSampler(options(BRANIN.parameters, { method: 'gp', seed: 6, run_cap: 30 }));
    const base = sampler.suggest(12, trials, trials).params;
    const failed: SampledTrial = { number: 12, params: { x1: 0, x2: 0 }, value: null, state: 'failed' };
    assert.deepEqual(sampler.suggest(13, trials, [...trials, failed]).params, sampler.suggest(13, trials, trials).params);
    const diverged: SampledTrial = { number: 12, params: base, value: Number.NaN, state: 'diverged' };
    const after = sampler.suggest(13, trials, [...trials, diverged]).params;
    assert.ok(Number.isFinite(after['x1']) && Number.isFinite(after['x2']));
  });

  it('fits with the exact gradient of the marginal likelihood (against finite differences)', () => {
    const points = [0.1, 0.35, 0.5, 0.8, 0.95, 0.2].map((u, i) => Float64Array.from([u, (i * 0.37) % 1, i % 3]));
    const y = Float64Array.from([0.3, -1.2, 0.4, 1.5, -0.2, 0.9]);
    const pairs = pairDistances(points, Uint8Array.from([0, 0, 1]));
    const theta = [Math.log(0.3), Math.log(0.7), Math.log(0.5), Math.log(1.3), Math.log(0.02)];
    const { grad } = logPosterior(pairs, y, theta);
    theta.forEach((_, i) => {
      const h = 1e-5;
      const up = theta.map((t, j) => (j === i ? t + h : t));
      const down = theta.map((t, j) => (j === i ? t - h : t));
      const numeric = (logPosterior(pairs, y, up).value - logPosterior(pairs, y, down).value) / (2 * h);
      assert.ok(Math.abs(numeric - (grad[i] as number)) < 1e-4 * Math.max(1, Math.abs(numeric)), `θ${i}: analytic ${grad[i]}, numeric ${numeric}`);
    });
  });

  it('computes log EI without underflow far below the incumbent', () => {
    // h(z) = φ(z) + zΦ(z): values from the normal tables.
    assert.ok(Math.abs(logH(0) - Math.log(1 / Math.sqrt(2 * Math.PI))) < 1e-9);
    assert.ok(Math.abs(logH(-1) - Math.log(0.0833155)) < 1e-5);
    assert.ok(Math.abs(logH(-5) - Math.log(5.34616e-8)) < 1e-4);
    assert.ok(Math.abs(logH(2) - Math.log(2.00849)) < 1e-5);
    assert.ok(Number.isFinite(logH(-40)) && logH(-40) < logH(-39));
  });
});

describe('method auto', () => {
  it('takes the GP for a small numeric space and TPE for categorical, conditional, wide or long searches', () => {
    const numeric = { parameters: BRANIN.parameters, run_cap: 50 };
    assert.deepEqual(chooseMethod(numeric), { method: 'gp', reason: '2 numeric parameters, run_cap 50' });
    const cat: Record<string, Distribution> = { ...BRANIN.parameters, opt: { type: 'categorical', values: ['sgd', 'adam'] } };
    assert.deepEqual(chooseMethod({ parameters: cat, run_cap: 50 }), { method: 'tpe', reason: 'categorical parameter opt' });
    assert.equal(chooseMethod({ parameters: cat, run_cap: 50, conditions: { x2: { opt: ['adam'] } } }).reason, 'conditional parameter x2');
    const wide: Record<string, Distribution> = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}`, { type: 'uniform', min: 0, max: 1 }]));
    assert.deepEqual(chooseMethod({ parameters: wide, run_cap: 50 }), { method: 'tpe', reason: '11 parameters, gp takes up to 10' });
    assert.deepEqual(chooseMethod({ parameters: BRANIN.parameters, run_cap: 201 }), { method: 'tpe', reason: 'run_cap 201, gp takes up to 200 trials' });
  });

  it('samples as the method it chose, and says which', () => {
    const auto = createSampler(options(BRANIN.parameters, { method: 'auto', seed: 1, run_cap: 20 }));
    assert.equal(auto.choice?.method, 'gp');
    assert.deepEqual(sequential('auto', BRANIN.parameters, BRANIN.f, 13, 1), sequential('gp', BRANIN.parameters, BRANIN.f, 13, 1));
    assert.equal(createSampler(options(BRANIN.parameters, { method: 'gp', run_cap: 20 })).choice, undefined);
  });
});

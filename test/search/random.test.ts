// method: random — trial k's parameters depend on (seed, k) alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Distribution } from '../../src/core/distributions.js';
import { UsageError } from '../../src/core/errors.js';
import { createSampler, type SampledTrial } from '../../src/search/index.js';
import { options } from './setup.js';

const parameters: Record<string, Distribution> = {
  learning_rate: { type: 'log_uniform_values', min: 1e-5, max: 1e-1 },
  beta1: { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 },
  hidden_units: { type: 'int_uniform', min: 16, max: 512 },
  batch_size: { type: 'categorical', values: [32, 64, 128, 256] },
  optimizer: { type: 'categorical', values: ['sgd', 'adam'], probabilities: [0.25, 0.75] },
  dropout: { type: 'q_uniform', min: 0, max: 0.5, q: 0.05 },
  epochs: { type: 'constant', value: 10 },
};

function history(n: number): SampledTrial[] {
  return Array.from({ length: n }, (_, i) => ({ number: i, params: { learning_rate: 0.01 }, value: i % 3 === 0 ? null : i }));
}

describe('method: random', () => {
  it("trial k's parameters don't depend on which trials were asked, in what order, or on history", () => {
    const reference = createSampler(options(parameters, { seed: 42 }));
    const expected = Array.from({ length: 40 }, (_, k) => reference.suggest(k, []).params);
    fc.assert(
      fc.property(fc.shuffledSubarray(Array.from({ length: 40 }, (_, k) => k)), fc.nat(40), (order, historySize) => {
        const sampler = createSampler(options(parameters, { seed: 42 }));
        for (const k of order) assert.deepEqual(sampler.suggest(k, history(historySize)).params, expected[k]);
      }),
      { numRuns: 100 },
    );
  });

  it('is the same across sampler instances (a resumed study) and repeated asks', () => {
    const a = createSampler(options(parameters, { seed: 3 }));
    const b = createSampler(options(parameters, { seed: 3 }));
    assert.deepEqual(b.suggest(17, history(9)), a.suggest(17, []));
    assert.deepEqual(a.suggest(17, []), a.suggest(17, history(2)));
  });

  it('different trials and different seeds give different parameters', () => {
    const a = createSampler(options(parameters, { seed: 1 }));
    const b = createSampler(options(parameters, { seed: 2 }));
    assert.notDeepEqual(a.suggest(0, []).params, a.suggest(1, []).params);
    assert.notDeepEqual(a.suggest(0, []).params, b.suggest(0, []).params);
    const lrs = new Set(Array.from({ length: 200 }, (_, k) => a.suggest(k, []).params.learning_rate));
    assert.equal(lrs.size, 200);
  });

  it("adding, removing or reordering parameters leaves the others' values unchanged", () => {
    const base = createSampler(options(parameters, { seed: 9 }));
    const more = createSampler(options({ aaa: { type: 'uniform', min: 0, max: 1 }, ...parameters, zzz: { type: 'uniform', min: 0, max: 1 } }, { seed: 9 }));
    const { optimizer: _dropped, ...fewerParams } = parameters;
    const fewer = createSampler(options(fewerParams, { seed: 9 }));
    const reversed = createSampler(options(Object.fromEntries(Object.entries(parameters).reverse()), { seed: 9 }));
    for (let k = 0; k < 20; k++) {
      const p = base.suggest(k, []).params;
      const { aaa: _a, zzz: _z, ...rest } = more.suggest(k, []).params;
      assert.deepEqual(rest, p);
      const { optimizer: _o, ...withoutOptimizer } = p;
      assert.deepEqual(fewer.suggest(k, []).params, withoutOptimizer);
      assert.deepEqual(reversed.suggest(k, []).params, p);
    }
  });

  it('returns params in sorted name order, the distributions and no stage; planned is run_cap', () => {
    const sampler = createSampler(options(parameters, { run_cap: 40 }));
    const s = sampler.suggest(0, []);
    assert.deepEqual(Object.keys(s.params), Object.keys(parameters).sort());
    assert.deepEqual(s.distributions, parameters);
    assert.equal(s.stage, null);
    assert.equal(sampler.planned, 40);
    assert.deepEqual(sampler.stages(), []);
    assert.equal(createSampler(options(parameters)).planned, null);
  });

  it('returned records are copies', () => {
    const sampler = createSampler(options(parameters));
    const s = sampler.suggest(0, []);
    (s.distributions.dropout as { min: number }).min = 99;
    assert.deepEqual(sampler.suggest(0, []), createSampler(options(parameters)).suggest(0, []));
  });

  it('rejects a bad trial number, a distribution nothing can be drawn from, and an unknown method', () => {
    const sampler = createSampler(options(parameters));
    assert.throws(() => sampler.suggest(-1, []), RangeError);
    assert.throws(() => sampler.suggest(1.5, []), RangeError);
    assert.throws(() => createSampler(options({ x: { type: 'int_uniform', min: 0.2, max: 0.8 } })), UsageError);
    assert.throws(() => createSampler(options(parameters, { method: 'anneal' as 'random' })), /unknown search method "anneal"/);
  });
});

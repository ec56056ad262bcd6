// method: random — the name order, the per-parameter streams, and the guards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import { UsageError } from '../../src/core/errors.js';
import { drawValue, paramStream } from '../../src/search/index.js';
import { RandomSampler, checkParameters, drawParams, sortedNames } from '../../src/search/random.js';
import { options } from './setup.js';

const U: Distribution = { type: 'uniform', min: 0, max: 1 };

describe('sortedNames', () => {
  it('orders names by code unit, whatever order the record has', () => {
    const names = ['b', 'B', 'a', '_x', 'Z', 'ä', 'a1', 'a10', 'a2'];
    const expected = ['B', 'Z', '_x', 'a', 'a1', 'a10', 'a2', 'b', 'ä'];
    assert.deepEqual(sortedNames(Object.fromEntries(names.map((n) => [n, U]))), expected);
    assert.deepEqual(sortedNames(Object.fromEntries([...names].reverse().map((n) => [n, U]))), expected);
    assert.deepEqual(sortedNames(Object.fromEntries([...expected].reverse().map((n) => [n, U]))), expected);
    assert.deepEqual(sortedNames(Object.fromEntries(expected.map((n) => [n, U]))), expected);
    assert.deepEqual(sortedNames({}), []);
  });
});

describe('checkParameters', () => {
  it('names the first bad parameter in sorted order', () => {
    const bad: Record<string, Distribution> = {
      z: { type: 'int_uniform', min: 0.2, max: 0.8 },
      a: { type: 'categorical', values: [] },
      m: U,
    };
    assert.throws(() => checkParameters(bad), (e: unknown) => e instanceof UsageError && e.message === 'parameter a: values must not be empty');
    assert.doesNotThrow(() => checkParameters({ m: U, c: { type: 'constant', value: 1 } }));
  });
});

describe('drawParams', () => {
  it("draws each parameter from its own (seed, trial, name) stream's first uniform", () => {
    const parameters: Record<string, Distribution> = {
      lr: { type: 'log_uniform_values', min: 1e-5, max: 1e-1 },
      c: { type: 'categorical', values: ['a', 'b', 'c'] },
      k: { type: 'constant', value: 4 },
    };
    for (const trial of [0, 1, 17]) {
      const expected = Object.fromEntries(['c', 'k', 'lr'].map((n) => [n, drawValue(parameters[n] as Distribution, paramStream(3, trial, n).uniform())]));
      const got = drawParams(3, trial, parameters);
      assert.deepEqual(got, expected);
      assert.deepEqual(Object.keys(got), ['c', 'k', 'lr']);
    }
  });
});

describe('RandomSampler', () => {
  it('draws trial k with drawParams(seed, k), plans run_cap, has no stages', () => {
    const parameters: Record<string, Distribution> = { x: U, n: { type: 'int_uniform', min: 1, max: 9 } };
    const sampler = new RandomSampler(options(parameters, { seed: 11, run_cap: 3 }));
    assert.equal(sampler.planned, 3);
    for (const k of [0, 2, 5]) assert.deepEqual(sampler.suggest(k), { params: drawParams(11, k, parameters), distributions: parameters, stage: null });
    assert.deepEqual(sampler.stages(), []);
  });

  it('keeps its own copy of the ranges', () => {
    const parameters: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 1 } };
    const sampler = new RandomSampler(options(parameters, { seed: 11 }));
    const before = sampler.suggest(0);
    (parameters.x as { max: number }).max = 100;
    assert.deepEqual(sampler.suggest(0), before);
  });

  it('refuses a distribution nothing can be drawn from', () => {
    assert.throws(() => new RandomSampler(options({ q: { type: 'q_uniform', min: 0.1, max: 0.2, q: 1 } })), /parameter q: no multiple of q = 1/);
  });
});

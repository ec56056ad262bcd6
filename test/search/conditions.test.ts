// Conditional parameters (`when:`): which parameters a trial keeps, and the sampler that drops the rest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import type { Conditions } from '../../src/core/spec.js';
import type { Params } from '../../src/core/types.js';
import type { MethodChoice } from '../../src/search/auto.js';
import { ConditionalSampler, activeParams } from '../../src/search/conditions.js';
import { createSampler, type SampledTrial, type Sampler, type StageRanges, type Suggestion } from '../../src/search/index.js';
import { options } from './setup.js';

/** A chain p0 ← p1 ← … ← pN (each pi applies while p(i−1) is 'x'), deepest name first. */
function chain(n: number): { params: Params; conditions: Conditions } {
  const params: Params = {};
  const conditions: Conditions = {};
  for (let i = n; i >= 0; i--) {
    params[`p${i}`] = 'x';
    if (i > 0) conditions[`p${i}`] = { [`p${i - 1}`]: ['x'] };
  }
  return { params, conditions };
}

describe('activeParams', () => {
  const conditions: Conditions = {
    momentum: { optimizer: ['sgd'] },
    nesterov: { momentum: ['on'] },
    both: { optimizer: ['sgd', 'adam'], act: ['relu'] },
  };

  it('keeps the unconditioned parameters and the ones whose parent took a listed value', () => {
    assert.deepEqual(activeParams({ optimizer: 'sgd', momentum: 'on', lr: 0.1 }, conditions), { optimizer: 'sgd', momentum: 'on', lr: 0.1 });
    assert.deepEqual(activeParams({ optimizer: 'adam', momentum: 'on', lr: 0.1 }, conditions), { optimizer: 'adam', lr: 0.1 });
  });

  it('needs every parent of a parameter to match', () => {
    assert.deepEqual(activeParams({ optimizer: 'adam', act: 'relu', both: 1 }, conditions), { optimizer: 'adam', act: 'relu', both: 1 });
    assert.deepEqual(activeParams({ optimizer: 'adam', act: 'tanh', both: 1 }, conditions), { optimizer: 'adam', act: 'tanh' });
    assert.deepEqual(activeParams({ optimizer: 'rmsprop', act: 'relu', both: 1 }, conditions), { optimizer: 'rmsprop', act: 'relu' });
  });

  it('drops a parameter whose parent is absent, or present but itself inactive', () => {
    assert.deepEqual(activeParams({ momentum: 'on' }, conditions), {});
    // momentum took 'on', but momentum does not apply under adam: nesterov goes with it.
    assert.deepEqual(activeParams({ nesterov: true, momentum: 'on', optimizer: 'adam' }, conditions), { optimizer: 'adam' });
    assert.deepEqual(activeParams({ nesterov: true, momentum: 'on', optimizer: 'sgd' }, conditions), { nesterov: true, momentum: 'on', optimizer: 'sgd' });
  });

  it('keeps the order of the keys it was given', () => {
    assert.deepEqual(Object.keys(activeParams({ z: 1, optimizer: 'sgd', a: 2, momentum: 'on' }, conditions)), ['z', 'optimizer', 'a', 'momentum']);
  });

  it('drops a cycle rather than recursing without end', () => {
    const cycle: Conditions = { a: { b: ['x'] }, b: { a: ['x'] }, c: { c: ['x'] } };
    assert.deepEqual(activeParams({ a: 'x', b: 'x', c: 'x', d: 1 }, cycle), { d: 1 });
  });

  it('follows a chain of 100 conditional parents; the cycle guard cuts at 101', () => {
    const ok = chain(100);
    assert.deepEqual(activeParams(ok.params, ok.conditions), ok.params);
    const long = chain(101);
    assert.deepEqual(activeParams(long.params, long.conditions), { p0: 'x' });
  });

  it('decides each parameter once: a lattice of 40 levels, two parents each, resolves at once', () => {
    // Without remembering the parameters already decided this is 2^40 visits.
    const params: Params = { a0: 'x', b0: 'x' };
    const conditions: Conditions = {};
    for (let i = 1; i <= 40; i++) {
      for (const n of ['a', 'b']) {
        params[`${n}${i}`] = 'x';
        conditions[`${n}${i}`] = { [`a${i - 1}`]: ['x'], [`b${i - 1}`]: ['x'] };
      }
    }
    const reversed = Object.fromEntries(Object.entries(params).reverse());
    assert.deepEqual(activeParams(reversed, conditions), reversed);
  });
});

describe('ConditionalSampler', () => {
  const d = (min: number): Distribution => ({ type: 'uniform', min, max: min + 1 });
  const stored: StageRanges[] = [{ stage: 0, trials: [0, 4], fittedTo: [], parameters: { x: d(0) } }];
  const choice: MethodChoice = { method: 'tpe', reason: 'conditional parameter y' };

  /** An inner sampler that records what it was asked. */
  function inner(suggestion: Suggestion): Sampler & { asked: unknown[][] } {
    const asked: unknown[][] = [];
    return {
      planned: 5,
      choice,
      asked,
      suggest: (number: number, history: readonly SampledTrial[], live?: readonly SampledTrial[]) => {
        asked.push([number, history, live]);
        return structuredClone(suggestion);
      },
      stages: () => stored,
    };
  }

  it('drops the inactive parameters and their distributions, keeps the stage', () => {
    const s = inner({ params: { opt: 'adam', mom: 0.9, lr: 0.1 }, distributions: { opt: { type: 'categorical', values: ['sgd', 'adam'] }, mom: d(0), lr: d(1) }, stage: 2 });
    const out = new ConditionalSampler(s, { mom: { opt: ['sgd'] } }).suggest(3, []);
    assert.deepEqual(out, { params: { opt: 'adam', lr: 0.1 }, distributions: { opt: { type: 'categorical', values: ['sgd', 'adam'] }, lr: d(1) }, stage: 2 });
  });

  it('adds no distribution for a parameter the inner sampler gave none', () => {
    const s = inner({ params: { lr: 0.1, extra: 1 }, distributions: { lr: d(1) }, stage: null });
    const out = new ConditionalSampler(s, { mom: { opt: ['sgd'] } }).suggest(0, []);
    assert.deepEqual(out.params, { lr: 0.1, extra: 1 });
    assert.deepEqual(Object.keys(out.distributions), ['lr']);
    assert.equal(out.stage, null);
  });

  it("passes the trial number, history and live trials through, and reports the inner sampler's plan, choice and stages", () => {
    const s = inner({ params: {}, distributions: {}, stage: null });
    const sampler = new ConditionalSampler(s, {});
    const history: SampledTrial[] = [{ number: 0, params: {}, value: 1 }];
    const live: SampledTrial[] = [...history, { number: 1, params: {}, value: null, state: 'running' }];
    sampler.suggest(7, history, live);
    assert.equal(s.asked.length, 1);
    assert.equal(s.asked[0]?.[0], 7);
    assert.equal(s.asked[0]?.[1], history);
    assert.equal(s.asked[0]?.[2], live);
    assert.equal(sampler.planned, 5);
    assert.equal(sampler.choice, choice);
    assert.equal(sampler.stages(), stored);
  });

  it('is what createSampler returns for a spec with conditions: random draws, inactive ones left out', () => {
    const parameters: Record<string, Distribution> = { opt: { type: 'categorical', values: ['sgd', 'adam'] }, mom: d(0) };
    const plain = createSampler(options(parameters, { seed: 5 }));
    const spec = options(parameters, { seed: 5 });
    spec.spec.conditions = { mom: { opt: ['sgd'] } };
    const sampler = createSampler(spec);
    let seen = 0;
    for (let k = 0; k < 20; k++) {
      const p = plain.suggest(k, []).params;
      const s = sampler.suggest(k, []);
      if (p.opt === 'sgd') assert.deepEqual(s.params, p);
      else assert.deepEqual(s.params, { opt: p.opt });
      assert.deepEqual(Object.keys(s.distributions), Object.keys(s.params));
      if (p.opt === 'adam') seen++;
    }
    assert.ok(seen > 0 && seen < 20);
  });
});

// method: coarse-to-fine — stages narrowed to the best trials so far.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { contains, isNumeric, type Distribution } from '../../src/core/distributions.js';
import type { Stage } from '../../src/core/spec.js';
import type { Direction, Params } from '../../src/core/types.js';
import { createSampler, stagePlan, type SampledTrial, type Sampler, type StageRanges } from '../../src/search/index.js';
import { options } from './setup.js';

const parameters: Record<string, Distribution> = {
  lr: { type: 'log_uniform_values', min: 1e-5, max: 1e-1 },
  beta1: { type: 'one_minus_log_uniform_values', min: 0.8, max: 0.9999 },
  units: { type: 'int_uniform', min: 8, max: 512 },
  dropout: { type: 'q_uniform', min: 0, max: 0.5, q: 0.05 },
  optimizer: { type: 'categorical', values: ['sgd', 'momentum', 'adam', 'rmsprop'], probabilities: [0.1, 0.2, 0.3, 0.4] },
  epochs: { type: 'constant', value: 10 },
};
const stages: Stage[] = [
  { trials: 30, top_k: null, margin: 0 },
  { trials: 20, top_k: 5, margin: 0.25 },
  { trials: 20, top_k: 5, margin: 0.25 },
];

/** A bowl with its optimum at lr 1e-3, β 0.99, 128 units, dropout 0.2, adam. */
function bowl(p: Params): number {
  const lr = Math.log10(p.lr as number) + 3;
  const beta = Math.log10(1 - (p.beta1 as number)) + 2;
  const units = ((p.units as number) - 128) / 128;
  return lr ** 2 + beta ** 2 + units ** 2 + ((p.dropout as number) - 0.2) ** 2 + (p.optimizer === 'adam' ? 0 : 0.5);
}

function c2f(extra: { direction?: Direction; run_cap?: number | null; storedStages?: StageRanges[]; stages?: Stage[] } = {}, params = parameters): Sampler {
  return createSampler(options(params, { method: 'coarse-to-fine', stages, ...extra }));
}

/** Runs trials [from, to) one after the other, appending to history. */
function run(sampler: Sampler, history: SampledTrial[], from: number, to: number, objective = bowl): void {
  for (let k = from; k < to; k++) {
    const { params } = sampler.suggest(k, history);
    history.push({ number: k, params, value: objective(params) });
  }
}

/** Asserts `inner` lies inside `outer`, parameter by parameter. */
function assertNested(inner: Record<string, Distribution>, outer: Record<string, Distribution>): void {
  for (const [name, d] of Object.entries(inner)) {
    const o = outer[name] as Distribution;
    assert.equal(d.type, o.type, name);
    if (isNumeric(d) && isNumeric(o)) assert.ok(d.min >= o.min && d.max <= o.max, `${name}: [${d.min}, ${d.max}] outside [${o.min}, ${o.max}]`);
    if (d.type === 'categorical' && o.type === 'categorical') assert.ok(d.values.every((v) => o.values.includes(v)), name);
    if (d.type === 'constant') assert.deepEqual(d, o);
  }
}

function assertContains(ranges: Record<string, Distribution>, trials: readonly SampledTrial[]): void {
  for (const t of trials) for (const [name, d] of Object.entries(ranges)) assert.ok(contains(d, t.params[name] as never), `trial ${t.number} ${name}=${t.params[name]}`);
}

const best = (history: readonly SampledTrial[], k: number, direction: Direction = 'minimize') =>
  [...history].sort((a, b) => (direction === 'minimize' ? 1 : -1) * ((a.value as number) - (b.value as number))).slice(0, k);

describe('method: coarse-to-fine', () => {
  it('plans the stages: trial ranges, planned = total or run_cap', () => {
    assert.deepEqual(stagePlan(stages).map((s) => [s.first, s.last]), [[0, 29], [30, 49], [50, 69]]);
    assert.equal(c2f().planned, 70);
    assert.equal(c2f({ run_cap: 40 }).planned, 40);
    const s = c2f();
    assert.deepEqual(s.stages(), []);
    s.suggest(0, []);
    assert.deepEqual(s.stages(), [{ stage: 0, trials: [0, 29], fittedTo: [], parameters }]);
    assert.throws(() => s.suggest(70, []), /past the last coarse-to-fine stage/);
  });

  it('stage 0 samples the full ranges with the same draws as method random', () => {
    const random = createSampler(options(parameters));
    const sampler = c2f();
    for (let k = 0; k < 30; k++) {
      const s = sampler.suggest(k, []);
      assert.deepEqual(s.params, random.suggest(k, []).params);
      assert.equal(s.stage, 0);
    }
  });

  it("narrows stage 1 inside stage 0 around the top-k, and stage 2 inside stage 1 around its top-k", () => {
    const sampler = c2f();
    const history: SampledTrial[] = [];
    run(sampler, history, 0, 30);
    run(sampler, history, 30, 31);
    const [s0, s1] = sampler.stages() as [StageRanges, StageRanges];
    const top1 = best(history.slice(0, 30), 5);
    assert.deepEqual(s1.fittedTo, top1.map((t) => t.number));
    assert.deepEqual(s1.trials, [30, 49]);
    assertNested(s1.parameters, s0.parameters);
    assertContains(s1.parameters, top1);
    assert.notDeepEqual(s1.parameters, s0.parameters);
    const lr = s1.parameters.lr as { min: number; max: number };
    assert.ok(Math.log10(lr.max / lr.min) < 4, 'lr range narrowed');

    run(sampler, history, 31, 51);
    const s2 = sampler.stages()[2] as StageRanges;
    assertNested(s2.parameters, s1.parameters);
    const top2 = history.filter((t) => s2.fittedTo.includes(t.number));
    assert.equal(top2.length, 5);
    assertContains(s2.parameters, top2);
    // Its top-k are the best trials so far that lie in stage 1's ranges.
    const eligible = history.slice(0, 50).filter((t) => Object.entries(s1.parameters).every(([n, d]) => contains(d, t.params[n] as never)));
    assert.deepEqual(s2.fittedTo, best(eligible, 5).map((t) => t.number));
    // Every stage-1 trial was drawn from stage 1's ranges.
    assertContains(s1.parameters, history.slice(30, 50));
  });

  it('widens the box by margin × its width in the sampling scale and clips to the range', () => {
    const p: Record<string, Distribution> = {
      x: { type: 'uniform', min: 0, max: 10 },
      lr: { type: 'log_uniform_values', min: 1e-5, max: 1e-1 },
      beta: { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 },
    };
    const stage: Stage[] = [{ trials: 2, top_k: null, margin: 0 }, { trials: 1, top_k: 2, margin: 0.5 }];
    const sampler = c2f({ stages: stage }, p);
    const history: SampledTrial[] = [
      { number: 0, params: { x: 4, lr: 1e-3, beta: 0.99 }, value: 1 },
      { number: 1, params: { x: 6, lr: 1e-2, beta: 0.999 }, value: 2 },
    ];
    const ranges = sampler.suggest(2, history).distributions;
    assert.deepEqual(ranges.x, { type: 'uniform', min: 3, max: 7 });
    // log10 box [−3, −2] ± 0.5.
    assert.deepEqual(ranges.lr, { type: 'log_uniform_values', min: Number((10 ** -3.5).toPrecision(15)), max: Number((10 ** -1.5).toPrecision(15)) });
    // log10(1 − β) box [−3, −2] ± 0.5 = [−3.5, −1.5], clipped to [−3, −1]: β ∈ [1 − 10^−1.5, 0.999].
    const beta = ranges.beta as { min: number; max: number };
    assert.ok(Math.abs(beta.min - (1 - 10 ** -1.5)) < 1e-12 && beta.max === 0.999, JSON.stringify(beta));
  });

  it('widens a zero-width box by margin × the original width; clips at the bounds', () => {
    const p: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 10 }, y: { type: 'uniform', min: 0, max: 10 } };
    const stage: Stage[] = [{ trials: 3, top_k: null, margin: 0 }, { trials: 1, top_k: 3, margin: 0.1 }];
    const history: SampledTrial[] = [0, 1, 2].map((i) => ({ number: i, params: { x: 5, y: i === 2 ? 10 : 9.5 }, value: i }));
    const ranges = c2f({ stages: stage }, p).suggest(3, history).distributions;
    assert.deepEqual(ranges.x, { type: 'uniform', min: 4, max: 6 });
    assert.deepEqual(ranges.y, { type: 'uniform', min: 9.45, max: 10 });
  });

  it('keeps int and q bounds on their lattice and constants as they are', () => {
    const history: SampledTrial[] = [
      { number: 0, params: { units: 100, dropout: 0.2, epochs: 10 }, value: 0 },
      { number: 1, params: { units: 130, dropout: 0.3, epochs: 10 }, value: 0 },
    ];
    const stage: Stage[] = [{ trials: 2, top_k: null, margin: 0 }, { trials: 1, top_k: 2, margin: 0.33 }];
    const p = { units: parameters.units as Distribution, dropout: parameters.dropout as Distribution, epochs: parameters.epochs as Distribution };
    const ranges = c2f({ stages: stage }, p).suggest(2, history).distributions;
    assert.deepEqual(ranges.units, { type: 'int_uniform', min: 91, max: 139 }); // [90.1, 139.9] pulled in
    assert.deepEqual(ranges.dropout, { type: 'q_uniform', min: 0.2, max: 0.3, q: 0.05 }); // [0.167, 0.333] pulled in
    assert.deepEqual(ranges.epochs, parameters.epochs);
  });

  it('keeps only the categorical values the top-k used, probabilities renormalised', () => {
    const p = { optimizer: parameters.optimizer as Distribution, act: { type: 'categorical', values: ['relu', 'tanh'] } as Distribution };
    const history: SampledTrial[] = [
      { number: 0, params: { optimizer: 'sgd', act: 'relu' }, value: 1 },
      { number: 1, params: { optimizer: 'adam', act: 'relu' }, value: 2 },
      { number: 2, params: { optimizer: 'rmsprop', act: 'tanh' }, value: 9 },
    ];
    const stage: Stage[] = [{ trials: 3, top_k: null, margin: 0 }, { trials: 1, top_k: 2, margin: 0 }];
    const ranges = c2f({ stages: stage }, p).suggest(3, history).distributions;
    assert.deepEqual(ranges.optimizer, { type: 'categorical', values: ['sgd', 'adam'], probabilities: [0.25, 0.75] });
    assert.deepEqual(ranges.act, { type: 'categorical', values: ['relu'] });
  });

  it('follows the direction: minimize fits the lowest values, maximize the highest', () => {
    const p: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 10 } };
    const history: SampledTrial[] = [1, 2, 8, 9].map((x, i) => ({ number: i, params: { x }, value: x }));
    const stage: Stage[] = [{ trials: 4, top_k: null, margin: 0 }, { trials: 1, top_k: 2, margin: 0 }];
    const lo = c2f({ stages: stage, direction: 'minimize' }, p);
    const hi = c2f({ stages: stage, direction: 'maximize' }, p);
    assert.deepEqual(lo.suggest(4, history).distributions.x, { type: 'uniform', min: 1, max: 2 });
    assert.deepEqual(hi.suggest(4, history).distributions.x, { type: 'uniform', min: 8, max: 9 });
    assert.deepEqual(lo.stages()[1]?.fittedTo, [0, 1]);
    assert.deepEqual(hi.stages()[1]?.fittedTo, [3, 2]);
  });

  it('ignores trials without a finite value; with fewer than top_k uses what there is; with none keeps the ranges', () => {
    const p: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 10 } };
    const stage: Stage[] = [{ trials: 4, top_k: null, margin: 0 }, { trials: 1, top_k: 3, margin: 0 }];
    const values = [null, Number.NaN, Number.NEGATIVE_INFINITY, 5];
    const history: SampledTrial[] = values.map((value, i) => ({ number: i, params: { x: i + 1 }, value }));
    const some = c2f({ stages: stage }, p);
    assert.deepEqual(some.suggest(4, history).distributions.x, { type: 'uniform', min: 4, max: 4 });
    assert.deepEqual(some.stages()[1]?.fittedTo, [3]);
    const none = c2f({ stages: stage }, p);
    assert.deepEqual(none.suggest(4, history.slice(0, 3)).distributions.x, p.x);
    assert.deepEqual(none.stages()[1]?.fittedTo, []);
  });

  it('fits a stage with top_k null to the best 20 % of the trials (at least one)', () => {
    const p: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 10 } };
    const stage: Stage[] = [{ trials: 10, top_k: null, margin: 0 }, { trials: 1, top_k: null, margin: 0 }];
    const history: SampledTrial[] = Array.from({ length: 10 }, (_, i) => ({ number: i, params: { x: i }, value: i }));
    const sampler = c2f({ stages: stage }, p);
    assert.deepEqual(sampler.suggest(10, history).distributions.x, { type: 'uniform', min: 0, max: 1 });
    assert.deepEqual(sampler.stages()[1]?.fittedTo, [0, 1]);
    const one = c2f({ stages: stage }, p);
    one.suggest(10, history.slice(0, 3));
    assert.deepEqual(one.stages()[1]?.fittedTo, [0]);
  });

  it('reuses stored stages as-is (resume): same ranges and parameters whatever the history', () => {
    const first = c2f();
    const history: SampledTrial[] = [];
    run(first, history, 0, 35);
    const stored = first.stages();
    const resumed = c2f({ storedStages: stored });
    assert.deepEqual(resumed.stages(), stored);
    for (let k = 30; k < 35; k++) assert.deepEqual(resumed.suggest(k, []), first.suggest(k, history));
    assert.deepEqual(resumed.stages(), stored);
    // A stored stage is used even when a refit would differ.
    const edited = structuredClone(stored);
    (edited[1] as StageRanges).parameters.units = { type: 'int_uniform', min: 300, max: 301 };
    const u = c2f({ storedStages: edited }).suggest(31, history).params.units as number;
    assert.ok(u === 300 || u === 301);
    assert.throws(() => c2f({ storedStages: [stored[1] as StageRanges] }), /not 0, 1/);
  });

  it('decides skipped stages in order when a later stage is asked first', () => {
    const sampler = c2f();
    const history: SampledTrial[] = [];
    run(sampler, history, 0, 30);
    assert.equal(sampler.suggest(55, history).stage, 2);
    assert.deepEqual(sampler.stages().map((s) => s.stage), [0, 1, 2]);
  });

  it('stage 1 lies inside stage 0 and contains the top-k values for any history (property)', () => {
    const p = { lr: parameters.lr, beta1: parameters.beta1, units: parameters.units, dropout: parameters.dropout } as Record<string, Distribution>;
    const trial = fc.record({
      u: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 4, maxLength: 4 }),
      value: fc.oneof(fc.double({ noNaN: true }), fc.constant(null)),
    });
    fc.assert(
      fc.property(fc.array(trial, { maxLength: 12 }), fc.integer({ min: 1, max: 6 }), fc.double({ min: 0, max: 2, noNaN: true }), fc.boolean(), (trials, k, margin, max) => {
        const stage: Stage[] = [{ trials: 12, top_k: null, margin: 0 }, { trials: 1, top_k: k, margin }];
        const sampler = c2f({ stages: stage, direction: max ? 'maximize' : 'minimize' }, p);
        const history: SampledTrial[] = trials.map((t, i) => ({ number: i, params: sampler.suggest(i, []).params, value: t.value }));
        const s1 = sampler.suggest(12, history);
        const fitted = history.filter((t) => sampler.stages()[1]?.fittedTo.includes(t.number));
        assertNested(s1.distributions, p);
        assertContains(s1.distributions, fitted);
        assertContains(s1.distributions, [{ number: 12, params: s1.params, value: null }]);
        assert.equal(fitted.length, Math.min(k, history.filter((t) => t.value !== null && Number.isFinite(t.value)).length));
      }),
      { numRuns: 300 },
    );
  });
});

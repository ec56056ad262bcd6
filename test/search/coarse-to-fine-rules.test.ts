// method: coarse-to-fine — the stage plan at its edges, the guards and their messages, stored
// stages, and a TPE stage's draws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import { UsageError } from '../../src/core/errors.js';
import { TPE_DEFAULTS, type Stage, type TpeOptions } from '../../src/core/spec.js';
import type { Direction, Params } from '../../src/core/types.js';
import { createSampler, drawParams, stageOfTrial, stagePlan, type SampledTrial, type Sampler, type StageRanges } from '../../src/search/index.js';
import { tpeParams } from '../../src/search/tpe.js';
import { options } from './setup.js';

const X: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 10 } };

function c2f(stages: Stage[], extra: { run_cap?: number | null; storedStages?: StageRanges[]; direction?: Direction; tpe?: TpeOptions; seed?: number } = {}, parameters = X): Sampler {
  const o = options(parameters, { method: 'coarse-to-fine', stages, ...extra });
  if (extra.tpe !== undefined) o.spec.tpe = extra.tpe;
  return createSampler(o);
}

function throwsUsage(f: () => unknown, message: string): void {
  assert.throws(f, (e: unknown) => e instanceof UsageError && e.message === message);
}

const stage = (trials: number, top_k: number | null = null, margin = 0): Stage => ({ trials, top_k, margin });

describe('coarse-to-fine: the stage plan', () => {
  const plan = stagePlan([stage(3), stage(1), stage(2)]);

  it('lays the stages end to end', () => {
    assert.deepEqual(plan, [
      { stage: 0, first: 0, last: 2 },
      { stage: 1, first: 3, last: 3 },
      { stage: 2, first: 4, last: 5 },
    ]);
    assert.deepEqual(stagePlan([]), []);
  });

  it('puts each trial in its stage, both ends included, and none outside', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((k) => stageOfTrial(plan, k)), [0, 0, 0, 1, 2, 2]);
    assert.equal(stageOfTrial(plan, 6), null);
    assert.equal(stageOfTrial(plan, -1), null);
    assert.equal(stageOfTrial([], 0), null);
  });

  it('plans the total of the stages, or run_cap when it is smaller', () => {
    assert.equal(c2f([stage(3), stage(1), stage(2)]).planned, 6);
    assert.equal(c2f([stage(3), stage(1), stage(2)], { run_cap: 4 }).planned, 4);
    assert.equal(c2f([stage(3), stage(1), stage(2)], { run_cap: 100 }).planned, 6);
  });

  it('says which trials the stages cover when asked past the last', () => {
    assert.throws(() => c2f([stage(3), stage(1)]).suggest(4, []), {
      name: 'RangeError',
      message: 'trial 4 is past the last coarse-to-fine stage (the stages cover trials 0 to 3)',
    });
    assert.equal(c2f([stage(3), stage(1)]).suggest(3, []).stage, 1);
  });
});

describe('coarse-to-fine: guards', () => {
  it('needs at least one stage', () => {
    throwsUsage(() => c2f([]), 'method coarse-to-fine needs at least one stage');
  });

  it('needs every stage to have a whole number of trials, at least one', () => {
    throwsUsage(() => c2f([stage(2), stage(0)]), 'stages.1.trials must be an integer ≥ 1 (got 0)');
    throwsUsage(() => c2f([stage(1.5)]), 'stages.0.trials must be an integer ≥ 1 (got 1.5)');
    throwsUsage(() => c2f([stage(-3)]), 'stages.0.trials must be an integer ≥ 1 (got -3)');
    assert.equal(c2f([stage(1)]).planned, 1);
  });

  it('refuses a parameter nothing can be drawn from', () => {
    throwsUsage(() => c2f([stage(1)], {}, { n: { type: 'int_uniform', min: 0.2, max: 0.8 } }), 'parameter n: no integer between min 0.2 and max 0.8');
  });
});

describe('coarse-to-fine: stored stages', () => {
  const s0: StageRanges = { stage: 0, trials: [0, 1], fittedTo: [], parameters: X };
  const s1: StageRanges = { stage: 1, trials: [2, 2], fittedTo: [0], parameters: { x: { type: 'uniform', min: 4, max: 5 } } };

  it('takes them in any order, and uses them as stored', () => {
    const sampler = c2f([stage(2), stage(1, 1)], { storedStages: [s1, s0] });
    assert.deepEqual(sampler.stages(), [s0, s1]);
    const x = sampler.suggest(2, []).params.x as number;
    assert.ok(x >= 4 && x <= 5, String(x));
  });

  it('says where the sequence breaks', () => {
    throwsUsage(() => c2f([stage(2), stage(1, 1)], { storedStages: [s0, { ...s1, stage: 2 }] }), 'stored coarse-to-fine stages are not 0, 1, …: found stage 2 at position 1');
  });

  it('hands out copies', () => {
    const sampler = c2f([stage(2), stage(1, 1)], { storedStages: [s0, s1] });
    const out = sampler.stages();
    (out[1] as StageRanges).parameters.x = { type: 'uniform', min: 9, max: 9 };
    assert.deepEqual(sampler.stages(), [s0, s1]);
  });
});

describe('coarse-to-fine: fitting a stage', () => {
  it('keeps the previous ranges when no finished trial lies inside them', () => {
    const sampler = c2f([stage(2), stage(1, 1, 0.1), stage(1, 1)]);
    const history: SampledTrial[] = [
      { number: 0, params: { x: 2 }, value: 1 },
      { number: 1, params: { x: 8 }, value: 5 },
    ];
    // Stage 1: trial 0's zero-width box widened by 0.1 × 10 on each side.
    assert.deepEqual(sampler.suggest(2, history).distributions.x, { type: 'uniform', min: 1, max: 3 });
    // Stage 2 sees only trial 1, outside [1, 3], and a failed trial: it keeps stage 1's ranges.
    const later = [history[1] as SampledTrial, { number: 2, params: { x: 2 }, value: null }];
    assert.deepEqual(sampler.suggest(3, later).distributions.x, { type: 'uniform', min: 1, max: 3 });
    assert.deepEqual(sampler.stages()[2]?.fittedTo, []);
  });

  it('records which trials a stage was fitted to and which trials it covers', () => {
    const sampler = c2f([stage(3), stage(2, 2)]);
    const history: SampledTrial[] = [3, 1, 2].map((x, i) => ({ number: i, params: { x }, value: x }));
    sampler.suggest(3, history);
    assert.deepEqual(sampler.stages()[1], {
      stage: 1,
      trials: [3, 4],
      fittedTo: [1, 2],
      parameters: { x: { type: 'uniform', min: 1, max: 2 } },
    });
  });
});

describe('coarse-to-fine: a TPE stage', () => {
  const P: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 10 }, y: { type: 'uniform', min: 0, max: 10 } };
  const f = (p: Params): number => ((p.x as number) - 3) ** 2 + ((p.y as number) - 7) ** 2;
  const stages: Stage[] = [stage(12), { trials: 10, top_k: 12, margin: 0, method: 'tpe' }];

  /** 12 finished trials of stage 0, and the live list: those, a running one, and a later finished one. */
  function trials(): { history: SampledTrial[]; live: SampledTrial[] } {
    const history: SampledTrial[] = Array.from({ length: 12 }, (_, k) => {
      const params = drawParams(7, k, P);
      return { number: k, params, value: f(params), state: 'complete' };
    });
    const live: SampledTrial[] = [
      ...history,
      { number: 12, params: { x: 3, y: 7 }, value: null, state: 'running' },
      { number: 13, params: { x: 9.9, y: 0.1 }, value: -100, state: 'complete' },
    ];
    return { history, live };
  }

  it("draws by TPE inside the stage's ranges, from the live trials before it, with the default TPE settings", () => {
    const { history, live } = trials();
    const sampler = c2f(stages, { seed: 7 }, P);
    const got = sampler.suggest(12, history, live);
    const ranges = sampler.stages()[1]?.parameters as Record<string, Distribution>;
    const tpe = (h: readonly SampledTrial[], direction: Direction = 'minimize', o: TpeOptions = TPE_DEFAULTS): Params =>
      tpeParams({ seed: 7, trial: 12, parameters: ranges, history: h, direction, options: o });
    assert.deepEqual(got.params, tpe(live.slice(0, 12)));
    assert.equal(got.stage, 1);
    // Each of these would give another draw: the guard against tests that cannot fail.
    assert.notDeepEqual(got.params, drawParams(7, 12, ranges));
    assert.notDeepEqual(got.params, tpe(live.slice(0, 13)));
    assert.notDeepEqual(got.params, tpe(live));
    assert.notDeepEqual(got.params, tpe(live.slice(0, 12), 'maximize'));
  });

  it('learns from history when no live list is given', () => {
    const { history } = trials();
    const sampler = c2f(stages, { seed: 7 }, P);
    const got = sampler.suggest(12, history);
    const ranges = sampler.stages()[1]?.parameters as Record<string, Distribution>;
    assert.deepEqual(got.params, tpeParams({ seed: 7, trial: 12, parameters: ranges, history, direction: 'minimize', options: TPE_DEFAULTS }));
  });

  it("follows the spec's TPE settings and direction", () => {
    const { history } = trials();
    const settings: TpeOptions = { n_startup_trials: 20, n_ei_candidates: 24, multivariate: true };
    const sampler = c2f(stages, { seed: 7, tpe: settings, direction: 'maximize' }, P);
    const got = sampler.suggest(12, history);
    const ranges = sampler.stages()[1]?.parameters as Record<string, Distribution>;
    // 12 finished trials are fewer than 20: still random draws.
    assert.deepEqual(got.params, drawParams(7, 12, ranges));
    const late = c2f(stages, { seed: 7, direction: 'maximize' }, P);
    const params = late.suggest(13, history).params;
    const ranges2 = late.stages()[1]?.parameters as Record<string, Distribution>;
    assert.deepEqual(params, tpeParams({ seed: 7, trial: 13, parameters: ranges2, history, direction: 'maximize', options: TPE_DEFAULTS }));
    assert.notDeepEqual(params, tpeParams({ seed: 7, trial: 13, parameters: ranges2, history, direction: 'minimize', options: TPE_DEFAULTS }));
  });
});

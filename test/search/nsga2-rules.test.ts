// NSGA-II's pieces one at a time: which trials survive into a generation's parents, the
// tournament, simulated binary crossover, polynomial mutation at its rate, and the parameters a
// parent lacks. Each draw is keyed by trial, so many trial numbers give many independent children.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import type { Objective } from '../../src/core/pareto.js';
import type { Nsga2Options } from '../../src/core/spec.js';
import type { Params } from '../../src/core/types.js';
import { nsga2Params, polynomialMutation, survivors } from '../../src/search/nsga2.js';
import { drawParams } from '../../src/search/random.js';
import type { SampledTrial } from '../../src/search/sampler.js';

const OBJECTIVES: Objective[] = [
  { name: 'f', goal: 'minimize' },
  { name: 'g', goal: 'minimize' },
];

const trial = (number: number, params: Params, values: number[], state?: SampledTrial['state']): SampledTrial => {
  const t: SampledTrial = { number, params, value: values[0]!, values };
  if (state !== undefined) t.state = state;
  return t;
};

const UNIT: Distribution = { type: 'uniform', min: 0, max: 1 };

/** Children of trials 2 … 2 + count − 1 with two parents (population 2). */
function children(parameters: Record<string, Distribution>, parents: SampledTrial[], options: Omit<Nsga2Options, 'population'>, count = 200, seed = 5): Params[] {
  return Array.from({ length: count }, (_, i) =>
    nsga2Params({ seed, trial: 2 + i, parameters, history: parents, objectives: OBJECTIVES, options: { population: 2, ...options } }),
  );
}

const fraction = (xs: readonly boolean[]): number => xs.filter(Boolean).length / xs.length;

describe('nsga2', () => {
  it('breeds from the complete trials before the generation, best `population` of them by front and crowding', () => {
    const history = [
      trial(0, {}, [1, 1]),
      trial(1, {}, [0, 3]),
      trial(2, {}, [0, 0], 'running'),
      trial(3, {}, [0, 0], 'pruned'),
      trial(4, {}, [0, 0], 'failed'),
      trial(5, {}, [3, 0]),
      trial(6, {}, [0, 0], 'complete'),
      trial(7, {}, [-1, -1]),
      trial(8, {}, [2, 2], 'complete'),
    ];
    // Trial 10 of population 3 is in generation 3: parents among trials 0 … 8.
    assert.deepEqual(survivors(10, history, OBJECTIVES, 3).map((r) => r.trial.number), [7, 6, 1]);
    // Trial 7 is in generation 2: trials 0 … 5; the front {1, 5, 0}: extremes 1 and 5 first, then 0.
    assert.deepEqual(survivors(7, history, OBJECTIVES, 3).map((r) => r.trial.number), [1, 5, 0]);
    assert.deepEqual(survivors(6, history, OBJECTIVES, 3).map((r) => [r.trial.number, r.rank]), [[1, 0], [5, 0], [0, 0]]);
    assert.deepEqual(survivors(7, history, OBJECTIVES, 2).map((r) => r.trial.number), [1, 5]);
    assert.deepEqual(survivors(2, history, OBJECTIVES, 3), [], 'generation 0');
    assert.deepEqual(survivors(3, history, OBJECTIVES, 2).map((r) => r.trial.number), [0, 1], 'two extremes: by number');
  });

  it('draws at random while there are fewer than two parents', () => {
    const parameters = { a: UNIT, b: UNIT };
    const history = [trial(0, { a: 0.1, b: 0.2 }, [0, 0]), trial(1, { a: 0.3, b: 0.4 }, [1, 1], 'failed')];
    const options: Nsga2Options = { population: 2, crossover_prob: 1, mutation_prob: 0 };
    assert.deepEqual(nsga2Params({ seed: 1, trial: 3, parameters, history, objectives: OBJECTIVES, options }), drawParams(1, 3, parameters));
  });

  it('without crossover or mutation, copies the winner of a tournament: the dominating parent three times in four', () => {
    const parameters: Record<string, Distribution> = { a: UNIT, n: { type: 'int_uniform', min: 1, max: 9 }, c: { type: 'categorical', values: ['x', 'y'] } };
    const good = trial(0, { a: 0.25, c: 'x', n: 3 }, [0, 0]);
    const bad = trial(1, { a: 0.75, c: 'y', n: 7 }, [1, 1]);
    const kids = children(parameters, [good, bad], { crossover_prob: 0, mutation_prob: 0 });
    for (const k of kids) assert.ok([good.params, bad.params].some((p) => JSON.stringify(p) === JSON.stringify(k)), `a copy: ${JSON.stringify(k)}`);
    const share = fraction(kids.map((k) => k['a'] === 0.25));
    assert.ok(share > 0.65 && share < 0.85, `the better parent's share ${share}`);
  });

  it('crosses two parents by SBX: children near one parent or the other, half of them beyond it', () => {
    // Both parents are extremes of one front: each tournament takes trial 0 three times in four, so
    // both pick the same parent (and the child is its copy) 10 times in 16.
    const parameters = { a: UNIT };
    const left = trial(0, { a: 0.2 }, [0.2, 0.8]);
    const right = trial(1, { a: 0.8 }, [0.8, 0.2]);
    const kids = children(parameters, [left, right], { crossover_prob: 1, mutation_prob: 0 }, 400).map((k) => k['a'] as number);
    assert.ok(kids.every((x) => x >= 0 && x <= 1));
    // (SBX of a parent with itself gives it back, up to rounding.)
    const crossed = kids.filter((x) => Math.abs(x - 0.2) > 1e-12 && Math.abs(x - 0.8) > 1e-12);
    const share = crossed.length / kids.length;
    assert.ok(share > 0.28 && share < 0.47, `crossed ${share} (6/16 expected)`);
    const gap = crossed.map((x) => Math.min(Math.abs(x - 0.2), Math.abs(x - 0.8)));
    assert.ok(fraction(gap.map((g) => g < 0.03)) > 0.7, 'near a parent (η = 20)');
    const nearLeft = fraction(crossed.map((x) => x < 0.5));
    assert.ok(nearLeft > 0.33 && nearLeft < 0.67, `near the left parent ${nearLeft}`);
    const beyond = fraction(crossed.map((x) => x < 0.2 || x > 0.8));
    assert.ok(beyond > 0.33 && beyond < 0.67, `beyond the parents ${beyond}`);
    const copies = kids.filter((x) => Math.abs(x - 0.2) <= 1e-12).length / kids.length;
    assert.ok(copies > 0.45 && copies < 0.68, `copies of the left parent ${copies} (9/16 expected)`);
    // Two equal parents have only that child.
    const same = children(parameters, [trial(0, { a: 0.4 }, [0, 1]), trial(1, { a: 0.4 }, [1, 0])], { crossover_prob: 1, mutation_prob: 0 }, 20);
    for (const k of same) assert.ok(Math.abs((k['a'] as number) - 0.4) < 1e-12);
  });

  it('crosses a categorical by taking either parent’s category', () => {
    const parameters: Record<string, Distribution> = { c: { type: 'categorical', values: ['x', 'y', 'z'] } };
    const kids = children(parameters, [trial(0, { c: 'x' }, [0, 1]), trial(1, { c: 'z' }, [1, 0])], { crossover_prob: 1, mutation_prob: 0 }, 400);
    assert.ok(kids.every((k) => k['c'] === 'x' || k['c'] === 'z'));
    const xs = fraction(kids.map((k) => k['c'] === 'x'));
    // 9/16 both tournaments take trial 0, 6/16 they differ and either is taken.
    assert.ok(xs > 0.67 && xs < 0.83, `from trial 0 ${xs}`);
  });

  it('crosses each parameter on its own: children mix their parents’ numbers and categories', () => {
    const parameters: Record<string, Distribution> = { a: UNIT, b: UNIT, c: { type: 'categorical', values: ['x', 'z'] }, d: { type: 'categorical', values: ['x', 'z'] } };
    const left = trial(0, { a: 0.2, b: 0.2, c: 'x', d: 'x' }, [0, 1]);
    const right = trial(1, { a: 0.8, b: 0.8, c: 'z', d: 'z' }, [1, 0]);
    const kids = children(parameters, [left, right], { crossover_prob: 1, mutation_prob: 0 }, 400);
    // Parents differ in 6 of 16 children; then each parameter takes its side with chance 1/2.
    const mixedNumbers = fraction(kids.map((k) => (k['a'] as number) < 0.5 !== (k['b'] as number) < 0.5));
    const mixedCategories = fraction(kids.map((k) => k['c'] !== k['d']));
    assert.ok(mixedNumbers > 0.1 && mixedNumbers < 0.28, `numbers mixed in ${mixedNumbers} (3/16 expected)`);
    assert.ok(mixedCategories > 0.1 && mixedCategories < 0.28, `categories mixed in ${mixedCategories} (3/16 expected)`);
  });

  it('mutates each parameter with chance 1/P by default, and with mutation_prob when given', () => {
    const parameters = { a: UNIT, b: UNIT, c: UNIT, d: UNIT };
    const p = { a: 0.3, b: 0.4, c: 0.5, d: 0.6 };
    const parents = [trial(0, p, [0, 1]), trial(1, p, [1, 0])];
    const changed = (kids: Params[]): number => fraction(kids.flatMap((k) => Object.entries(p).map(([name, v]) => k[name] !== v)));
    const byDefault = changed(children(parameters, parents, { crossover_prob: 0, mutation_prob: null }));
    assert.ok(byDefault > 0.18 && byDefault < 0.32, `1/4 by default: ${byDefault}`);
    assert.equal(changed(children(parameters, parents, { crossover_prob: 0, mutation_prob: 1 }, 50)), 1);
    const half = changed(children(parameters, parents, { crossover_prob: 0, mutation_prob: 0.5 }));
    assert.ok(half > 0.43 && half < 0.57, `mutation_prob 0.5: ${half}`);
    // A mutated categorical is drawn afresh.
    const cat: Record<string, Distribution> = { c: { type: 'categorical', values: ['x', 'y', 'z'] } };
    const fresh = children(cat, [trial(0, { c: 'y' }, [0, 1]), trial(1, { c: 'y' }, [1, 0])], { crossover_prob: 0, mutation_prob: 1 }, 60);
    assert.deepEqual(new Set(fresh.map((k) => k['c'])), new Set(['x', 'y', 'z']));
  });

  it('mutates polynomially: Deb’s δ for r below and above ½, none at ½, clamped to [0, 1]', () => {
    const delta = 0.5 ** (1 / 21);
    assert.ok(Math.abs(polynomialMutation(0.5, 0.25) - (0.5 + delta - 1)) < 1e-12);
    assert.ok(Math.abs(polynomialMutation(0.5, 0.75) - (0.5 + 1 - delta)) < 1e-12);
    assert.ok(Math.abs(polynomialMutation(0.3, 0.1) - (0.3 + 0.2 ** (1 / 21) - 1)) < 1e-12);
    assert.ok(Math.abs(polynomialMutation(0.3, 0.9) - (0.3 + 1 - 0.2 ** (1 / 21))) < 1e-12);
    assert.equal(polynomialMutation(0.4, 0.5), 0.4);
    assert.equal(polynomialMutation(0.99, 0.999), 1);
    assert.equal(polynomialMutation(0.01, 0.001), 0);
  });

  it('takes a parameter one parent lacks from the other, draws one both lack, and returns the keys sorted with the constants', () => {
    const parameters: Record<string, Distribution> = {
      z: UNIT,
      b: { type: 'uniform', min: 10, max: 20 },
      k: { type: 'constant', value: 'kept' },
      a: UNIT,
    };
    const first = trial(0, { a: 0.25, z: 0.5 }, [0, 0]);
    const second = trial(1, { a: 0.75 }, [1, 1]);
    // z comes from the parent that has it, unless both tournaments pick the one without (1 in 16).
    const fromParent = (kids: Params[]): number => fraction(kids.map((k) => k['z'] === 0.5));
    const kids = children(parameters, [first, second], { crossover_prob: 1, mutation_prob: 0 }, 200);
    const bs = new Set<number>();
    for (const k of kids) {
      assert.deepEqual(Object.keys(k), ['a', 'b', 'k', 'z']);
      assert.equal(k['k'], 'kept');
      const b = k['b'] as number;
      assert.ok(b >= 10 && b <= 20);
      bs.add(b);
      const z = k['z'] as number;
      assert.ok(z >= 0 && z <= 1);
    }
    assert.ok(bs.size > 190, 'b is drawn for each child');
    assert.ok(fromParent(kids) > 0.87, `z from the parent ${fromParent(kids)}`);
    // With the other parent first more often (it dominates), and without crossover, the same holds.
    const other = children(parameters, [trial(0, { a: 0.25 }, [1, 1]), trial(1, { a: 0.75, z: 0.5 }, [0, 0])], { crossover_prob: 0, mutation_prob: 0 }, 200);
    assert.ok(fromParent(other) > 0.87, `z from the parent ${fromParent(other)}`);
    assert.ok(fromParent(other) < 1, 'drawn when both picks lack it');
  });
});

// The random forest behind parameter importance, and the importance figures, on data whose
// answer is known by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_IMPORTANCE_TRIALS, MIN_IMPORTANCE_TRIALS } from '../../src/report/importance.js';
import { fitForest, predict } from '../../src/report/forest.js';
import { IMPORTANCE_METHOD, permutationImportance } from '../../src/report/index.js';
import type { ParamInfo, TrialRow } from '../../src/report/types.js';

const xs = Array.from({ length: 20 }, (_, i) => [i]);
const step = xs.map(([x]) => ((x as number) < 10 ? 0 : 1));

function inBag(outOfBag: readonly number[], n: number): number[] {
  return [...Array(n).keys()].filter((i) => !outOfBag.includes(i));
}

describe('random forest', () => {
  it('predict follows ≤ threshold to the left, > to the right', () => {
    const node = { feature: 1, threshold: 0.5, left: { leaf: -1 }, right: { feature: 0, threshold: 2, left: { leaf: 2 }, right: { leaf: 3 } } };
    assert.equal(predict(node, [9, 0.5]), -1);
    assert.equal(predict(node, [2, 0.6]), 2);
    assert.equal(predict(node, [2.1, 0.6]), 3);
  });

  it('one split on a step: pure leaves, the threshold midway between the nearest bagged values on either side', () => {
    const trees = fitForest(xs, step, { trees: 12, maxDepth: 1, minLeaf: 1, seed: 7 });
    assert.equal(trees.length, 12);
    for (const { root, outOfBag } of trees) {
      const bag = inBag(outOfBag, xs.length);
      assert.ok('threshold' in root, JSON.stringify(root));
      const below = Math.max(...bag.filter((i) => i < 10));
      const above = Math.min(...bag.filter((i) => i >= 10));
      assert.equal(root.threshold, (below + above) / 2);
      assert.deepEqual([root.left, root.right], [{ leaf: 0 }, { leaf: 1 }]);
    }
  });

  it('deep trees fit every bagged point exactly; out-of-bag rows are the ones never drawn', () => {
    const y = xs.map(([x]) => Math.sin(x as number));
    const trees = fitForest(xs, y, { trees: 8, maxDepth: 30, minLeaf: 1, seed: 3 });
    for (const { root, outOfBag } of trees) {
      assert.ok(outOfBag.length > 0 && outOfBag.length < xs.length, `${outOfBag.length} out of bag`);
      assert.deepEqual(outOfBag, [...outOfBag].sort((a, b) => a - b));
      for (const i of inBag(outOfBag, xs.length)) assert.ok(Math.abs(predict(root, xs[i]!) - y[i]!) < 1e-12, `row ${i}`);
    }
  });

  it('depth 0, or fewer rows than two leaves need: one leaf, the mean of the bag', () => {
    for (const o of [{ maxDepth: 0, minLeaf: 1 }, { maxDepth: 5, minLeaf: 11 }]) {
      for (const { root } of fitForest(xs, step, { trees: 3, seed: 1, ...o })) {
        assert.ok('leaf' in root, JSON.stringify(o));
        assert.ok(root.leaf > 0 && root.leaf < 1);
      }
    }
  });

  it('minLeaf: no leaf holds fewer rows, so 20 rows make at most 5 leaves', () => {
    type Node = Parameters<typeof predict>[0];
    const leaves = (n: Node): number => ('leaf' in n ? 1 : leaves(n.left) + leaves(n.right));
    for (const { root } of fitForest(xs, step.map((_, i) => i % 3), { trees: 6, maxDepth: 10, minLeaf: 4, seed: 2 })) {
      assert.ok(leaves(root) <= 5, `${leaves(root)} leaves`);
      assert.ok(leaves(root) >= 2);
    }
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const a = fitForest(xs, step, { trees: 4, maxDepth: 3, minLeaf: 1, seed: 5 });
    assert.deepEqual(fitForest(xs, step, { trees: 4, maxDepth: 3, minLeaf: 1, seed: 5 }), a);
    assert.notDeepEqual(fitForest(xs, step, { trees: 4, maxDepth: 3, minLeaf: 1, seed: 6 }).map((t) => t.outOfBag), a.map((t) => t.outOfBag));
  });
});

function row(number: number, params: TrialRow['params'], value: number | null): TrialRow {
  return { number, state: 'complete', value, params, stage: null, verdict: null, also: [], summary: null, hint: null, reason: null, overfitOnset: null, epochs: 1, seconds: null };
}

describe('permutation importance', () => {
  const PARAMS: ParamInfo[] = [
    { name: 'lr', kind: 'log' },
    { name: 'noise', kind: 'linear' },
  ];
  // value = log10(lr): lr matters, noise does not.
  const rows = Array.from({ length: 60 }, (_, i) => row(i, { lr: 10 ** (-4 + (i % 20) / 5), noise: (i * 7919) % 13 }, -4 + (i % 20) / 5));

  it('scores sum to 1, the driving parameter near 1 and the idle one near 0, best first', () => {
    const result = permutationImportance(PARAMS, rows)!;
    assert.deepEqual(result.scores.map((s) => s.name), ['lr', 'noise']);
    assert.ok(Math.abs(result.scores.reduce((a, s) => a + s.score, 0) - 1) < 1e-12);
    assert.ok(result.scores[0]!.score > 0.9, JSON.stringify(result.scores));
    assert.equal(result.method, IMPORTANCE_METHOD, 'no conditional parameter, no note');
    assert.equal(result.trials, 60);
    assert.deepEqual(result.scores.map((s) => s.activeTrials), [60, 60]);
  });

  it(`needs ${MIN_IMPORTANCE_TRIALS} trials with a finite value, and a parameter`, () => {
    const few = rows.slice(0, MIN_IMPORTANCE_TRIALS - 1);
    assert.equal(permutationImportance(PARAMS, few), null);
    assert.equal(permutationImportance(PARAMS, [...few, row(99, { lr: 1, noise: 1 }, Number.NaN), row(98, { lr: 1, noise: 1 }, null)]), null);
    assert.notEqual(permutationImportance(PARAMS, rows.slice(0, MIN_IMPORTANCE_TRIALS)), null);
    assert.equal(permutationImportance([], rows), null);
  });

  it(`fits at most ${MAX_IMPORTANCE_TRIALS} trials, an even sample`, () => {
    const many = Array.from({ length: 4500 }, (_, i) => row(i, { lr: 10 ** (-4 + (i % 20) / 5), noise: i % 7 }, -4 + (i % 20) / 5));
    const result = permutationImportance(PARAMS, many)!;
    assert.equal(result.trials, Math.ceil(4500 / Math.ceil(4500 / MAX_IMPORTANCE_TRIALS)));
    assert.ok(result.trials <= MAX_IMPORTANCE_TRIALS);
    assert.equal(result.scores[0]!.name, 'lr');
  });

  it('reads a categorical by its index in the listed values (one the list lacks counts as its own value)', () => {
    const params: ParamInfo[] = [
      { name: 'act', kind: 'categorical', values: ['relu', 'tanh', 'gelu'] },
      { name: 'noise', kind: 'linear' },
    ];
    const level: Record<string, number> = { relu: 0.2, tanh: 0.5, gelu: 0.9, swish: 0.1 };
    const acts = ['relu', 'tanh', 'gelu', 'swish'];
    const data = Array.from({ length: 48 }, (_, i) => row(i, { act: acts[i % 4]!, noise: (i * 31) % 11 }, level[acts[i % 4]!]!));
    const result = permutationImportance(params, data)!;
    assert.equal(result.scores[0]!.name, 'act', JSON.stringify(result.scores));
    assert.ok(result.scores[0]!.score > 0.9, JSON.stringify(result.scores));
  });
});

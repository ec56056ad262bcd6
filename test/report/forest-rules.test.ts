// The random forest's splitting rules on data small enough to check by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitForest } from '../../src/report/forest.js';
import type { predict } from '../../src/report/forest.js';

type Node = Parameters<typeof predict>[0];
const isLeaf = (n: Node): n is { leaf: number } => 'leaf' in n;

describe('random forest splits', () => {
  it('two rows, one leaf each at minLeaf 1: a bag holding both splits them midway', () => {
    const x = [[0], [1]];
    const trees = fitForest(x, [0, 1], { trees: 16, maxDepth: 5, minLeaf: 1, seed: 11 });
    const both = trees.filter((t) => t.outOfBag.length === 0);
    assert.ok(both.length > 0 && both.length < trees.length, `${both.length} of ${trees.length} bags hold both rows`);
    for (const { root } of both) assert.deepEqual(root, { feature: 0, threshold: 0.5, left: { leaf: 0 }, right: { leaf: 1 } });
    for (const { root, outOfBag } of trees.filter((t) => t.outOfBag.length > 0)) {
      assert.deepEqual(root, { leaf: outOfBag[0] === 0 ? 1 : 0 }, 'one distinct row: a leaf of its value');
    }
  });

  it('minLeaf 2 on four rows drawn once each: only the 2|2 split, even where 3|1 would fit better', () => {
    const x = [[0], [1], [2], [3]];
    const trees = fitForest(x, [0, 0, 0, 10], { trees: 64, maxDepth: 1, minLeaf: 2, seed: 5 });
    const distinct = trees.filter((t) => t.outOfBag.length === 0);
    assert.ok(distinct.length > 0, 'some bags hold every row once');
    for (const { root } of distinct) assert.deepEqual(root, { feature: 0, threshold: 1.5, left: { leaf: 0 }, right: { leaf: 5 } });
  });

  it('never splits a feature with one value, nor a target with one value', () => {
    const flatX = Array.from({ length: 12 }, () => [5]);
    for (const { root } of fitForest(flatX, flatX.map((_, i) => i), { trees: 6, maxDepth: 4, minLeaf: 1, seed: 4 })) {
      assert.ok(isLeaf(root), JSON.stringify(root));
    }
    const x = Array.from({ length: 12 }, (_, i) => [i, i % 3]);
    for (const { root } of fitForest(x, x.map(() => 0.25), { trees: 6, maxDepth: 4, minLeaf: 1, seed: 4 })) {
      assert.deepEqual(root, { leaf: 0.25 });
    }
    // Six features, two tried per split, four of them flat: a flat one tried after a useful one is passed over.
    const wide = Array.from({ length: 16 }, (_, i) => [i, 1, 1, i % 4, 1, 1]);
    for (const { root } of fitForest(wide, wide.map(([a]) => a as number), { trees: 12, maxDepth: 6, minLeaf: 1, seed: 8 })) {
      const splitOn = (n: Node): number[] => (isLeaf(n) ? [] : [n.feature, ...splitOn(n.left), ...splitOn(n.right)]);
      assert.ok(splitOn(root).every((f) => f === 0 || f === 3), JSON.stringify(splitOn(root)));
    }
  });

  it('tries a random third of the features at each split, so idle features take some roots', () => {
    // Feature 0 decides the target; features 1 and 2 are noise. Trying every feature would split
    // every root on feature 0; trying one of the three at random leaves two thirds (32) to the idle
    // ones, and trying two would leave 4/9 (21).
    const x = Array.from({ length: 30 }, (_, i) => [i, (i * 7) % 11, (i * 5) % 13]);
    const y = x.map(([a]) => ((a as number) < 15 ? 0 : 10));
    const trees = fitForest(x, y, { trees: 48, maxDepth: 1, minLeaf: 1, seed: 9 });
    const onIdle = trees.filter(({ root }) => !isLeaf(root) && root.feature !== 0).length;
    assert.ok(onIdle >= 30 && onIdle <= 44, `${onIdle} of 48 roots split on an idle feature`);
  });
});

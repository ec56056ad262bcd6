/**
 * A small random forest of regression trees (Breiman 2001): bootstrap samples, a random
 * subset of features tried at each split, splits that most reduce the squared error.
 * Enough to rank hyperparameters by importance; not a general-purpose learner.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export interface ForestOptions {
  trees: number;
  maxDepth: number;
  minLeaf: number;
  seed: number;
}

type Node = { leaf: number } | { feature: number; threshold: number; left: Node; right: Node };

export interface Tree {
  root: Node;
  /** Rows not in this tree's bootstrap sample. */
  outOfBag: number[];
}

export function randomInt(rng: RandomGenerator, from: number, to: number): number {
  return uniformInt(rng, from, to);
}

export function rngOf(seed: number): RandomGenerator {
  return xoroshiro128plus(seed);
}

function mean(y: readonly number[], rows: readonly number[]): number {
  let s = 0;
  for (const i of rows) s += y[i] ?? 0;
  return s / rows.length;
}

interface Split {
  feature: number;
  threshold: number;
  gain: number;
}

/** The split of `rows` on feature `f` with the lowest summed squared error, if any. */
function bestSplitOn(x: readonly (readonly number[])[], y: readonly number[], rows: readonly number[], f: number, minLeaf: number): Split | null {
  const sorted = [...rows].sort((a, b) => (x[a]?.[f] ?? 0) - (x[b]?.[f] ?? 0));
  let total = 0;
  let totalSq = 0;
  for (const i of sorted) {
    const v = y[i] ?? 0;
    total += v;
    totalSq += v * v;
  }
  const n = sorted.length;
  const parentSse = totalSq - (total * total) / n;
  let left = 0;
  let leftSq = 0;
  let best: Split | null = null;
  for (let k = 0; k < n - 1; k++) {
    const i = sorted[k] as number;
    const v = y[i] ?? 0;
    left += v;
    leftSq += v * v;
    const nl = k + 1;
    if (nl < minLeaf || n - nl < minLeaf) continue;
    const here = x[i]?.[f] ?? 0;
    const next = x[sorted[k + 1] as number]?.[f] ?? 0;
    if (here === next) continue;
    const right = total - left;
    const sse = leftSq - (left * left) / nl + (totalSq - leftSq) - (right * right) / (n - nl);
    const gain = parentSse - sse;
    if (best === null || gain > best.gain) best = { feature: f, threshold: (here + next) / 2, gain };
  }
  return best;
}

function grow(x: readonly (readonly number[])[], y: readonly number[], rows: number[], depth: number, o: ForestOptions, rng: RandomGenerator): Node {
  const features = x[0]?.length ?? 0;
  if (depth >= o.maxDepth || rows.length < 2 * o.minLeaf) return { leaf: mean(y, rows) };
  const tries = Math.max(1, Math.round(features / 3));
  let best: Split | null = null;
  for (let t = 0; t < tries; t++) {
    const s = bestSplitOn(x, y, rows, randomInt(rng, 0, features - 1), o.minLeaf);
    if (s !== null && (best === null || s.gain > best.gain)) best = s;
  }
  if (best === null || best.gain <= 1e-12) return { leaf: mean(y, rows) };
  const { feature, threshold } = best;
  const left = rows.filter((i) => (x[i]?.[feature] ?? 0) <= threshold);
  const right = rows.filter((i) => (x[i]?.[feature] ?? 0) > threshold);
  return { feature, threshold, left: grow(x, y, left, depth + 1, o, rng), right: grow(x, y, right, depth + 1, o, rng) };
}

export function predict(node: Node, row: readonly number[]): number {
  let n = node;
  while (!('leaf' in n)) n = (row[n.feature] ?? 0) <= n.threshold ? n.left : n.right;
  return n.leaf;
}

/** Fits `o.trees` trees to rows `x` (numbers, one column per feature) and targets `y`. */
export function fitForest(x: readonly (readonly number[])[], y: readonly number[], o: ForestOptions): Tree[] {
  const rng = rngOf(o.seed);
  const n = x.length;
  return Array.from({ length: o.trees }, () => {
    const inBag = new Uint8Array(n);
    const rows = Array.from({ length: n }, () => {
      const i = randomInt(rng, 0, n - 1);
      inBag[i] = 1;
      return i;
    });
    const outOfBag: number[] = [];
    for (let i = 0; i < n; i++) if (inBag[i] === 0) outOfBag.push(i);
    return { root: grow(x, y, rows, 0, o, rng), outOfBag };
  });
}

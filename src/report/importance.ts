/**
 * Parameter importance by permutation (Breiman 2001): how much a random forest's
 * out-of-bag squared error grows when one parameter's values are shuffled among the
 * out-of-bag trials. Parameters enter in their sampling scale (log10 α, log10(1 − β));
 * categorical values as their index.
 */
import { toScale } from '../core/distributions.js';
import { fitForest, predict, randomInt, rngOf, type Tree } from './forest.js';
import type { Importance, ParamInfo, TrialRow } from './types.js';

/** Fewest complete trials with a value before importance is estimated. */
export const MIN_IMPORTANCE_TRIALS = 8;
/** Trials the forest is fitted to at most (an even sample of the rest): keeps 10 000 trials fast. */
export const MAX_IMPORTANCE_TRIALS = 2000;
const FOREST = { trees: 48, maxDepth: 10, minLeaf: 2, seed: 12345 };

export const IMPORTANCE_METHOD =
  `permutation importance (Breiman 2001): the rise in out-of-bag squared error of a ${FOREST.trees}-tree random forest ` +
  'fitted to the objective when one parameter is shuffled; parameters in their sampling scale (log10 for log scales)';

function featureOf(p: ParamInfo, v: unknown): number {
  if (p.kind === 'categorical') return Math.max(-1, (p.values ?? []).findIndex((x) => x === v));
  if (typeof v !== 'number') return Number.NaN;
  const u = toScale(p.kind, v);
  return Number.isFinite(u) ? u : Number.NaN;
}

function mse(tree: Tree, x: readonly (readonly number[])[], y: readonly number[], column?: { feature: number; values: number[] }): number {
  let s = 0;
  tree.outOfBag.forEach((i, k) => {
    const row = [...(x[i] ?? [])];
    if (column !== undefined) row[column.feature] = column.values[k] ?? 0;
    const d = predict(tree.root, row) - (y[i] ?? 0);
    s += d * d;
  });
  return s / tree.outOfBag.length;
}

/** Importance of each searched parameter for the objective, or null with too few trials or parameters. */
export function permutationImportance(params: readonly ParamInfo[], rows: readonly TrialRow[]): Importance | null {
  const usable = rows.filter((r) => r.value !== null && Number.isFinite(r.value));
  if (usable.length < MIN_IMPORTANCE_TRIALS || params.length === 0) return null;
  const sample = usable.length > MAX_IMPORTANCE_TRIALS ? usable.filter((_, i) => i % Math.ceil(usable.length / MAX_IMPORTANCE_TRIALS) === 0) : usable;
  const raw = sample.map((r) => params.map((p) => featureOf(p, r.params[p.name])));
  // A parameter missing from a trial (inactive): below every value it takes.
  const floor = params.map((_, j) => raw.reduce((m, r) => (Number.isFinite(r[j]) ? Math.min(m, r[j] as number) : m), 0) - 1);
  const x = raw.map((row) => row.map((v, j) => (Number.isNaN(v) ? (floor[j] ?? -1) : v)));
  const y = sample.map((r) => r.value ?? 0);
  const trees = fitForest(x, y, FOREST).filter((t) => t.outOfBag.length > 0);
  const rng = rngOf(FOREST.seed + 1);
  const rises = params.map(() => 0);
  for (const tree of trees) {
    const base = mse(tree, x, y);
    params.forEach((_, j) => {
      const values = tree.outOfBag.map((i) => x[i]?.[j] ?? 0);
      for (let k = values.length - 1; k > 0; k--) {
        const m = randomInt(rng, 0, k);
        [values[k], values[m]] = [values[m] as number, values[k] as number];
      }
      rises[j] = (rises[j] ?? 0) + (mse(tree, x, y, { feature: j, values }) - base) / trees.length;
    });
  }
  const clipped = rises.map((r) => Math.max(0, r));
  const total = clipped.reduce((a, b) => a + b, 0);
  const scores = params.map((p, j) => ({ name: p.name, score: total > 0 ? (clipped[j] ?? 0) / total : 0 }));
  return { method: IMPORTANCE_METHOD, scores: scores.sort((a, b) => b.score - a.score), trials: sample.length };
}

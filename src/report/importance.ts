/**
 * Parameter importance by permutation (Breiman 2001): how much a random forest's
 * out-of-bag squared error grows when one parameter's values are shuffled among the
 * out-of-bag trials. Parameters enter in their sampling scale (log10 α, log10(1 − β));
 * categorical values as their index.
 *
 * A conditional parameter (one some trials lack, e.g. `momentum` drawn only with
 * `optimizer: momentum`) is judged over the trials where it is active: it is shuffled among
 * those trials only, and its error rise is their mean. Where it is inactive it takes the
 * median of its active values, so the forest cannot learn from its absence what the
 * parameter it depends on (the optimizer) says; otherwise the optimizer's effect would be
 * credited to it.
 */
import { toScale } from '../core/distributions.js';
import { median } from '../core/median.js';
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

/** The method line, naming each conditional parameter and the trials its importance is judged over. */
function methodOf(params: readonly ParamInfo[], active: readonly number[], total: number): string {
  const conditional = params.map((p, j) => ({ name: p.name, n: active[j] ?? 0 })).filter((c) => c.n < total);
  if (conditional.length === 0) return IMPORTANCE_METHOD;
  const list = conditional.map((c) => `${c.name} over the ${c.n} of ${total} trials where it is active`).join(', ');
  return `${IMPORTANCE_METHOD}; conditional parameters are shuffled and judged only where they are active: ${list}`;
}

/** The median of the finite values, or 0 when there are none. */
function finiteMedian(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length === 0 ? 0 : median(finite);
}

function featureOf(p: ParamInfo, v: unknown): number {
  if (p.kind === 'categorical') return Math.max(-1, (p.values ?? []).findIndex((x) => x === v));
  if (typeof v !== 'number') return Number.NaN;
  const u = toScale(p.kind, v);
  return Number.isFinite(u) ? u : Number.NaN;
}

/**
 * Mean squared out-of-bag error of a tree over the out-of-bag rows `rows` (indices into
 * `tree.outOfBag`), with `column`'s feature replaced by the given values when set.
 */
function mse(tree: Tree, x: readonly (readonly number[])[], y: readonly number[], rows: readonly number[], column?: { feature: number; values: number[] }): number {
  let s = 0;
  rows.forEach((k, n) => {
    const i = tree.outOfBag[k] ?? 0;
    const row = [...(x[i] ?? [])];
    if (column !== undefined) row[column.feature] = column.values[n] ?? 0;
    const d = predict(tree.root, row) - (y[i] ?? 0);
    s += d * d;
  });
  return s / rows.length;
}

/** Importance of each searched parameter for the objective, or null with too few trials or parameters. */
export function permutationImportance(params: readonly ParamInfo[], rows: readonly TrialRow[]): Importance | null {
  const usable = rows.filter((r) => r.value !== null && Number.isFinite(r.value));
  if (usable.length < MIN_IMPORTANCE_TRIALS || params.length === 0) return null;
  const sample = usable.length > MAX_IMPORTANCE_TRIALS ? usable.filter((_, i) => i % Math.ceil(usable.length / MAX_IMPORTANCE_TRIALS) === 0) : usable;
  const raw = sample.map((r) => params.map((p) => featureOf(p, r.params[p.name])));
  const isActive = (row: readonly number[], j: number): boolean => !Number.isNaN(row[j] ?? Number.NaN);
  const active = params.map((_, j) => raw.filter((row) => isActive(row, j)).length);
  // Inactive: the median of the active values, which says nothing the other parameters do not.
  const neutral = params.map((_, j) => finiteMedian(raw.map((row) => row[j] ?? Number.NaN)));
  const x = raw.map((row) => row.map((v, j) => (Number.isNaN(v) ? (neutral[j] ?? 0) : v)));
  const y = sample.map((r) => r.value ?? 0);
  // A tree without out-of-bag rows adds nothing: every parameter finds no rows to judge it by.
  const trees = fitForest(x, y, FOREST);
  const rng = rngOf(FOREST.seed + 1);
  const rises = params.map(() => 0);
  const counted = params.map(() => 0);
  for (const tree of trees) {
    params.forEach((_, j) => {
      const rows = tree.outOfBag.map((_i, k) => k).filter((k) => isActive(raw[tree.outOfBag[k] ?? 0] ?? [], j));
      if (rows.length === 0) return;
      const values = rows.map((k) => x[tree.outOfBag[k] ?? 0]?.[j] ?? 0);
      for (let k = values.length - 1; k > 0; k--) {
        const m = randomInt(rng, 0, k);
        [values[k], values[m]] = [values[m] as number, values[k] as number];
      }
      rises[j] = (rises[j] ?? 0) + mse(tree, x, y, rows, { feature: j, values }) - mse(tree, x, y, rows);
      counted[j] = (counted[j] ?? 0) + 1;
    });
  }
  const mean = rises.map((r, j) => ((counted[j] ?? 0) > 0 ? r / (counted[j] ?? 1) : 0));
  const clipped = mean.map((r) => Math.max(0, r));
  const total = clipped.reduce((a, b) => a + b, 0);
  const scores = params.map((p, j) => ({ name: p.name, score: total > 0 ? (clipped[j] ?? 0) / total : 0, activeTrials: active[j] ?? 0 }));
  return { method: methodOf(params, active, sample.length), scores: scores.sort((a, b) => b.score - a.score), trials: sample.length };
}

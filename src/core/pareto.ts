// Pareto dominance over several objectives: the front, non-dominated sorting (NSGA-II's fast
// sort) and crowding distance. Every function takes the objectives' goals, so a vector is
// compared as written (maximize or minimize each), never negated by the caller.
import type { Direction } from './types.js';

/** One objective of a study: the metric's name and whether larger or smaller is better. */
export interface Objective {
  name: string;
  goal: Direction;
}

/** True when `a` is at least as good as `b` on every objective and better on one. */
export function dominates(a: readonly number[], b: readonly number[], goals: readonly Direction[]): boolean {
  let better = false;
  for (let i = 0; i < goals.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    const sign = goals[i] === 'minimize' ? 1 : -1;
    const d = sign * (x - y);
    if (d > 0) return false;
    if (d < 0) better = true;
  }
  return better;
}

/**
 * Indices of `points` sorted into fronts: front 0 is the non-dominated points, front 1 those
 * dominated only by front 0, and so on. Within a front, indices ascend.
 */
export function nonDominatedSort(points: readonly (readonly number[])[], goals: readonly Direction[]): number[][] {
  const n = points.length;
  const dominated: number[][] = Array.from({ length: n }, () => []);
  const count = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i]!, points[j]!, goals)) {
        dominated[i]!.push(j);
        count[j]! += 1;
      } else if (dominates(points[j]!, points[i]!, goals)) {
        dominated[j]!.push(i);
        count[i]! += 1;
      }
    }
  }
  const fronts: number[][] = [];
  let current = count.flatMap((c, i) => (c === 0 ? [i] : []));
  while (current.length > 0) {
    fronts.push(current);
    const next: number[] = [];
    for (const i of current) {
      for (const j of dominated[i]!) {
        count[j]! -= 1;
        if (count[j] === 0) next.push(j);
      }
    }
    current = next.sort((a, b) => a - b);
  }
  return fronts;
}

/**
 * Crowding distance of each point of one front (NSGA-II): per objective, the gap between its
 * neighbours over the objective's range, summed; the extremes of each objective get Infinity.
 */
export function crowdingDistance(points: readonly (readonly number[])[]): number[] {
  const n = points.length;
  const distance = new Array<number>(n).fill(0);
  if (n === 0) return distance;
  const m = points[0]!.length;
  for (let k = 0; k < m; k++) {
    const order = points.map((_, i) => i).sort((a, b) => points[a]![k]! - points[b]![k]! || a - b);
    const low = points[order[0]!]![k]!;
    const high = points[order[n - 1]!]![k]!;
    distance[order[0]!] = Infinity;
    distance[order[n - 1]!] = Infinity;
    if (!(high > low)) continue;
    for (let r = 1; r < n - 1; r++) {
      const i = order[r]!;
      distance[i]! += (points[order[r + 1]!]![k]! - points[order[r - 1]!]![k]!) / (high - low);
    }
  }
  return distance;
}

/** Items whose vector no other item's dominates, in their order; items without a usable vector are left out. */
export function paretoFront<T>(items: readonly T[], vectorOf: (item: T) => readonly number[] | null, goals: readonly Direction[]): T[] {
  const usable = items.flatMap((item) => {
    const v = vectorOf(item);
    return v !== null && v.length === goals.length && v.every(Number.isFinite) ? [{ item, v }] : [];
  });
  return usable.filter((a) => !usable.some((b) => dominates(b.v, a.v, goals))).map((a) => a.item);
}

/**
 * Hypervolume of a 2-objective set against `reference` (the area the points dominate up to
 * it), in the goals' orientation; points not better than the reference count nothing.
 */
export function hypervolume2d(points: readonly (readonly number[])[], reference: readonly [number, number], goals: readonly [Direction, Direction]): number {
  const sign = goals.map((g) => (g === 'minimize' ? 1 : -1));
  // As minimisation: smaller is better on both axes.
  const ps = points.map((p) => [sign[0]! * p[0]!, sign[1]! * p[1]!] as const);
  const ref = [sign[0]! * reference[0], sign[1]! * reference[1]] as const;
  const inside = ps.filter(([x, y]) => x < ref[0] && y < ref[1]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let area = 0;
  let ceiling = ref[1];
  for (const [x, y] of inside) {
    if (y >= ceiling) continue;
    area += (ref[0] - x) * (ceiling - y);
    ceiling = y;
  }
  return area;
}

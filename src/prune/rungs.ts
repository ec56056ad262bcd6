// Successive-halving bookkeeping shared by successive_halving and hyperband.

/**
 * The rung k ≥ 0 whose resource min_resource · η^(rate + k) equals `resource` (epochs
 * trained), or null when `resource` is no rung.
 */
export function rungAt(resource: number, minResource: number, eta: number, rate: number): number | null {
  let r = minResource * eta ** rate;
  for (let k = 0; r <= resource; k++, r *= eta) {
    if (r === resource) return k;
  }
  return null;
}

/**
 * Optuna's and ASHA's promotion test: `value` continues when it is within the top
 * ⌊n / η⌋ of the `competing` values (n of them, its own included); while fewer than η trials
 * reached the rung, only the best continues. Ties continue. NaN is the worst value.
 * Returns the threshold it had to reach, and whether it did.
 */
export function promotion(value: number, competing: readonly number[], eta: number, minimize: boolean): { keep: number; threshold: number; promoted: boolean } {
  const worst = minimize ? Infinity : -Infinity;
  const sorted = competing.map((v) => (Number.isNaN(v) ? worst : v)).sort((a, b) => (minimize ? a - b : b - a));
  const keep = Math.max(1, Math.floor(sorted.length / eta));
  const threshold = sorted[keep - 1] as number;
  const v = Number.isNaN(value) ? worst : value;
  return { keep, threshold, promoted: !Number.isNaN(value) && (minimize ? v <= threshold : v >= threshold) };
}

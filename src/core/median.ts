// The median, shared by the median pruner and the report's parameter importance.

/** The median with linear interpolation (numpy's percentile 50); NaN for an empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  const lo = s[Math.floor(mid)] ?? Number.NaN;
  const hi = s[Math.ceil(mid)] ?? Number.NaN;
  return lo + (hi - lo) * (mid - Math.floor(mid));
}

/** Small numeric helpers of the study diagnosis: a chance test and round numbers for proposed bounds. */

/** ln(n!) for n = 0..max, by summing logarithms (studies have at most thousands of trials). */
function logFactorials(max: number): number[] {
  const out = [0];
  for (let i = 1; i <= max; i++) out.push((out[i - 1] ?? 0) + Math.log(i));
  return out;
}

/**
 * One-sided hypergeometric test: the probability that `draws` trials picked at random from
 * `population`, of which `marked` are marked (e.g. diverged), include at least `hits` marked
 * ones. Small values mean the picked group (trials beyond a cut, the best trials) is not
 * marked this often by chance.
 */
export function hypergeometricTail(population: number, marked: number, draws: number, hits: number): number {
  if (hits <= 0) return 1;
  if (hits > Math.min(marked, draws)) return 0;
  const lf = logFactorials(population);
  const logChoose = (n: number, k: number): number => (lf[n] ?? 0) - (lf[k] ?? 0) - (lf[n - k] ?? 0);
  const total = logChoose(population, draws);
  let p = 0;
  const top = Math.min(marked, draws);
  for (let k = hits; k <= top; k++) {
    if (draws - k > population - marked) continue;
    p += Math.exp(logChoose(marked, k) + logChoose(population - marked, draws - k) - total);
  }
  return Math.min(1, p);
}

/** Most significant digits tried when looking for a round number. */
const MAX_DIGITS = 15;

/**
 * A round number strictly between `lo` and `hi` (lo < hi), close to `target`: `target`
 * rounded to the fewest significant digits that land inside. With `integer`, only integers
 * count. Returns null when there is none (e.g. adjacent integers).
 */
export function roundBetween(lo: number, hi: number, target: number, integer: boolean): number | null {
  for (let d = 1; d <= MAX_DIGITS; d++) {
    let c = Number(target.toPrecision(d));
    if (integer) c = Math.round(c);
    if (c > lo && c < hi) return c;
  }
  if (integer) {
    const c = Math.floor(lo) + 1;
    return c < hi ? c : null;
  }
  return target > lo && target < hi ? target : null;
}

/** Significant digits of a widened bound. */
const WIDEN_DIGITS = 2;
/** Slack against floating-point error when a value already sits on a round number (0.1 / 0.01 = 10.000000000000002). */
const ROUNDING_SLACK = 1e-9;

/**
 * Rounds a proposed bound outward (up for a maximum, down for a minimum) to 2 significant
 * digits. With `nearOne` the distance to 1 is rounded instead (bounds of β-like parameters
 * such as 0.9995), keeping the value below 1.
 */
export function roundOutward(x: number, up: boolean, nearOne: boolean, integer: boolean): number {
  if (nearOne) return 1 - roundOutward(1 - x, !up, false, false);
  if (x === 0 || !Number.isFinite(x)) return x;
  const magnitude = 10 ** (Math.floor(Math.log10(Math.abs(x))) - (WIDEN_DIGITS - 1));
  const steps = x / magnitude;
  const rounded = (up ? Math.ceil(steps - ROUNDING_SLACK) : Math.floor(steps + ROUNDING_SLACK)) * magnitude;
  const tidy = Number(rounded.toPrecision(WIDEN_DIGITS + 1));
  return integer ? (up ? Math.ceil(tidy) : Math.floor(tidy)) : tidy;
}

type Row3 = readonly [number, number, number];

/** Determinant of the 3 × 3 matrix with rows a, b, c. */
function det3(a: Row3, b: Row3, c: Row3): number {
  return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
}

/**
 * The x of the vertex of the least-squares parabola y ≈ a + b·x + c·x² through the points,
 * or null when the points do not bend upwards (c ≤ 0) or are too few or degenerate.
 */
export function parabolaVertex(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return null;
  // Sums of x^0..x^4 and of y·x^0..y·x^2: the normal equations of the fit.
  let [s0, s1, s2, s3, s4, r0, r1, r2] = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const x = xs[i] ?? 0;
    const y = ys[i] ?? 0;
    s0 += 1;
    s1 += x;
    s2 += x * x;
    s3 += x * x * x;
    s4 += x * x * x * x;
    r0 += y;
    r1 += y * x;
    r2 += y * x * x;
  }
  const d = det3([s0, s1, s2], [s1, s2, s3], [s2, s3, s4]);
  if (d === 0) return null;
  const b = det3([s0, r0, s2], [s1, r1, s3], [s2, r2, s4]) / d;
  const c = det3([s0, s1, r0], [s1, s2, r1], [s2, s3, r2]) / d;
  return c > 0 ? -b / (2 * c) : null;
}

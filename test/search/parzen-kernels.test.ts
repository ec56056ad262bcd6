// The Parzen estimator's kernels and numbers, against values computed by hand or from tables:
// the normal CDF, the Gaussian draws, truncated kernels (densities and lattice cells that sum to
// one, draws inside the bounds), categorical draws, Scott's bandwidth and the magic clip.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Categorical, gauss, logSumExp, neighbourBandwidths, normalCdf, scottBandwidth, TruncatedNormal } from '../../src/search/parzen.js';
import { paramStream } from '../../src/search/rng.js';
import { ksUniform } from './setup.js';

const near = (a: number, b: number, tol: number, what = ''): void => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} is not ${b} ± ${tol}`);
const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const close = (a: readonly number[], b: readonly number[]): void => {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => near(x, b[i] as number, 1e-12, `at ${i}`));
};
const sd = (xs: readonly number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

describe('Parzen kernels', () => {
  it('compute the normal CDF to table precision', () => {
    near(normalCdf(0), 0.5, 1e-7);
    near(normalCdf(1.959964), 0.975, 1e-6);
    near(normalCdf(-1), 0.158655, 1e-6);
    near(normalCdf(3), 0.998650, 1e-6);
  });

  it('draw standard normals', () => {
    const rng = paramStream(1, 2, 'gauss');
    const xs = Array.from({ length: 4000 }, () => gauss(rng));
    near(mean(xs), 0, 0.06, 'mean');
    near(sd(xs), 1, 0.05, 'sd');
    near(xs.filter((x) => x < -1).length / xs.length, 0.1587, 0.02, 'P(z < −1)');
  });

  it('draw standard normals by Box–Muller: Φ of the draws is uniform (KS < 0.015 over 20 000)', () => {
    // Moments alone miss a wrong angle: cos(2π / u) instead of cos(2π·u) keeps the mean near 0 and the sd near 1.
    const rng = paramStream(2, 3, 'gauss');
    const us = Array.from({ length: 20_000 }, () => normalCdf(gauss(rng)));
    assert.ok(ksUniform(us) < 0.015, `KS ${ksUniform(us)}`);
  });

  it('truncate a normal density to the range, so it integrates to one there', () => {
    const dim = { low: 0, high: 1, step: null };
    for (const [mu, sigma] of [[0.5, 0.2], [0.05, 0.3], [0.9, 1]] as const) {
      const k = new TruncatedNormal(mu, sigma, dim);
      let area = 0;
      const n = 2000;
      for (let i = 0; i < n; i++) area += Math.exp(k.logPdf((i + 0.5) / n)) / n;
      near(area, 1, 1e-4, `area for μ ${mu}, σ ${sigma}`);
    }
    // Wide bounds: the untruncated density at its centre, 1 / (σ √(2π)).
    near(Math.exp(new TruncatedNormal(0, 2, { low: -100, high: 100, step: null }).logPdf(0)), 1 / (2 * Math.sqrt(2 * Math.PI)), 1e-9);
  });

  it('give lattice cells their mass, normalised over the cells of the range', () => {
    // Integers 1..5 as cells [0.5, 5.5]; μ 3, σ 1: cell 3 holds Φ(0.5) − Φ(−0.5) = 0.382925 of Z = Φ(2.5) − Φ(−2.5) = 0.987581.
    const k = new TruncatedNormal(3, 1, { low: 0.5, high: 5.5, step: 1 });
    near(Math.exp(k.logPdf(3)), 0.382925 / 0.987581, 1e-5, 'cell 3');
    near([1, 2, 3, 4, 5].reduce((s, x) => s + Math.exp(k.logPdf(x)), 0), 1, 1e-6, 'all cells');
    // A cell the kernel cannot reach has a floor, not −∞.
    assert.equal(new TruncatedNormal(1, 1e-3, { low: 0.5, high: 5.5, step: 1 }).logPdf(5), -700);
  });

  it('draw inside the range around μ, and fall back to the clipped μ when the range is out of reach', () => {
    const rng = paramStream(3, 1, 'tn');
    const k = new TruncatedNormal(0.5, 0.1, { low: 0, high: 1, step: null });
    const xs = Array.from({ length: 3000 }, () => k.sample(rng));
    assert.ok(xs.every((x) => x >= 0 && x <= 1));
    near(mean(xs), 0.5, 0.01, 'mean');
    near(sd(xs), 0.1, 0.01, 'sd');
    // A draw is μ + σ·z for the stream's next standard normal z (a twin stream gives z): the stream fixes the draw, not only its law.
    const [a, b] = [paramStream(3, 2, 'tn'), paramStream(3, 2, 'tn')];
    for (let i = 0; i < 20; i++) assert.equal(k.sample(a), 0.5 + 0.1 * gauss(b));
    // Cut by a bound: every draw on the kept side.
    const edge = new TruncatedNormal(0, 0.1, { low: 0, high: 1, step: null });
    const es = Array.from({ length: 1000 }, () => edge.sample(rng));
    assert.ok(es.every((x) => x >= 0) && es.some((x) => x > 0.1));
    assert.equal(new TruncatedNormal(10, 0.01, { low: 0, high: 1, step: null }).sample(rng), 1);
    assert.equal(new TruncatedNormal(-10, 0.01, { low: 0, high: 1, step: null }).sample(rng), 0);
  });

  it('try 100 draws (two uniforms each) before falling back, and keep a range out of reach finite', () => {
    // A kernel whose range lies 900 σ away: every draw misses, the fallback is the clipped μ after exactly 100 tries.
    let used = 0;
    const counting = { uniform: (): number => (used++, 0.5) } as never;
    assert.equal(new TruncatedNormal(10, 0.01, { low: 0, high: 1, step: null }).sample(counting), 1);
    assert.equal(used, 200);
    // Its mass on the range is 0 in floating point: the log densities stay finite (a density) or the floor (a cell).
    const far = new TruncatedNormal(10, 0.01, { low: 0, high: 1, step: null }).logPdf(1);
    assert.ok(Number.isFinite(far) && far < -1e5, String(far));
    assert.equal(new TruncatedNormal(10, 0.01, { low: 0.5, high: 5.5, step: 1 }).logPdf(5), -700);
    // A lattice value outside the cells (7 on 1..5) has the floor too, not NaN.
    const k = new TruncatedNormal(3, 1, { low: 0.5, high: 5.5, step: 1 });
    assert.equal(k.logPdf(7), -700);
    assert.equal(k.logPdf(-1), -700);
  });

  it('draw categories in proportion to their weights, and give an unknown index the floor', () => {
    const k = new Categorical([2, 1, 1]);
    const rng = paramStream(5, 0, 'cat');
    const counts = [0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const c = k.sample(rng);
      counts[c] = (counts[c] as number) + 1;
    }
    near((counts[0] as number) / 4000, 0.5, 0.03, 'category 0');
    near((counts[2] as number) / 4000, 0.25, 0.03, 'category 2');
    near(Math.exp(k.logPdf(1)), 0.25, 1e-12);
    assert.equal(k.logPdf(3), -700);
    assert.equal(new Categorical([0, 1]).logPdf(0), -700);
    // A draw at the very top of the unit interval is the last category.
    const top = { uniform: () => 1 - 2 ** -53 } as never;
    assert.equal(new Categorical([1, 1]).sample(top), 1);
    // Six equal weights sum to 1 − 2⁻⁵³ in floating point: the top draw falls past them, still the last.
    assert.equal(new Categorical([1, 1, 1, 1, 1, 1]).sample(top), 5);
  });

  it('never draw a category of weight 0, not even at u = 0', () => {
    const bottom = { uniform: () => 0 } as never;
    assert.equal(new Categorical([0, 1]).sample(bottom), 1);
    assert.equal(new Categorical([0, 0, 3, 1]).sample(bottom), 2);
    // A category the spec gives probability 0 keeps weight 0 in every observation's kernel.
    const k = Categorical.around(2, [0, 0.5, 0.5], 3);
    assert.equal(k.sample(bottom), 1);
    assert.equal(k.logPdf(0), -700);
  });

  it('measure a lone point’s width to the bounds of the range, wherever the range starts', () => {
    // Range [10, 110]: 90 is 80 from the low bound and 20 from the high one.
    close(neighbourBandwidths([90], { low: 10, high: 110, step: null }), [80]);
    close(neighbourBandwidths([20], { low: 10, high: 110, step: null }), [90]);
  });

  it('give the outermost of many points the distance to their neighbour even when a bound is far', () => {
    // Floor 100 / 10 = 10; every neighbour is ≤ 5 away, while 40 is 40 from the low bound and 62 is 38 from the high one.
    const mus = [62, 40, 45, 50, 52, 54, 56, 58, 60];
    close(neighbourBandwidths(mus, { low: 0, high: 100, step: null }), Array<number>(9).fill(10));
  });

  it('follow Scott’s rule for the joint kernels, with the magic clip as a floor', () => {
    // n 100, d 1: 0.2 · 100^(−1/5) = 0.079621 of the range (floor 1/100).
    near(scottBandwidth(100, 1, { low: 0, high: 2, step: null }), 2 * 0.2 * 100 ** -0.2, 1e-12);
    near(scottBandwidth(100, 1, { low: 0, high: 2, step: null }), 0.159243, 1e-6);
    // n 5, d 2: 0.2 · 5^(−1/6) = 0.152943 is below the floor 1/min(100, 6) = 0.166667.
    near(scottBandwidth(5, 2, { low: 1, high: 4, step: null }), 3 / 6, 1e-12);
    // n 1000: the floor is 1/100 at most, under Scott's 0.2 · 1000^(−1/7) = 0.074.
    near(scottBandwidth(1000, 3, { low: 0, high: 1, step: null }), 0.2 * 1000 ** (-1 / 7), 1e-12);
  });

  it('clip neighbour bandwidths to range / 100 once there are 100 points or more', () => {
    const mus = Array.from({ length: 150 }, (_, i) => i * 0.001);
    const widths = neighbourBandwidths(mus, { low: 0, high: 10, step: null });
    // Neighbours 0.001 apart; the floor is 10 / min(100, 151) = 0.1, not 10 / 151.
    assert.ok(widths.every((w) => Math.abs(w - 0.1) < 1e-12), String(widths.slice(0, 3)));
  });

  it('sum exponentials in log space without overflow', () => {
    near(logSumExp([0, 0]), Math.log(2), 1e-12);
    near(logSumExp([1000, 1000]), 1000 + Math.log(2), 1e-9);
    near(logSumExp([-1000, -1001]), -1000 + Math.log(1 + Math.exp(-1)), 1e-9);
    assert.equal(logSumExp([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]), Number.NEGATIVE_INFINITY);
    // Terms far apart: the largest leads (shifting by the smallest would overflow), and a −∞ term adds nothing.
    near(logSumExp([-800, 0]), 0, 1e-12);
    near(logSumExp([0, Number.NEGATIVE_INFINITY, -1]), Math.log(1 + Math.exp(-1)), 1e-12);
  });
});

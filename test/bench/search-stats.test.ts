// The sampler bench's statistics: median, tail share and the bootstrap interval.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrap, mean, median, quantile, tail } from '../../bench/search/stats.js';
import { bestAfter } from '../../bench/search/summary.js';
import { paramStream } from '../../src/search/index.js';

/** n standard normal draws (Box–Muller), seeded. */
function normals(n: number, seed: number): number[] {
  const rng = paramStream(seed, 0, 'normals');
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rng.uniform())) * Math.cos(2 * Math.PI * rng.uniform()));
}

describe('sampler bench statistics', () => {
  it('takes the median, tail shares, quantiles and best-so-far as documented', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(tail(0.9, true)([0.95, 0.9, 0.8, 0.91]), 0.5);
    assert.equal(tail(0.5, false)([0.4, 0.5, 0.6, 0.1]), 0.5);
    assert.equal(quantile([0, 10, 20], 0.25), 5);
    assert.equal(bestAfter([3, 1, 2, 0], 3, false), 1);
    assert.equal(bestAfter([3, 1, 5, 9], 3, true), 5);
  });

  it('gives a 95 % interval as wide as the normal theory says, around the statistic', () => {
    const xs = normals(400, 1);
    const e = bootstrap(xs, mean, { resamples: 2000, seed: 7 });
    assert.equal(e.value, mean(xs));
    assert.ok(e.low < e.value && e.value < e.high, JSON.stringify(e));
    // σ/√n = 0.05: the interval is 2 · 1.96 · 0.05 ≈ 0.196 wide.
    const width = e.high - e.low;
    assert.ok(width > 0.16 && width < 0.24, `width ${width}`);
    assert.ok(Math.abs(e.value) < 0.15, `mean ${e.value}`);
  });

  it('covers the true mean about 95 % of the time', () => {
    let covered = 0;
    for (let s = 0; s < 60; s++) {
      const e = bootstrap(normals(50, 100 + s), mean, { resamples: 400, seed: s });
      if (e.low <= 0 && 0 <= e.high) covered++;
    }
    assert.ok(covered >= 51 && covered <= 60, `${covered} of 60 intervals cover 0`);
  });

  it('is reproducible for a seed, collapses for a constant sample, and rejects an empty one', () => {
    const xs = normals(30, 2);
    assert.deepEqual(bootstrap(xs, median, { seed: 3 }), bootstrap(xs, median, { seed: 3 }));
    assert.notDeepEqual(bootstrap(xs, median, { seed: 3 }), bootstrap(xs, median, { seed: 4 }));
    assert.deepEqual(bootstrap([2, 2, 2], mean), { value: 2, low: 2, high: 2 });
    assert.throws(() => bootstrap([], mean), RangeError);
  });
});

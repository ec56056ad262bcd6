// The Parzen estimators' building blocks: bandwidths (Optuna's endpoint rule and magic clip)
// and the categorical kernel's smoothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Categorical, neighbourBandwidths } from '../../src/search/parzen.js';

const UNIT = { low: 0, high: 100, step: null };
const close = (a: readonly number[], b: readonly number[]): void => a.forEach((x, i) => assert.ok(Math.abs(x - (b[i] as number)) < 1e-12, `${a.join()} against ${b.join()}`));

describe('Parzen estimators', () => {
  it('give the outermost points the distance to their one inner neighbour, not to the bounds', () => {
    // Floor 100 / min(100, 3 + 1) = 25. 20: 40 to 60 (not 20 to the bound); 65: 5 to 60, clipped up to 25 (not 35 to the bound).
    close(neighbourBandwidths([60, 20, 65], UNIT), [40, 40, 25]);
    // Points spread out: interior ones take the farther neighbour; order is kept.
    const mus = [5, 10, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 95];
    const floor = 100 / 14;
    close(neighbourBandwidths(mus, UNIT), [floor, 20, 20, floor, floor, floor, floor, floor, floor, floor, floor, 56, 56]);
    // Widths never exceed the range.
    close(neighbourBandwidths([0, 100], UNIT), [100, 100]);
  });

  it('give a lone point the distance to its farther bound', () => {
    close(neighbourBandwidths([30], UNIT), [70]);
  });

  it('smooth a categorical observation by the prior spread over the n observations and the prior', () => {
    // Optuna's rule with a uniform prior: 1/(n+1) on every category, 1 more on the observed one.
    const k = Categorical.around(0, [1 / 3, 1 / 3, 1 / 3], 4);
    close([0, 1, 2].map((i) => Math.exp(k.logPdf(i))), [1.2 / 1.6, 0.2 / 1.6, 0.2 / 1.6]);
    // The spec's probabilities shape the spread.
    const p = Categorical.around(1, [0.5, 0.25, 0.25], 2);
    close([0, 1, 2].map((i) => Math.exp(p.logPdf(i))), [0.5 / 2, 1.25 / 2, 0.25 / 2]);
  });
});

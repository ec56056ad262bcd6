// The GP's log posterior against a 2 × 2 worked by hand (likelihood and priors), and the fit:
// inside its box, deterministic, near the best log posterior a long careful ascent finds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitHyper, logPosterior } from '../../src/search/gp-fit.js';
import { matern, pairDistances, type GpHyper, type PairDistances } from '../../src/search/gp-model.js';

const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/** The log posterior of two points by hand: K = [[a, b], [b, a]], a = s + σ² + 1e-8, b = s·matern(r). */
function byHand(y: [number, number], r: number, theta: number[], priorMean: number[], priorSd: number[]): number {
  const s = Math.exp(theta[theta.length - 2]!);
  const noise = Math.exp(theta[theta.length - 1]!);
  const a = s + noise + 1e-8;
  const b = s * matern(r);
  const det = a * a - b * b;
  const fit = (a * y[0] * y[0] - 2 * b * y[0] * y[1] + a * y[1] * y[1]) / det;
  const prior = theta.reduce((sum, t, i) => sum + ((t - priorMean[i]!) / priorSd[i]!) ** 2, 0);
  return -0.5 * fit - 0.5 * Math.log(det) - 0.5 * prior;
}

function pairsOf(xs: number[][], kinds?: number[]): PairDistances {
  return pairDistances(xs.map((x) => Float64Array.from(x)), Uint8Array.from(kinds ?? xs[0]!.map(() => 0)));
}

function thetaOf(h: GpHyper): number[] {
  return [...Array.from(h.lengthScales, Math.log), Math.log(h.signal), Math.log(h.noise)];
}

/** The box of the log parameters. */
function box(dims: number, i: number): [number, number] {
  return i < dims ? [Math.log(0.01), Math.log(20)] : i === dims ? [Math.log(0.05), Math.log(20)] : [Math.log(1e-6), Math.log(0.5)];
}

/** The best log posterior found by a long projected gradient ascent with step halving, from several starts. */
function carefulBest(pairs: PairDistances, y: Float64Array, dims: number): number {
  let best = -Infinity;
  for (const l of [0.05, 0.3, 2]) {
    for (const noise of [1e-4, 0.05]) {
      let theta = [...new Array<number>(dims).fill(Math.log(l)), 0, Math.log(noise)];
      let here = logPosterior(pairs, y, theta);
      let step = 0.1;
      for (let k = 0; k < 300 && step > 1e-9; k++) {
        const next = theta.map((t, i) => {
          const [lo, hi] = box(dims, i);
          return Math.min(hi, Math.max(lo, t + step * here.grad[i]!));
        });
        const there = logPosterior(pairs, y, next);
        if (there.value > here.value) {
          theta = next;
          here = there;
          step *= 1.2;
        } else step /= 2;
      }
      best = Math.max(best, here.value);
    }
  }
  return best;
}

describe('gp-fit', () => {
  it('computes the log marginal likelihood plus the log-normal priors, in one dimension', () => {
    const pairs = pairsOf([[0.2], [0.7]]);
    const y: [number, number] = [0.8, -0.3];
    const theta = [Math.log(0.4), Math.log(1.5), Math.log(0.05)];
    const { value } = logPosterior(pairs, Float64Array.from(y), theta);
    close(value, byHand(y, 0.5 / 0.4, theta, [Math.log(0.5), 0, Math.log(1e-3)], [1.5, 1, 3]), 1e-9, 'log posterior');
  });

  it('centres the length-scale prior at 0.5·√P in P dimensions', () => {
    const pairs = pairsOf([[0.2, 0.1, 0.5], [0.7, 0.4, 0.5]]);
    const y: [number, number] = [1.2, 0.1];
    const theta = [Math.log(0.9), Math.log(0.6), Math.log(2), Math.log(0.7), Math.log(0.01)];
    const r = Math.sqrt((0.5 / 0.9) ** 2 + (0.3 / 0.6) ** 2);
    const l = Math.log(0.5 * Math.sqrt(3));
    const { value } = logPosterior(pairs, Float64Array.from(y), theta);
    close(value, byHand(y, r, theta, [l, l, l, 0, Math.log(1e-3)], [1.5, 1.5, 1.5, 1, 3]), 1e-9, 'log posterior');
  });

  it('has the gradient of its value in every parameter, numeric and categorical (finite differences)', () => {
    const xs = [[0.1, 0], [0.4, 1], [0.45, 0], [0.9, 2], [0.6, 1]];
    const pairs = pairsOf(xs, [0, 1]);
    const y = Float64Array.from([0.5, -0.7, 0.2, 1.4, -1.1]);
    for (const theta of [
      [Math.log(0.2), Math.log(1.5), Math.log(0.8), Math.log(0.01)],
      [Math.log(3), Math.log(0.1), Math.log(2.5), Math.log(0.3)],
    ]) {
      const { grad } = logPosterior(pairs, y, theta);
      theta.forEach((_, i) => {
        const h = 1e-5;
        const up = logPosterior(pairs, y, theta.map((t, j) => (j === i ? t + h : t))).value;
        const down = logPosterior(pairs, y, theta.map((t, j) => (j === i ? t - h : t))).value;
        const numeric = (up - down) / (2 * h);
        close(grad[i]!, numeric, 1e-5 * Math.max(1, Math.abs(numeric)), `θ${i}`);
      });
    }
  });

  it('fits close to the best log posterior, inside the box, the same every time', () => {
    const cases: { xs: number[][]; y: number[] }[] = [
      // A smooth function of the first coordinate; the second does not matter.
      { xs: Array.from({ length: 12 }, (_, i) => [(i * 0.618) % 1, (i * 0.382 + 0.1) % 1]), y: [] },
      // A wiggly one, with noise.
      { xs: Array.from({ length: 14 }, (_, i) => [i / 13]), y: [] },
    ];
    cases[0]!.y = cases[0]!.xs.map((x) => Math.sin(3 * x[0]!));
    cases[1]!.y = cases[1]!.xs.map((x, i) => Math.sin(20 * x[0]!) + (i % 2 === 0 ? 0.3 : -0.3));
    for (const { xs, y } of cases) {
      const dims = xs[0]!.length;
      const pairs = pairsOf(xs);
      const values = Float64Array.from(y);
      const h = fitHyper(pairs, values, dims);
      const fitted = logPosterior(pairs, values, thetaOf(h)).value;
      const best = carefulBest(pairs, values, dims);
      assert.ok(fitted > best - 0.6, `fitted ${fitted}, best found ${best}`);
      thetaOf(h).forEach((t, i) => {
        const [lo, hi] = box(dims, i);
        assert.ok(t >= lo - 1e-12 && t <= hi + 1e-12, `θ${i} = ${t} inside [${lo}, ${hi}]`);
      });
      assert.deepEqual(fitHyper(pairs, values, dims), h);
    }
  });

  it('gives the direction that does not matter a longer length scale', () => {
    const xs = Array.from({ length: 16 }, (_, i) => [(i * 0.618) % 1, (i * 0.382 + 0.1) % 1]);
    const y = Float64Array.from(xs, (x) => Math.sin(4 * x[0]!));
    const h = fitHyper(pairsOf(xs), y, 2);
    assert.ok(h.lengthScales[1]! > 2 * h.lengthScales[0]!, `ℓ = ${h.lengthScales.join(', ')}`);
  });

  it('stops a parameter at the edge of its box: flat values drive the length scale up to 20 and the noise down to 1e-6', () => {
    const xs = Array.from({ length: 20 }, (_, i) => [i / 19]);
    const h = fitHyper(pairsOf(xs), new Float64Array(20), 1);
    close(h.lengthScales[0]!, 20, 1e-9, 'length scale at its ceiling');
    close(h.noise, 1e-6, 1e-15, 'noise at its floor');
    assert.ok(h.signal >= 0.05 && h.signal <= 20);
  });

  it('stops the signal at 0.05: flat values at points too far apart to correlate', () => {
    const xs = Array.from({ length: 20 }, (_, i) => [i * 1000]);
    const h = fitHyper(pairsOf(xs), new Float64Array(20), 1);
    close(h.signal, 0.05, 1e-12, 'signal at its floor');
    assert.ok(h.noise >= 1e-6 && h.noise <= 0.5);
  });

  it('sees noise in values that jump between neighbours', () => {
    const xs = Array.from({ length: 16 }, (_, i) => [i / 15]);
    const smooth = fitHyper(pairsOf(xs), Float64Array.from(xs, (x) => Math.sin(3 * x[0]!)), 1);
    const noisy = fitHyper(pairsOf(xs), Float64Array.from(xs, (x, i) => Math.sin(3 * x[0]!) + (i % 2 === 0 ? 0.5 : -0.5)), 1);
    assert.ok(noisy.noise > 10 * smooth.noise, `noise ${noisy.noise} vs ${smooth.noise}`);
  });
});

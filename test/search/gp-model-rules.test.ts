// The GP's pieces against values worked out by hand or by a plain dense solve: the distances,
// the Matérn-5/2 kernel, the covariance, its Cholesky factor (with the jitter it needs) and the
// posterior mean and variance.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { covariance, GpPosterior, lowerFactor, matern, pairDistances, scaledDistances, SQRT5, type GpHyper } from '../../src/search/gp-model.js';

const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/** x solving A x = b by Gaussian elimination with partial pivoting (A is small and dense). */
function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(m[i]![c]!) > Math.abs(m[p]![c]!)) p = i;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let i = c + 1; i < n; i++) {
      const f = m[i]![c]! / m[c]![c]!;
      for (let j = c; j <= n; j++) m[i]![j] = m[i]![j]! - f * m[c]![j]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i]![n]!;
    for (let j = i + 1; j < n; j++) s -= m[i]![j]! * x[j]!;
    x[i] = s / m[i]![i]!;
  }
  return x;
}

const hyper = (lengthScales: number[], signal: number, noise: number): GpHyper => ({ lengthScales: Float64Array.from(lengthScales), signal, noise });

/** The kernel of two points by the textbook formula (categorical coordinates as one-hot vectors). */
function kernel(a: readonly number[], b: readonly number[], kinds: readonly number[], h: GpHyper): number {
  let s = 0;
  a.forEach((x, p) => {
    const d2 = kinds[p] === 1 ? (x === b[p] ? 0 : 1) : (x - b[p]!) ** 2;
    s += d2 / h.lengthScales[p]! ** 2;
  });
  const r = Math.sqrt(s);
  return h.signal * (1 + Math.sqrt(5) * r + (5 * r * r) / 3) * Math.exp(-Math.sqrt(5) * r);
}

describe('gp-model', () => {
  it('squares numeric differences and counts a categorical mismatch as 1, for each pair both ways', () => {
    const points = [Float64Array.from([0.1, 2]), Float64Array.from([0.4, 2]), Float64Array.from([0.9, 0])];
    const { n, dims, d } = pairDistances(points, Uint8Array.from([0, 1]));
    assert.equal(n, 3);
    assert.equal(dims, 2);
    const at = (i: number, k: number, p: number): number => d[(i * n + k) * dims + p]!;
    close(at(1, 0, 0), 0.09, 1e-12, 'numeric (0.4 − 0.1)²');
    close(at(0, 1, 0), 0.09, 1e-12, 'the same pair the other way');
    close(at(2, 0, 0), 0.64, 1e-12, '(0.9 − 0.1)²');
    close(at(2, 1, 0), 0.25, 1e-12, '(0.9 − 0.4)²');
    assert.equal(at(1, 0, 1), 0, 'the same category');
    assert.equal(at(2, 0, 1), 1, 'another category (not its squared index gap)');
    assert.equal(at(0, 2, 1), 1);
    assert.equal(at(2, 1, 1), 1);
    for (let i = 0; i < n; i++) for (let p = 0; p < dims; p++) assert.equal(at(i, i, p), 0);
    assert.equal(d.length, n * n * dims);
  });

  it('computes Matérn-5/2 as (1 + √5 r + 5r²/3) e^(−√5 r)', () => {
    assert.equal(SQRT5, Math.sqrt(5));
    assert.equal(matern(0), 1);
    close(matern(1), (1 + Math.sqrt(5) + 5 / 3) * Math.exp(-Math.sqrt(5)), 1e-15, 'r = 1');
    close(matern(0.5), (1 + Math.sqrt(5) / 2 + 5 / 12) * Math.exp(-Math.sqrt(5) / 2), 1e-15, 'r = 0.5');
    close(matern(2), (1 + 2 * Math.sqrt(5) + 20 / 3) * Math.exp(-2 * Math.sqrt(5)), 1e-15, 'r = 2');
  });

  it('scales the distances by 1/ℓ² per coordinate, in the lower triangle only', () => {
    const points = [Float64Array.from([0, 0]), Float64Array.from([0.3, 0.4]), Float64Array.from([0.6, 0])];
    const pairs = pairDistances(points, Uint8Array.from([0, 0]));
    const inv2 = Float64Array.from([1 / 0.25, 1 / 4]);
    const r = scaledDistances(pairs, inv2);
    assert.equal(r.length, 9);
    close(r[1 * 3 + 0]!, Math.sqrt(0.09 * 4 + 0.16 / 4), 1e-12, 'r(1, 0)');
    close(r[2 * 3 + 0]!, Math.sqrt(0.36 * 4), 1e-12, 'r(2, 0)');
    close(r[2 * 3 + 1]!, Math.sqrt(0.09 * 4 + 0.16 / 4), 1e-12, 'r(2, 1)');
    for (const [i, k] of [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]] as const) assert.equal(r[i * 3 + k], 0, `r(${i}, ${k}) is left at 0`);
  });

  it('builds the covariance: signal + noise on the diagonal, signal·matern(r) off it, symmetric', () => {
    const r = Float64Array.from([0, 0, 0, 0.5, 0, 0, 1, 2, 0]);
    const k = covariance(r, 3, hyper([1], 1.5, 0.2));
    for (let i = 0; i < 3; i++) close(k[i]![i]!, 1.7, 1e-15, `k(${i}, ${i})`);
    close(k[1]![0]!, 1.5 * matern(0.5), 1e-15, 'k(1, 0)');
    close(k[0]![1]!, 1.5 * matern(0.5), 1e-15, 'k(0, 1)');
    close(k[2]![0]!, 1.5 * matern(1), 1e-15, 'k(2, 0)');
    close(k[0]![2]!, 1.5 * matern(1), 1e-15, 'k(0, 2)');
    close(k[2]![1]!, 1.5 * matern(2), 1e-15, 'k(2, 1)');
    close(k[1]![2]!, 1.5 * matern(2), 1e-15, 'k(1, 2)');
  });

  it('factors a positive definite matrix with only 1e-8 added to its diagonal', () => {
    const k = [Float64Array.from([4, 2, 0.4]), Float64Array.from([2, 5, 1]), Float64Array.from([0.4, 1, 3])];
    const copy = k.map((row) => Float64Array.from(row));
    const l = lowerFactor(k);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        if (j > i) assert.equal(l[i * 3 + j], 0, 'upper triangle');
        let s = 0;
        for (let m = 0; m < 3; m++) s += l[i * 3 + m]! * l[j * 3 + m]!;
        close(s, copy[i]![j]! + (i === j ? 1e-8 : 0), 1e-13, `(L Lᵀ)(${i}, ${j})`);
      }
    }
    close(l[0]!, Math.sqrt(4 + 1e-8), 1e-15, 'L(0, 0)');
  });

  it('adds more jitter, ×100 at a time, to a matrix that is not positive definite, and exactly that much', () => {
    // Eigenvalues 2 + 1e-5 and −1e-5: 1e-8 and 1e-6 are too little, 1e-4 is enough.
    const k = [Float64Array.from([1, 1 + 1e-5]), Float64Array.from([1 + 1e-5, 1])];
    const l = lowerFactor(k);
    close(l[0]! * l[0]!, 1 + 1e-4, 1e-12, 'L(0, 0)² = 1 + 1e-4');
    close(l[2]! * l[0]!, 1 + 1e-5, 1e-12, 'L(1, 0)·L(0, 0)');
    close(l[2]! ** 2 + l[3]! ** 2, 1 + 1e-4, 1e-12, 'L(1, ·)·L(1, ·)');
    assert.equal(l[1], 0);
    // Eigenvalue −1: jitter 1 leaves it singular, 100 is the last try.
    const bad = [Float64Array.from([1, 2]), Float64Array.from([2, 1])];
    const lb = lowerFactor(bad);
    close(lb[0]! * lb[0]!, 101, 1e-9, 'jitter 100');
    close(lb[2]! * lb[0]!, 2, 1e-12, 'off-diagonal untouched');
  });

  it('stops at jitter 100 even when that is not enough, and returns that factorisation', () => {
    const k = [Float64Array.from([1, 1000]), Float64Array.from([1000, 1])];
    const l = lowerFactor(k);
    close(l[0]! * l[0]!, 101, 1e-9, 'L(0, 0)² = 1 + 100');
  });

  it('predicts as k(x)ᵀ K⁻¹ y with variance signal − k(x)ᵀ K⁻¹ k(x), categorical coordinates included', () => {
    const kinds = [0, 0, 1];
    const raw = [
      [0.1, 0.2, 0],
      [0.5, 0.9, 1],
      [0.8, 0.3, 0],
      [0.3, 0.6, 2],
    ];
    const y = [0.7, -1.1, 0.4, 1.6];
    const h = hyper([0.4, 0.7, 1.3], 1.4, 0.05);
    const gp = new GpPosterior(raw.map((p) => Float64Array.from(p)), Float64Array.from(y), h, Uint8Array.from(kinds));
    const big = raw.map((a, i) => raw.map((b, k) => kernel(a, b, kinds, h) + (i === k ? h.noise + 1e-8 : 0)));
    for (const x of [
      [0.2, 0.4, 0],
      [0.5, 0.9, 1],
      [0.9, 0.1, 2],
      [0.45, 0.5, 1],
    ]) {
      const kx = raw.map((p) => kernel(x, p, kinds, h));
      const alpha = solve(big, y);
      const mean = kx.reduce((s, v, i) => s + v * alpha[i]!, 0);
      const w = solve(big, kx);
      const variance = h.signal - kx.reduce((s, v, i) => s + v * w[i]!, 0);
      const got = gp.predict(Float64Array.from(x));
      close(got.mean, mean, 1e-9, `mean at ${x.join(', ')}`);
      close(got.variance, variance, 1e-9, `variance at ${x.join(', ')}`);
    }
  });

  it('predicts one point by hand: mean k·y/(s + σ²), variance s − k²/(s + σ²)', () => {
    const h = hyper([0.5], 2, 0.5);
    const gp = new GpPosterior([Float64Array.from([0.2])], Float64Array.from([3]), h, Uint8Array.from([0]));
    const k = 2 * matern(0.3 / 0.5);
    const got = gp.predict(Float64Array.from([0.5]));
    close(got.mean, (k * 3) / (2.5 + 1e-8), 1e-9, 'mean');
    close(got.variance, 2 - (k * k) / (2.5 + 1e-8), 1e-9, 'variance');
  });

  it('reverts to the prior far from the data, and never reports a variance below 1e-12', () => {
    const h = hyper([0.1, 0.1], 0.8, 1e-4);
    const gp = new GpPosterior([Float64Array.from([0, 0]), Float64Array.from([0.1, 0])], Float64Array.from([1, 2]), h, Uint8Array.from([0, 0]));
    const far = gp.predict(Float64Array.from([50, 50]));
    close(far.mean, 0, 1e-12, 'prior mean');
    close(far.variance, 0.8, 1e-12, 'prior variance');
    const tiny = new GpPosterior([Float64Array.from([0])], Float64Array.from([1]), hyper([0.1], 1e-13, 0), Uint8Array.from([0]));
    assert.equal(tiny.predict(Float64Array.from([50])).variance, 1e-12);
    // At a training point with little noise: its value, and a variance near the noise.
    const at = gp.predict(Float64Array.from([0.1, 0]));
    close(at.mean, 2, 1e-3, 'mean at a training point');
    assert.ok(at.variance > 0 && at.variance < 2e-4, `variance at a training point ${at.variance}`);
  });
});

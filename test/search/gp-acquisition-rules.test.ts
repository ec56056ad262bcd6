// Log expected improvement against high-precision values, and the search for its maximum:
// the candidates it scores (quasi-random, near the incumbents, then refined) and the point it returns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import { logExpectedImprovement, logH, maximiseAcquisition } from '../../src/search/gp-acquisition.js';
import { gpSpace, type GpCoordinate } from '../../src/search/gp-space.js';
import { paramStream } from '../../src/search/rng.js';

const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

function coordinatesOf(parameters: Record<string, Distribution>): GpCoordinate[] {
  return gpSpace(parameters, Object.keys(parameters).sort()).coordinates;
}

/** Runs the search, recording every point it scores, in order, with its score. */
function searchOf(coordinates: GpCoordinate[], score: (x: Float64Array) => number, incumbents: Float64Array[], seed = 3) {
  const seen: { x: Float64Array; score: number }[] = [];
  const best = maximiseAcquisition({
    coordinates,
    score: (x) => {
      const s = score(x);
      seen.push({ x: Float64Array.from(x), score: s });
      return s;
    },
    incumbents,
    rng: paramStream(seed, 11, 'gp:acquisition'),
  });
  return { best, seen };
}

describe('gp-acquisition', () => {
  it('computes log h(z) = log(φ(z) + zΦ(z)) on both sides of z = −1 (high-precision values)', () => {
    // Above −1: φ and Φ directly (Φ good to about 1.5e-7).
    close(logH(-0.5), -1.6205162643873197, 1e-6, 'z = −0.5');
    close(logH(0.5), -0.35982768374506374, 1e-6, 'z = 0.5');
    close(logH(1), 0.08002621884930704, 1e-6, 'z = 1');
    close(logH(3), 1.0987396653277077, 1e-6, 'z = 3');
    close(logH(-0.999), -2.4832171154475855, 1e-6, 'z = −0.999');
    // From −1 down: the continued fraction (60 terms: about 2e-6 at −1, far better below).
    close(logH(-1), -2.4851210257126413, 1e-5, 'z = −1');
    close(logH(-1.001), -2.487025657955389, 1e-5, 'z = −1.001');
    close(logH(-1.5), -3.52993592080571, 1e-8, 'z = −1.5');
    close(logH(-3), -7.869686059603028, 1e-12, 'z = −3');
    close(logH(-10), -55.55312203612236, 1e-12, 'z = −10');
    close(logH(-30), -457.724653760598, 1e-11, 'z = −30');
  });

  it('is log σ + log h((best − μ)/σ): log EI of a normal prediction, for minimisation', () => {
    close(logExpectedImprovement(1, 4, 0), Math.log(2) + logH(-0.5), 1e-12, 'μ 1, σ 2, best 0');
    close(logExpectedImprovement(-1, 0.25, 0.5), Math.log(0.5) + logH(3), 1e-12, 'μ −1, σ 0.5, best 0.5');
    close(logExpectedImprovement(3, 1, 0), logH(-3), 1e-12, 'μ 3, σ 1, best 0');
    // More spread, more hope; a lower mean, more improvement.
    assert.ok(logExpectedImprovement(0, 4, -1) > logExpectedImprovement(0, 1, -1));
    assert.ok(logExpectedImprovement(-0.5, 1, 0) > logExpectedImprovement(0.5, 1, 0));
  });

  it('scores 256 quasi-random points, 16 near each incumbent (8 close, 8 wider), then 4 × 24 refinements', () => {
    const coordinates = coordinatesOf({ a: { type: 'uniform', min: 0, max: 1 } });
    const incumbents = [Float64Array.from([0.5]), Float64Array.from([0.2])];
    const { seen } = searchOf(coordinates, (x) => -Math.abs(x[0]! - 0.9), incumbents);
    assert.equal(seen.length, 256 + 32 + 4 * 24);
    // The Halton points of base 2, rotated: 256 distinct points spread over [0, 1).
    const halton = seen.slice(0, 256).map((s) => s.x[0]!);
    assert.equal(new Set(halton).size, 256);
    assert.ok(Math.min(...halton) < 0.01 && Math.max(...halton) > 0.99);
    incumbents.forEach((inc, j) => {
      const near = seen.slice(256 + 16 * j, 256 + 16 * j + 16).map((s) => Math.abs(s.x[0]! - inc[0]!));
      assert.ok(Math.max(...near.slice(0, 8)) < 0.1, `close ones: ${near.slice(0, 8).join(', ')}`);
      assert.ok(Math.max(...near.slice(8)) > 0.04 && Math.max(...near.slice(8)) < 0.5, `wider ones: ${near.slice(8).join(', ')}`);
      assert.ok(near.every((d) => d > 0), 'every one moved');
    });
  });

  it('refines the four best starts with shrinking steps and returns the best point it scored', () => {
    const coordinates = coordinatesOf({ a: { type: 'uniform', min: 0, max: 1 }, b: { type: 'uniform', min: 0, max: 1 } });
    const target = [0.3141, 0.7182];
    const score = (x: Float64Array): number => -((x[0]! - target[0]!) ** 2) - (x[1]! - target[1]!) ** 2;
    const { best, seen } = searchOf(coordinates, score, [Float64Array.from([0.6, 0.6])]);
    const starts = seen.slice(0, 256 + 16);
    const topStart = Math.max(...starts.map((s) => s.score));
    const top = Math.max(...seen.map((s) => s.score));
    assert.equal(score(best), top, 'the best point scored');
    assert.ok(top > topStart, 'refinement improves on the starts');
    // Each refinement starts from one of the four best starts and stays near it (steps from 0.1 down).
    const ranked = [...starts].sort((p, q) => q.score - p.score).slice(0, 4);
    const refined = seen.slice(256 + 16);
    for (let s = 0; s < 4; s++) {
      const first = refined[s * 24]!.x;
      const d = Math.min(...ranked.map((r) => Math.hypot(r.x[0]! - first[0]!, r.x[1]! - first[1]!)));
      assert.ok(d < 0.5, `refinement ${s} starts near a top start (${d})`);
    }
    // The later steps are small: the last moves of a refinement stay close to where it was.
    const last = refined.slice(20, 24).map((r) => r.x);
    assert.ok(Math.hypot(last[3]![0]! - last[0]![0]!, last[3]![1]! - last[0]![1]!) < 0.2);
    assert.ok(Math.hypot(best[0]! - target[0]!, best[1]! - target[1]!) < 0.01, `best ${best.join(', ')}`);
  });

  it('splits the 16 points near an incumbent into 8 close ones (step 0.02) and 8 wider ones (step 0.1)', () => {
    const coordinates = coordinatesOf({ a: { type: 'uniform', min: 0, max: 1 } });
    const incumbents = Array.from({ length: 12 }, () => Float64Array.from([0.5]));
    const { seen } = searchOf(coordinates, (x) => -x[0]!, incumbents);
    const meanGap = (i: number): number => incumbents.reduce((sum, _, j) => sum + Math.abs(seen[256 + 16 * j + i]!.x[0]! - 0.5), 0) / incumbents.length;
    // |N(0, σ²)| averages 0.8σ: about 0.016 for the close ones, 0.08 for the wider ones.
    for (const i of [0, 7]) assert.ok(meanGap(i) < 0.03, `point ${i}: ${meanGap(i)}`);
    for (const i of [8, 15]) assert.ok(meanGap(i) > 0.045, `point ${i}: ${meanGap(i)}`);
  });

  it('on a flat score keeps each refinement at its start (only a higher score moves it) and returns the first start', () => {
    const coordinates = coordinatesOf({ a: { type: 'uniform', min: 0, max: 1 } });
    const { best, seen } = searchOf(coordinates, () => 0, []);
    // Ties keep the sort's order: the refinements start from the first four points.
    for (let s = 0; s < 4; s++) {
      const start = seen[s]!.x[0]!;
      const late = seen.slice(256 + 24 * s + 18, 256 + 24 * s + 24).map((p) => Math.abs(p.x[0]! - start));
      assert.ok(Math.max(...late) < 0.03, `refinement ${s}: ${late.join(', ')}`);
    }
    assert.deepEqual(best, seen[0]!.x);
  });

  it('keeps a categorical coordinate near an incumbent mostly as it is, and changes it now and then', () => {
    const parameters: Record<string, Distribution> = { c: { type: 'categorical', values: ['a', 'b', 'c'] } };
    for (let i = 0; i < 9; i++) parameters[`x${i}`] = { type: 'uniform', min: 0, max: 1 };
    const coordinates = coordinatesOf(parameters);
    const incumbent = Float64Array.from([1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const kept: number[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const { seen } = searchOf(coordinates, (x) => -Math.abs(x[1]! - 0.5), [incumbent], seed);
      const near = seen.slice(256, 256 + 16);
      for (const s of near) assert.ok([0, 1, 2].includes(s.x[0]!), 'a category index');
      kept.push(near.filter((s) => s.x[0] === 1).length);
    }
    // Switched with chance 1/10 (to a fresh draw of three): about 15 of 16 stay.
    const total = kept.reduce((a, b) => a + b, 0);
    assert.ok(total >= 54 && total < 64, `kept ${kept.join(', ')}`);
  });

  it('switches a lone categorical coordinate half the time', () => {
    const coordinates = coordinatesOf({ c: { type: 'categorical', values: ['a', 'b', 'c', 'd'] } });
    let kept = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { seen } = searchOf(coordinates, (x) => -x[0]!, [Float64Array.from([2])], seed);
      kept += seen.slice(256, 256 + 16).filter((s) => s.x[0] === 2).length;
    }
    // Kept with chance 1/2 + 1/2 · 1/4 = 5/8 of 96: about 60.
    assert.ok(kept > 45 && kept < 75, `kept ${kept} of 96`);
  });

  it('is reproducible for one stream, and another stream rotates the quasi-random points', () => {
    const coordinates = coordinatesOf({ a: { type: 'uniform', min: 0, max: 1 }, b: { type: 'uniform', min: 0, max: 1 } });
    const score = (x: Float64Array): number => Math.sin(7 * x[0]!) + Math.cos(5 * x[1]!);
    const a = searchOf(coordinates, score, [], 5);
    const b = searchOf(coordinates, score, [], 5);
    const c = searchOf(coordinates, score, [], 6);
    assert.deepEqual(a.best, b.best);
    assert.notDeepEqual(a.seen[0]!.x, c.seen[0]!.x);
  });
});

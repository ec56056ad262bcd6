/**
 * The tree's one seeded randomness (core/random.ts): the samplers' parameter draws are pinned
 * (the values main drew before the implementation moved here), and the trainer's generator is
 * deterministic, independent per stream, and sound in distribution.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveSeed, Rng, trialSeed } from '../../src/core/random.js';
import { paramStream } from '../../src/search/rng.js';

describe('core/random', () => {
  it('draws the same parameter values as before for a given seed (search/rng.ts re-exports them)', () => {
    const s = paramStream(7, 3, 'learning_rate');
    assert.deepEqual([s.uniform(), s.uniform(), s.int(0, 9)], [0.2280473048179944, 0.92609272006837, 2]);
  });

  it('keys trial seeds and trainer streams by their inputs alone', () => {
    assert.equal(trialSeed(7, 1), trialSeed(7, 1));
    assert.notEqual(trialSeed(7, 1), trialSeed(7, 2));
    assert.notEqual(trialSeed(7, 1), trialSeed(8, 1));
    assert.notEqual(deriveSeed(5, 'init'), deriveSeed(5, 'dropout'));
    const a = new Rng(deriveSeed(5, 'init'));
    const b = new Rng(deriveSeed(5, 'init'));
    assert.deepEqual(Array.from({ length: 5 }, () => a.uniform()), Array.from({ length: 5 }, () => b.uniform()));
  });

  it('gives uniform and normal variates with the right moments, and permutations', () => {
    const rng = new Rng(123);
    const n = 20000;
    const u = Array.from({ length: n }, () => rng.uniform());
    const z = Array.from({ length: n }, () => rng.normal());
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(u.every((x) => x >= 0 && x < 1));
    assert.ok(Math.abs(mean(u) - 0.5) < 0.01);
    assert.ok(Math.abs(mean(z)) < 0.03);
    assert.ok(Math.abs(mean(z.map((x) => x * x)) - 1) < 0.04);
    assert.deepEqual([...rng.permutation(50)].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  });
});

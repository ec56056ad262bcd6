// Hyperband's brackets and cuts, with the figures of Li et al. (2018), computed by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HyperbandTerminate } from '../../src/core/spec.js';
import { StudyCurves } from '../../src/prune/curves.js';
import { bracketCount, bracketOf, bracketWeights, HyperbandPruner } from '../../src/prune/hyperband.js';

const METRIC = 'val_accuracy';
const HB: HyperbandTerminate = { type: 'hyperband', metric: METRIC, restore_best: false, min_resource: 1, max_resource: 27, reduction_factor: 3, brackets: null };

/** A complete trial 0 at 0.9 and a running trial 1 at 0.1, every epoch up to `epochs`. */
function goodAndBad(epochs: number): StudyCurves {
  const c = new StudyCurves(METRIC);
  const curve = (v: number) => Array.from({ length: epochs }, (_, epoch) => ({ epoch, metrics: { [METRIC]: v } }));
  c.set(0, 'complete', curve(0.9));
  c.set(1, 'running', curve(0.1));
  return c;
}

/** A draw u that lands in bracket b for these weights (the middle of its share). */
function drawFor(b: number, weights: readonly number[]): number {
  const before = weights.slice(0, b).reduce((a, w) => a + w, 0);
  return (before + (weights[b] as number) / 2) / weights.reduce((a, w) => a + w, 0);
}

/** Epochs trained (1-based) at which the losing trial 1 is cut, when both trials are in bracket b. */
function cutsOf(config: HyperbandTerminate, b: number): number[] {
  const weights = bracketWeights(bracketCount(config), config.reduction_factor);
  const u = drawFor(b, weights);
  const hb = new HyperbandPruner(config, false, () => u);
  assert.equal(hb.bracket(1), b);
  const c = goodAndBad(config.max_resource);
  const cuts: number[] = [];
  for (let epoch = 0; epoch < config.max_resource; epoch++) if (hb.prune(c, 1, epoch).stop) cuts.push(epoch + 1);
  return cuts;
}

describe('hyperband brackets', () => {
  it('counts ⌊log_η(max/min)⌋ + 1 brackets, capped by `brackets`', () => {
    assert.equal(bracketCount(HB), 4, '27 = 3³: s_max = 3');
    assert.equal(bracketCount({ ...HB, max_resource: 26 }), 3, '3² ≤ 26 < 3³');
    assert.equal(bracketCount({ ...HB, max_resource: 81 }), 5);
    assert.equal(bracketCount({ ...HB, min_resource: 2, max_resource: 54 }), 4, '54 / 2 = 27');
    assert.equal(bracketCount({ ...HB, reduction_factor: 2, max_resource: 8 }), 4);
    assert.equal(bracketCount({ ...HB, reduction_factor: 2, max_resource: 7 }), 3);
    assert.equal(bracketCount({ ...HB, brackets: 2 }), 2);
    assert.equal(bracketCount({ ...HB, brackets: 9 }), 4, 'no more brackets than fit');
  });

  it("shares trials as Hyperband's n = ⌈(s_max + 1) / (s + 1) · η^s⌉", () => {
    // Li et al., table 1 (R = 81, η = 3): n = 81, 34, 15, 8, 5 for s = 4 … 0.
    assert.deepEqual(bracketWeights(5, 3), [81, 34, 15, 8, 5]);
    // R = 27: 27, ⌈4/3 · 9⌉ = 12, ⌈4/2 · 3⌉ = 6, 4.
    assert.deepEqual(bracketWeights(4, 3), [27, 12, 6, 4]);
    // η = 2, R = 8: 8, ⌈4/3 · 4⌉ = 6, ⌈4/2 · 2⌉ = 4, 4.
    assert.deepEqual(bracketWeights(4, 2), [8, 6, 4, 4]);
    assert.deepEqual(bracketWeights(1, 3), [1]);
  });

  it('puts a draw in the bracket whose share of [0, 1) holds it', () => {
    const weights = [1, 1, 2];
    assert.deepEqual([0, 0.2499, 0.25, 0.4999, 0.5, 0.99].map((u) => bracketOf(u, weights)), [0, 0, 1, 1, 2, 2]);
    assert.equal(bracketOf(1, weights), 2, 'a draw at the top stays in the last bracket');
    // 49 evenly spread draws fall 27, 12, 6, 4 into the brackets of R = 27.
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 49; i++) (counts[bracketOf((i + 0.5) / 49, [27, 12, 6, 4])] as number)++;
    assert.deepEqual(counts, [27, 12, 6, 4]);
  });
  it("draws each trial's bracket once and keeps it", () => {
    const asked: number[] = [];
    const hb = new HyperbandPruner(HB, false, (n) => {
      asked.push(n);
      return asked.length === 1 ? 0.99 : 0;
    });
    assert.equal(hb.bracket(5), 3);
    assert.equal(hb.bracket(5), 3, 'a later draw does not move it');
    hb.prune(goodAndBad(1), 5, 0);
    assert.equal(hb.bracket(6), 0);
    assert.deepEqual(asked, [5, 6]);
  });
});

describe('hyperband cuts', () => {
  it('cuts bracket b first at min_resource · η^b epochs, never at max_resource', () => {
    // R = 27, η = 3: bracket 0 cuts at 1, 3, 9; bracket 1 at 3, 9; bracket 2 at 9; bracket 3 trains everyone to 27.
    assert.deepEqual([0, 1, 2, 3].map((b) => cutsOf(HB, b)), [[1, 3, 9], [3, 9], [9], []]);
    // min 2, η = 2, max 16: rungs at 2, 4, 8 for bracket 0, from 4 for bracket 1, …
    const two = { ...HB, min_resource: 2, reduction_factor: 2, max_resource: 16 };
    assert.deepEqual([0, 1, 2, 3].map((b) => cutsOf(two, b)), [[2, 4, 8], [4, 8], [8], []]);
  });

  it('caps the brackets with `brackets`, keeping the most aggressive ones', () => {
    const capped = { ...HB, brackets: 2 };
    assert.deepEqual(bracketWeights(bracketCount(capped), 3), [3, 2], "⌈2/2 · 3⌉, ⌈2/1 · 1⌉");
    assert.deepEqual([0, 1].map((b) => cutsOf(capped, b)), [[1, 3, 9], [3, 9]]);
  });

  it('says the bracket, the rung and the figures', () => {
    const weights = bracketWeights(4, 3);
    const hb = new HyperbandPruner(HB, false, () => drawFor(1, weights));
    assert.deepEqual(hb.prune(goodAndBad(3), 1, 2), {
      stop: true,
      state: 'pruned',
      reason: 'hyperband bracket 1, epoch 2 (rung 0, 3 epochs): val_accuracy 0.1 is not in the top 1 of 2 trials there (needs ≥ 0.9)',
    });
    const losses = new HyperbandPruner({ ...HB, metric: 'val_loss' }, true, () => 0);
    const c = new StudyCurves('val_loss');
    c.set(0, 'complete', [{ epoch: 0, metrics: { val_loss: 0.25 } }]);
    c.set(1, 'running', [{ epoch: 0, metrics: { val_loss: 0.5 } }]);
    assert.deepEqual(losses.prune(c, 1, 0), {
      stop: true,
      state: 'pruned',
      reason: 'hyperband bracket 0, epoch 0 (rung 0, 1 epochs): val_loss 0.5 is not in the top 1 of 2 trials there (needs ≤ 0.25)',
    });
    assert.equal(losses.prune(c, 0, 0).stop, false);
  });

  it('ranks a trial only against the trials of its own bracket', () => {
    // Trials 0 and 1 in bracket 0; trial 2 (bracket 1) is better than both at epoch 0 but does not count.
    const weights = bracketWeights(4, 3);
    const draws = [drawFor(0, weights), drawFor(0, weights), drawFor(1, weights)];
    const hb = new HyperbandPruner(HB, false, (n) => draws[n] as number);
    const c = new StudyCurves(METRIC);
    c.set(0, 'complete', [{ epoch: 0, metrics: { [METRIC]: 0.3 } }]);
    c.set(1, 'running', [{ epoch: 0, metrics: { [METRIC]: 0.5 } }]);
    c.set(2, 'complete', [{ epoch: 0, metrics: { [METRIC]: 0.9 } }]);
    assert.equal(hb.prune(c, 1, 0).stop, false, 'best of its bracket');
    const d = hb.prune(c, 0, 0);
    assert.match(d.stop ? d.reason : '', /top 1 of 2 trials there \(needs ≥ 0\.5\)$/);
  });
});

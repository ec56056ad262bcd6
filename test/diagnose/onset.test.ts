// Where the validation loss bottoms out: a one-epoch dip in the noise does not move the onset
// (the moving average), the dip wins without it, and a minimum at the last epoch is no onset.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Point } from '../../src/diagnose/curves.js';
import { valleyOf } from '../../src/diagnose/curves.js';
import { DEFAULT_THRESHOLDS } from '../../src/diagnose/thresholds.js';

const curve = (f: (e: number) => number, n: number): Point[] => Array.from({ length: n }, (_, epoch) => ({ epoch, value: f(epoch) }));
// A U lowest at epoch 8 with a one-epoch dip to 0.45 at epoch 3; the training loss keeps falling.
const val = curve((e) => (e === 3 ? 0.45 : 0.5 + 0.01 * (e - 8) ** 2), 20);
const train = curve((e) => 1 / (e + 1), 20);

describe('valleyOf: the onset epoch', () => {
  it('the dip is smoothed away: the onset is the bottom of the U, with its raw value', () => {
    const v = valleyOf(val, train, DEFAULT_THRESHOLDS);
    assert.equal(v?.minEpoch, 8);
    assert.equal(v?.minValue, 0.5);
    assert.equal(v?.onset, true);
    assert.deepEqual(v?.last, { epoch: 19, value: 0.5 + 0.01 * 121 });
  });

  it('without smoothing and refinement the dip is the minimum', () => {
    const v = valleyOf(val, train, { ...DEFAULT_THRESHOLDS, onsetSmoothing: 0, onsetFitEpochs: 0 });
    assert.equal(v?.minEpoch, 3);
    assert.equal(v?.minValue, 0.45);
    // Final level mean(1.31, 1.5, 1.71) = 1.50667 over 0.45.
    assert.ok(Math.abs((v?.rise ?? 0) - (0.5 + 3.02 / 3 - 0.45) / 0.45) < 1e-12, String(v?.rise));
  });

  it('a curve still falling at its last epoch has no onset; no finite point, no valley', () => {
    const falling = curve((e) => 2 - 0.1 * e, 10);
    assert.equal(valleyOf(falling, train, DEFAULT_THRESHOLDS)?.onset, false);
    assert.equal(valleyOf([{ epoch: 0, value: Number.NaN }], train, DEFAULT_THRESHOLDS), null);
  });
});

// The least-squares parabola that refines an overfit onset, on the fewest points it accepts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parabolaVertex } from '../../src/diagnose/stats.js';

const close = (a: number | null, b: number): void => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

describe('parabolaVertex on three points', () => {
  it('y = 4 − 4x + x² through (0, 4), (1, 1), (2, 0) bottoms out at x = 2, whichever list is longer', () => {
    close(parabolaVertex([0, 1, 2], [4, 1, 0]), 2);
    close(parabolaVertex([0, 1, 2, 9], [4, 1, 0]), 2);
    close(parabolaVertex([0, 1, 2], [4, 1, 0, 9]), 2);
  });
});

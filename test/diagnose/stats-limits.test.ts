// The study helpers at their limits: the parabola that refines an overfit onset on the fewest
// points it accepts, and a proposed cut between two values closer than 15 digits can tell apart.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parabolaVertex, roundBetween } from '../../src/diagnose/stats.js';

const close = (a: number | null, b: number): void => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

describe('parabolaVertex on three points', () => {
  it('y = 4 − 4x + x² through (0, 4), (1, 1), (2, 0) bottoms out at x = 2, whichever list is longer', () => {
    close(parabolaVertex([0, 1, 2], [4, 1, 0]), 2);
    close(parabolaVertex([0, 1, 2, 9], [4, 1, 0]), 2);
    close(parabolaVertex([0, 1, 2], [4, 1, 0, 9]), 2);
  });
});

describe('roundBetween past 15 significant digits', () => {
  it('no rounding lands between two values 4e-15 apart: the target itself when inside, else none', () => {
    assert.equal(roundBetween(1, 1 + 4e-15, 1 + 2e-15, false), 1 + 2e-15);
    assert.equal(roundBetween(1, 1 + 4e-15, 1 + 8e-15, false), null);
    assert.equal(roundBetween(1, 1 + 4e-15, 1 + 4e-15, false), null, 'strictly inside');
  });
});

// PBT's population arithmetic with figures worked by hand: quantile sizes, ranking, which of
// the top quantile a loser copies, and segment ends clipped to the epochs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextSegment, quantileSize, rank, type PopulationOptions, type Segment } from '../../src/search/pbt.js';

const fixed = (u: number): { uniform: () => number } => ({ uniform: () => u });
const seg = (trial: number, member: number, start: number, value: number | null, state: Segment['state'] = 'complete', end = start + 2): Segment => ({ trial, member, start, end, state, value, params: {} });
const EIGHT: PopulationOptions = { population: 8, interval: 2, epochs: 5, quantile_fraction: 0.25, synch: false, direction: 'maximize' };

describe('pbt population arithmetic', () => {
  it('sizes each quantile ⌈n·q⌉, at most half the members, at least one', () => {
    assert.deepEqual([[4, 0.25], [10, 0.25], [8, 0.25], [3, 0.9], [1, 0.25], [2, 0.5], [9, 0.3]].map(([n, q]) => quantileSize(n as number, q as number)), [1, 3, 2, 1, 1, 1, 3]);
  });

  it('ranks scored segments best first in the direction, ties by member, and drops the unscored', () => {
    const ss = [seg(0, 3, 0, 0.5), seg(1, 1, 0, 0.5), seg(2, 2, 0, 0.9), seg(3, 0, 0, 0.1), seg(4, 4, 0, null), seg(5, 5, 0, Number.NaN), seg(6, 6, 0, 0.99, 'pruned')];
    assert.deepEqual(rank(ss, 'maximize').map((s) => s.member), [2, 1, 3, 0]);
    assert.deepEqual(rank(ss, 'minimize').map((s) => s.member), [0, 1, 3, 2]);
  });

  it('lets a loser copy one of the top quantile, picked by the draw, and clips the segment to the epochs', () => {
    // Eight members after epoch 2, values 0.0 .. 0.7 by member: quantile ⌈8 · 0.25⌉ = 2.
    const gen = Array.from({ length: 8 }, (_, m) => seg(m, m, 0, m / 10));
    // Members 0 and 1 (the bottom two) are first in line; 2..7 wait their turn behind them.
    const first = nextSegment(gen, EIGHT, fixed(0));
    assert.ok(first.kind === 'exploit' && first.member === 0 && first.from.member === 7, JSON.stringify(first));
    const second = nextSegment(gen, EIGHT, fixed(0.6));
    assert.ok(second.kind === 'exploit' && second.from.member === 6, JSON.stringify(second));
    // From epoch 2 with interval 2: epochs 2..4; the last one clipped to 5.
    assert.equal(first.start, 2);
    assert.equal(first.end, 4);
    const late = Array.from({ length: 8 }, (_, m) => seg(m, m, 2, m / 10, 'complete', 4));
    const clipped = nextSegment(late, EIGHT, fixed(0));
    assert.ok(clipped.kind === 'exploit' && clipped.start === 4 && clipped.end === 5, JSON.stringify(clipped));
    // A member in the middle goes on from its own weights.
    // (Member 0 at 0.35 ranks fifth of eight: above the bottom two.)
    const middle = nextSegment(gen.map((s) => (s.member === 0 ? { ...s, value: 0.35 } : s)), EIGHT, fixed(0));
    assert.ok(middle.kind === 'continue' && middle.member === 0 && middle.from.trial === 0 && middle.start === 2, JSON.stringify(middle));
  });

  it('does not copy a member behind it in epochs, nor start one past its epochs', () => {
    // Member 0 (worst) at epoch 4, the best (member 1) finished only epoch 2 (now training on): member 0 goes on.
    const ss = [seg(0, 0, 0, 0.1), seg(1, 1, 0, 0.9), seg(2, 0, 2, 0.1, 'complete', 4), seg(3, 1, 2, null, 'running')];
    const next = nextSegment(ss, { ...EIGHT, population: 2 }, fixed(0));
    assert.ok(next.kind === 'continue' && next.member === 0 && next.start === 4 && next.end === 5, JSON.stringify(next));
    // The first segment of a member never runs past the epochs.
    assert.deepEqual(nextSegment([], { ...EIGHT, epochs: 1 }, fixed(0)), { kind: 'new', member: 0, start: 0, end: 1 });
  });
});

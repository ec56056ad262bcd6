// PBT's population rules one at a time, with segments built by hand: who is ready, in what
// order, whom a loser or a diverged member copies, what synch judges on, and which
// checkpoints must be kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byMember, neededCheckpoints, nextSegment, type NextSegment, type PopulationOptions, type Segment } from '../../src/search/pbt.js';

const fixed = (u: number): { uniform: () => number } => ({ uniform: () => u });
/** Segment `trial` of `member`, epochs [start, start + 2). */
const seg = (trial: number, member: number, start: number, value: number | null, state: Segment['state'] = 'complete'): Segment => ({ trial, member, start, end: start + 2, state, value, params: {} });
const OPTS: PopulationOptions = { population: 2, interval: 2, epochs: 6, quantile_fraction: 0.25, synch: false, direction: 'maximize' };
/** The decision in a few words: kind, member, start, and the trial it starts from. */
const brief = (n: NextSegment): string => (n.kind === 'wait' || n.kind === 'done' ? n.kind : `${n.kind} ${n.member} @${n.start}${n.kind === 'new' ? '' : ` from ${n.from.trial}`}`);

describe('pbt population rules', () => {
  it('orders each member’s segments by trial, whatever order they are stored in', () => {
    const stored = [seg(4, 0, 4, 0.3), seg(1, 1, 0, 0.2), seg(0, 0, 0, 0.1), seg(3, 1, 2, 0.5), seg(2, 0, 2, 0.4)];
    const members = byMember(stored);
    assert.deepEqual(members.get(0)?.map((s) => s.trial), [0, 2, 4]);
    assert.deepEqual(members.get(1)?.map((s) => s.trial), [1, 3]);
    // Member 1 (at epoch 4, behind member 0) goes on from its latest segment, trial 3.
    assert.equal(brief(nextSegment(stored, OPTS, fixed(0))), 'continue 1 @4 from 3');
  });

  it('drops a failed member, and gives a running one nothing', () => {
    // Member 0 failed: it is not revived by copying member 1; member 1 goes on.
    assert.equal(brief(nextSegment([seg(0, 0, 0, null, 'failed'), seg(1, 1, 0, 0.5)], OPTS, fixed(0))), 'continue 1 @2 from 1');
    // Member 0 is still training its first segment: only member 1 is ready.
    assert.equal(brief(nextSegment([seg(0, 0, 0, null, 'running'), seg(1, 1, 0, 0.9)], OPTS, fixed(0))), 'continue 1 @2 from 1');
  });

  it('passes over a diverged member with nothing to copy, to the next ready one or a wait', () => {
    // Member 1 is complete without a value (nothing to rank): member 0 has no donor, member 1 goes on.
    assert.equal(brief(nextSegment([seg(0, 0, 0, null, 'diverged'), seg(1, 1, 0, Number.NaN)], OPTS, fixed(0))), 'continue 1 @2 from 1');
    assert.equal(brief(nextSegment([seg(0, 0, 0, null, 'diverged'), seg(1, 1, 0, null, 'running')], OPTS, fixed(0))), 'wait');
    // The only donor has trained all its epochs (4): nothing is left to take from it.
    const over = [seg(0, 0, 0, null, 'diverged'), seg(1, 1, 0, 0.5), seg(2, 1, 2, 0.9)];
    assert.equal(brief(nextSegment(over, { ...OPTS, epochs: 4 }, fixed(0))), 'done');
  });

  it('decides first for the member furthest behind, then by member number', () => {
    // Stored in the order members 2, 1, 0; member 0 is at epoch 4, members 1 and 2 at epoch 2.
    const ss = [seg(0, 2, 0, 0.5), seg(1, 1, 0, 0.5), seg(2, 0, 0, 0.5), seg(3, 0, 2, 0.5)];
    assert.equal(brief(nextSegment(ss, { ...OPTS, population: 3 }, fixed(0))), 'continue 1 @2 from 1');
  });

  it('lets the worse of two members copy the better', () => {
    assert.equal(brief(nextSegment([seg(0, 0, 0, 0.1), seg(1, 1, 0, 0.9)], OPTS, fixed(0))), 'exploit 0 @2 from 1');
    assert.equal(brief(nextSegment([seg(0, 0, 0, 0.1), seg(1, 1, 0, 0.9)], { ...OPTS, direction: 'minimize' }, fixed(0))), 'continue 0 @2 from 0');
  });

  it('never copies a member that has trained all its epochs', () => {
    // Member 1 finished epoch 4 of 4 at 0.9; member 0, worse at epoch 2, goes on from its own weights.
    const ss = [seg(0, 1, 0, 0.8), seg(1, 0, 0, 0.1), seg(2, 1, 2, 0.9)];
    const next = nextSegment(ss, { ...OPTS, epochs: 4 }, fixed(0));
    assert.ok(next.kind === 'continue' && next.member === 0 && next.start === 2 && next.end === 4, JSON.stringify(next));
  });

  it('has a diverged member copy one of the top quantile, picked by the draw', () => {
    // Member 0 diverged; members 1..7 scored 0.1..0.7. Quantile ⌈7 · 0.25⌉ = 2: members 7 and 6.
    const ss = [seg(0, 0, 0, null, 'diverged'), ...Array.from({ length: 7 }, (_, i) => seg(i + 1, i + 1, 0, (i + 1) / 10))];
    const from = (u: number): string => brief(nextSegment(ss, { ...OPTS, population: 8 }, fixed(u)));
    assert.deepEqual([0, 0.49, 0.6, 0.99].map(from), ['exploit 0 @2 from 7', 'exploit 0 @2 from 7', 'exploit 0 @2 from 6', 'exploit 0 @2 from 6']);
  });

  it('under synch, goes on once every member reached the epoch, and ranks at that epoch', () => {
    const synch = { ...OPTS, synch: true };
    // Both members finished epochs 2 and 4: the next segment starts at 4 (member 0, the better at epoch 4, goes on).
    const two = [seg(0, 0, 0, 0.5), seg(1, 1, 0, 0.6), seg(2, 0, 2, 0.7), seg(3, 1, 2, 0.4)];
    assert.equal(brief(nextSegment(two, synch, fixed(0))), 'continue 0 @4 from 2');
    // Ranked at epoch 4, not on each member's first result: member 0 led at epoch 2 but trails at epoch 4.
    const turned = [seg(0, 0, 0, 0.6), seg(1, 1, 0, 0.5), seg(2, 0, 2, 0.4), seg(3, 1, 2, 0.7)];
    assert.equal(brief(nextSegment(turned, synch, fixed(0))), 'exploit 0 @4 from 3');
    // Member 1 still trains epochs 2..4: member 0, done with epoch 4, waits for it (a finished epoch 2 is not enough).
    const behind = [seg(0, 0, 0, 0.5), seg(1, 1, 0, 0.6), seg(2, 0, 2, 0.7), seg(3, 1, 2, null, 'running')];
    assert.equal(brief(nextSegment(behind, synch, fixed(0))), 'wait');
    // Member 1 was 0.9 at epoch 2 and 0.1 at epoch 4; member 0 is 0.5 at epoch 2. Judged at epoch 2 (synch)
    // member 0 is the worse and copies member 1's epoch-2 weights; judged on the latest results, it is the better.
    const ahead = [seg(0, 1, 0, 0.9), seg(1, 0, 0, 0.5), seg(2, 1, 2, 0.1)];
    assert.equal(brief(nextSegment(ahead, synch, fixed(0))), 'exploit 0 @2 from 0');
    assert.equal(brief(nextSegment(ahead, OPTS, fixed(0))), 'continue 0 @2 from 1');
  });

  it('keeps each member’s latest checkpoint and those an unfinished segment starts from', () => {
    // Member 0 went on from trial 0 to trial 1; member 1 copies trial 1 in trial 3; member 2 has not finished a segment.
    const ss = [seg(0, 0, 0, 0.5), seg(1, 0, 2, 0.6), seg(2, 1, 0, 0.4), seg(3, 1, 2, null, 'running'), seg(4, 2, 0, null, 'running')];
    const needed = neededCheckpoints(ss, new Map([[1, 0], [3, 1]]), OPTS);
    assert.deepEqual([...needed].sort(), [1, 2]);
  });

  it('under synch, also keeps every checkpoint at or past the slowest member’s epoch', () => {
    // Member 0 finished epoch 6, member 1 trains epochs 4..6 from trial 3, member 2 failed at epoch 2 (it does not hold anyone back).
    // Slowest: member 1 at epoch 4; kept: trials 2 and 3 (epoch 4), 6 (member 0's latest), 4 (member 2's latest).
    const ss = [seg(0, 0, 0, 0.5), seg(1, 1, 0, 0.5), seg(2, 0, 2, 0.5), seg(3, 1, 2, 0.5), seg(4, 2, 0, null, 'failed'), seg(5, 1, 4, null, 'running'), seg(6, 0, 4, 0.5)];
    assert.deepEqual([...neededCheckpoints(ss, new Map([[5, 3]]), { synch: true })].sort(), [2, 3, 4, 6]);
    // Both members finished: the slowest is member 1 at epoch 4 (where it ended, not where its segment began).
    const done = [seg(0, 0, 0, 0.5), seg(1, 1, 0, 0.5), seg(2, 0, 2, 0.5), seg(3, 1, 2, 0.5), seg(4, 0, 4, 0.5)];
    assert.deepEqual([...neededCheckpoints(done, new Map(), { synch: true })].sort(), [2, 3, 4]);
  });
});

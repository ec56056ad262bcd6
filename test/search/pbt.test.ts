// method: pbt — the population's decisions and the explore step, as pure functions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { contains, type Distribution } from '../../src/core/distributions.js';
import { paramStream } from '../../src/search/rng.js';
import { explore, scaleBy } from '../../src/search/pbt-explore.js';
import { neededCheckpoints, nextSegment, type PopulationOptions, type Segment } from '../../src/search/pbt.js';

const space: Record<string, Distribution> = {
  learning_rate: { type: 'log_uniform_values', min: 1e-4, max: 1e-1 },
  beta1: { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 },
  hidden: { type: 'int_uniform', min: 8, max: 64 },
  dropout: { type: 'uniform', min: 0, max: 0.5 },
  batch_size: { type: 'categorical', values: [16, 32, 64, 128] },
  momentum: { type: 'uniform', min: 0.5, max: 0.9, grid_points: 5 },
};

const options: PopulationOptions = { population: 4, interval: 2, epochs: 6, quantile_fraction: 0.25, synch: false, direction: 'maximize' };
const fixed = (u: number): { uniform: () => number } => ({ uniform: () => u });

function seg(trial: number, member: number, start: number, value: number | null, state: Segment['state'] = 'complete'): Segment {
  return { trial, member, start, end: start + 2, state, value, params: { learning_rate: 0.01 * (member + 1) } };
}

describe('pbt explore', () => {
  it('a perturbation never leaves its range, whatever the factors and the draws', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 4 }), fc.double({ min: 0, max: 1 }), fc.nat(1000), (factors, p, seed) => {
        let params = { learning_rate: 0.1, beta1: 0.999, hidden: 8, dropout: 0.5, batch_size: 128, momentum: 0.9 };
        const rng = paramStream(seed, 0, 'pbt');
        for (let step = 0; step < 10; step++) {
          params = explore(params, space, { resample_probability: p, perturbation_factors: factors }, rng).params as typeof params;
          for (const [name, d] of Object.entries(space)) assert.ok(contains(d, params[name as keyof typeof params]), `${name} = ${params[name as keyof typeof params]}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('scales in the parameter’s own scale: α·f, the 1−β window, integers move, categoricals go to a neighbour', () => {
    const lr = space['learning_rate'] as Extract<Distribution, { type: 'log_uniform_values' }>;
    assert.equal(scaleBy(lr, 0.01, 1.2), 0.012);
    assert.equal(scaleBy(lr, 0.09, 1.2), 0.1, 'clipped to max');
    const beta = space['beta1'] as Extract<Distribution, { type: 'one_minus_log_uniform_values' }>;
    assert.ok(Math.abs(scaleBy(beta, 0.99, 0.8) - 0.992) < 1e-12);
    const hidden = space['hidden'] as Extract<Distribution, { type: 'int_uniform' }>;
    assert.equal(scaleBy(hidden, 10, 1.01), 11);
    const out = explore({ batch_size: 32, momentum: 0.7 }, { batch_size: space['batch_size']!, momentum: space['momentum']! }, { resample_probability: 0, perturbation_factors: [1.2] }, fixed(0.9));
    assert.equal(out.params['batch_size'], 64);
    assert.equal(out.params['momentum'], 0.8);
    assert.equal(out.changes['batch_size']?.how, 'neighbour');
  });
});

describe('pbt population', () => {
  it('starts each member from scratch, then the bottom quantile copies from the top quantile', () => {
    assert.deepEqual(nextSegment([], options, fixed(0)), { kind: 'new', member: 0, start: 0, end: 2 });
    const gen0 = [seg(0, 0, 0, 0.5), seg(1, 1, 0, 0.9), seg(2, 2, 0, 0.2), seg(3, 3, 0, 0.7)];
    const next = nextSegment(gen0, options, fixed(0));
    // Member 0 is not in the bottom quantile (one of four): it goes on from its own weights.
    assert.equal(next.kind, 'continue');
    const loser = nextSegment([...gen0, seg(4, 0, 2, 0.6, 'running'), seg(5, 1, 2, 0.95, 'running')], options, fixed(0));
    assert.equal(loser.kind, 'exploit');
    assert.ok(loser.kind === 'exploit');
    assert.equal(loser.member, 2, 'the worst member');
    assert.equal(loser.from.member, 1, 'copies the best');
    assert.equal(loser.from.trial, 1);
    assert.equal(loser.start, 2);
  });

  it('minimize ranks the other way; a diverged member must exploit; a failed one is dropped', () => {
    const gen0 = [seg(0, 0, 0, 0.5), seg(1, 1, 0, 0.9), seg(2, 2, 0, 0.2), seg(3, 3, 0, 0.7)];
    const min = nextSegment([...gen0, seg(4, 0, 2, 1, 'running'), seg(5, 2, 2, 1, 'running'), seg(6, 3, 2, 1, 'running')], { ...options, direction: 'minimize' }, fixed(0));
    assert.ok(min.kind === 'exploit' && min.member === 1 && min.from.member === 2, JSON.stringify(min));
    const diverged = nextSegment([seg(0, 0, 0, 0.5), seg(1, 1, 0, null, 'diverged'), seg(2, 2, 0, 0.4), seg(3, 3, 0, null, 'failed'), seg(4, 0, 2, 1, 'running')], options, fixed(0));
    assert.ok(diverged.kind === 'exploit' && diverged.member === 1 && diverged.from.member === 0, JSON.stringify(diverged));
    const over = [0, 1, 2, 3].flatMap((m) => [0, 2, 4].map((start) => seg(m * 3 + start / 2, m, start, 0.5)));
    assert.deepEqual(nextSegment(over, options, fixed(0)), { kind: 'done' });
  });

  it('synch waits for the whole generation, and judges at the same epoch', () => {
    const synch = { ...options, synch: true };
    const partial = [seg(0, 0, 0, 0.5), seg(1, 1, 0, 0.9), seg(2, 2, 0, 0.2, 'running'), seg(3, 3, 0, 0.7)];
    assert.deepEqual(nextSegment(partial, synch, fixed(0)), { kind: 'wait' });
    assert.notDeepEqual(nextSegment(partial, options, fixed(0)), { kind: 'wait' }, 'asynchronous goes on');
  });

  it('keeps the checkpoints a member may still take, and only those', () => {
    const segments = [seg(0, 0, 0, 0.5), seg(1, 1, 0, 0.9), seg(2, 0, 2, 0.6), seg(3, 1, 2, 0.8, 'running')];
    assert.deepEqual([...neededCheckpoints(segments, new Map([[3, 1]]), options)].sort(), [1, 2]);
    assert.deepEqual([...neededCheckpoints(segments, new Map([[3, 0]]), options)].sort(), [0, 1, 2]);
  });
});

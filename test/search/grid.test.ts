// method: grid — cartesian product, deterministic order, spacing in the sampling scale.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import { UsageError } from '../../src/core/errors.js';
import { createSampler, gridAxis, gridSize } from '../../src/search/index.js';
import { options } from './setup.js';

const grid = (parameters: Record<string, Distribution>, run_cap: number | null = null) =>
  createSampler(options(parameters, { method: 'grid', run_cap }));

describe('method: grid', () => {
  const parameters: Record<string, Distribution> = {
    optimizer: { type: 'categorical', values: ['sgd', 'adam', 'rmsprop'] },
    lr: { type: 'log_uniform_values', min: 1e-4, max: 1e-2, grid_points: 3 },
    epochs: { type: 'constant', value: 5 },
  };

  it('is the cartesian product: planned = size, every point once', () => {
    const sampler = grid(parameters);
    assert.equal(sampler.planned, 9);
    assert.equal(gridSize(parameters), 9);
    const points = Array.from({ length: 9 }, (_, k) => JSON.stringify(sampler.suggest(k, []).params));
    assert.equal(new Set(points).size, 9);
  });

  it('orders points like nested loops over sorted names (first name slowest), values in spec order', () => {
    const sampler = grid(parameters);
    const points = Array.from({ length: 9 }, (_, k) => sampler.suggest(k, []).params);
    assert.deepEqual(points.slice(0, 4), [
      { epochs: 5, lr: 1e-4, optimizer: 'sgd' },
      { epochs: 5, lr: 1e-4, optimizer: 'adam' },
      { epochs: 5, lr: 1e-4, optimizer: 'rmsprop' },
      { epochs: 5, lr: 1e-3, optimizer: 'sgd' },
    ]);
    assert.deepEqual(points[8], { epochs: 5, lr: 1e-2, optimizer: 'rmsprop' });
    // The same whatever the order asked, or the instance.
    assert.deepEqual(grid(parameters).suggest(4, []), sampler.suggest(4, []));
  });

  it('spaces log ranges evenly in log10(x), ends included', () => {
    assert.deepEqual(gridAxis('lr', { type: 'log_uniform_values', min: 1e-5, max: 1e-1, grid_points: 5 }), [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]);
    const ratios = gridAxis('lr', { type: 'log_uniform_values', min: 0.002, max: 0.5, grid_points: 6 }).map((x) => Math.log10(x as number));
    const steps = ratios.slice(1).map((r, i) => r - (ratios[i] as number));
    for (const s of steps) assert.ok(Math.abs(s - (steps[0] as number)) < 1e-9);
  });

  it('spaces 1−β evenly in log10(1 − β), listed from min to max', () => {
    assert.deepEqual(gridAxis('beta', { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999, grid_points: 3 }), [0.9, 0.99, 0.999]);
    assert.deepEqual(gridAxis('beta', { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999, grid_points: 1 }), [0.99]);
  });

  it('spaces linear ranges evenly; rounds int/q points and drops duplicates', () => {
    assert.deepEqual(gridAxis('d', { type: 'uniform', min: 0, max: 0.5, grid_points: 6 }), [0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    assert.deepEqual(gridAxis('n', { type: 'int_uniform', min: 1, max: 3, grid_points: 10 }), [1, 2, 3]);
    assert.deepEqual(gridAxis('n', { type: 'int_uniform', min: 16, max: 512, grid_points: 4 }), [16, 181, 347, 512]);
    assert.deepEqual(gridAxis('q', { type: 'q_uniform', min: 0, max: 0.2, q: 0.1, grid_points: 5 }), [0, 0.1, 0.2]);
    assert.deepEqual(gridAxis('b', { type: 'q_log_uniform_values', min: 16, max: 256, q: 16, grid_points: 5 }), [16, 32, 64, 128, 256]);
    assert.equal(gridSize({ n: { type: 'int_uniform', min: 1, max: 3, grid_points: 10 }, c: { type: 'categorical', values: [1, 2] } }), 6);
  });

  it('enumerates int and q ranges without grid_points; a continuous range needs them', () => {
    assert.deepEqual(gridAxis('n', { type: 'int_uniform', min: 2, max: 5 }), [2, 3, 4, 5]);
    assert.deepEqual(gridAxis('q', { type: 'q_uniform', min: 0.05, max: 0.35, q: 0.1 }), [0.1, 0.2, 0.3]);
    assert.throws(() => grid({ lr: { type: 'log_uniform_values', min: 1e-4, max: 1 } }), /parameter lr: method grid needs grid_points/);
    assert.throws(() => grid({ n: { type: 'int_uniform', min: 0, max: 1e9 } }), UsageError);
  });

  it('ignores categorical probabilities', () => {
    assert.deepEqual(gridAxis('o', { type: 'categorical', values: ['a', 'b'], probabilities: [0.99, 0.01] }), ['a', 'b']);
    const sampler = grid({ o: { type: 'categorical', values: ['a', 'b'], probabilities: [0.99, 0.01] } });
    assert.deepEqual([0, 1].map((k) => sampler.suggest(k, []).params.o), ['a', 'b']);
  });

  it('returns the spec distributions and no stage', () => {
    const s = grid(parameters).suggest(0, []);
    assert.deepEqual(s.distributions, parameters);
    assert.equal(s.stage, null);
  });

  it('refuses a trial past the end, and a grid larger than run_cap', () => {
    const sampler = grid(parameters, 9);
    assert.throws(() => sampler.suggest(9, []), /trial 9 is outside the grid of 9 points/);
    assert.throws(() => grid(parameters, 8), (e: unknown) => e instanceof UsageError && /9 points, more than run_cap 8/.test(e.message));
    assert.equal(grid(parameters, 100).planned, 9);
  });
});

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SpecError } from '../../src/core/errors.js';
import type { Spec } from '../../src/core/spec.js';
import { gridSize, parseSpec, specHash } from '../../src/spec/index.js';
import { fixturesDir, tempDir } from '../helpers.js';

const specsDir = join(fixturesDir, 'specs');

function parseFixture(name: string): Spec {
  const file = join(specsDir, name);
  return parseSpec(readFileSync(file, 'utf8'), file);
}

const dir = tempDir('hpsearch-spec-parse-');
writeFileSync(join(dir, 'objective.js'), 'export function train() { return { loss: 0 }; }\n');
writeFileSync(join(dir, 'digits.csv'), 'x,label\n1,a\n');
writeFileSync(join(dir, 'split.txt'), 'train\n');
const file = join(dir, 'my-study.yml');
const parse = (lines: string[]): Spec => parseSpec(lines.join('\n') + '\n', file);
const MODULE = ['trainer: module', 'module: ./objective.js'];

const DEFAULT_POOL: Spec['pool'] = {
  mode: 'auto',
  max_trials_per_worker: null,
  max_rss_mb: null,
  trial_timeout: null,
  max_retries: 2,
  devices: null,
};

describe('valid specs', () => {
  it('parses the tfjs fixture to the expected Spec', () => {
    const spec = parseFixture('tfjs-spirals.yaml');
    const { source, ...rest } = spec;
    assert.deepEqual(rest, {
      name: 'spirals-mlp',
      storage: 'runs/hpsearch.db',
      seed: 7,
      method: 'coarse-to-fine',
      metric: { name: 'val_loss', goal: 'minimize' },
      run_cap: null,
      parallelism: 2,
      trainer: 'tfjs',
      module: null,
      data: {
        source: 'synthetic',
        path: null,
        label: null,
        header: true,
        samples: null,
        kind: 'spirals',
        classes: 3,
        points: 300,
        noise: 0.1,
        features: null,
        seed: null,
        split: { train: 0.6, val: 0.2, test: 0.2 },
        split_file: null,
        preprocess: 'center',
      },
      train: { epochs: 30, model: 'mlp', layers: [64, 32], batch_norm: true },
      parameters: {
        learning_rate: { type: 'log_uniform_values', min: 1e-4, max: 0.1 },
        beta1: { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 },
        batch_size: { type: 'categorical', values: [32, 64, 128], probabilities: [0.25, 0.5, 0.25] },
        optimizer: { type: 'categorical', values: ['momentum', 'adam'] },
        dropout: { type: 'uniform', min: 0, max: 0.5 },
        l2: { type: 'q_log_uniform_values', min: 0.0001, max: 0.1, q: 0.0001 },
        activation: { type: 'constant', value: 'relu' },
      },
      early_terminate: { type: 'patience', metric: 'val_loss', patience: 3, min_delta: 0, restore_best: true },
      stages: [
        { trials: 12, top_k: null, margin: 0.25 },
        { trials: 8, top_k: 4, margin: 0.25 },
        { trials: 4, top_k: 2, margin: 0.1 },
      ],
      pool: { mode: 'thread', max_trials_per_worker: 20, max_rss_mb: null, trial_timeout: 600, max_retries: 2, devices: [0, 1] },
      diagnose: { target_accuracy: 0.9 },
    } satisfies Omit<Spec, 'source'>);
    assert.equal(source.path, join(specsDir, 'tfjs-spirals.yaml'));
    assert.equal(source.dir, specsDir);
    assert.equal(source.text, readFileSync(join(specsDir, 'tfjs-spirals.yaml'), 'utf8'));
    assert.match(source.hash, /^[0-9a-f]{64}$/);
    assert.equal(source.hash, specHash(spec));
  });

  it('parses the module fixture to the expected Spec', () => {
    const spec = parseFixture('module-bowl.yaml');
    const { source: _source, ...rest } = spec;
    assert.deepEqual(rest, {
      name: 'module-bowl',
      storage: 'runs/bowl.db',
      seed: 0,
      method: 'grid',
      metric: { name: 'loss', goal: 'minimize' },
      run_cap: 120,
      parallelism: null,
      trainer: 'module',
      module: join(specsDir, 'objective.js'),
      data: null,
      train: { epochs: 3, noise: 0.01 },
      parameters: {
        alpha: { type: 'log_uniform_values', min: 1e-4, max: 1, grid_points: 5 },
        beta: { type: 'one_minus_log_uniform_values', min: 0.5, max: 0.999, grid_points: 4 },
        width: { type: 'int_uniform', min: 1, max: 3, grid_points: 10 },
        kind: { type: 'categorical', values: ['a', 'b'] },
        fixed: { type: 'constant', value: true },
      },
      early_terminate: null,
      stages: [],
      pool: DEFAULT_POOL,
      diagnose: { target_accuracy: null },
    } satisfies Omit<Spec, 'source'>);
    // int_uniform contributes at most the integers in its range: 5 × 4 × 3 × 2 × 1.
    assert.equal(gridSize(spec.parameters), 120);
  });

  it('fills every default of a minimal spec', () => {
    const spec = parse([...MODULE, 'run_cap: 5']);
    assert.equal(spec.name, 'my-study');
    assert.equal(spec.storage, 'runs/hpsearch.db');
    assert.equal(spec.seed, 0);
    assert.equal(spec.method, 'random');
    assert.deepEqual(spec.metric, { name: 'val_accuracy', goal: 'maximize' });
    assert.equal(spec.parallelism, null);
    assert.deepEqual(spec.train, {});
    assert.deepEqual(spec.parameters, {});
    assert.equal(spec.early_terminate, null);
    assert.deepEqual(spec.stages, []);
    assert.deepEqual(spec.pool, DEFAULT_POOL);
    assert.deepEqual(spec.diagnose, { target_accuracy: null });
  });

  it('treats empty values as not given', () => {
    const spec = parse([...MODULE, 'run_cap: 5', 'seed:', 'parallelism: ~', 'storage: null']);
    assert.equal(spec.seed, 0);
    assert.equal(spec.parallelism, null);
    assert.equal(spec.storage, 'runs/hpsearch.db');
  });

  it('keeps a bare integer {min, max} uniform and reads log_uniform as log_uniform_values', () => {
    const spec = parse([...MODULE, 'run_cap: 5', 'parameters:', '  n: { min: 1, max: 10 }', '  lr: { distribution: log_uniform, min: 1e-5, max: 1e-1 }']);
    assert.deepEqual(spec.parameters.n, { type: 'uniform', min: 1, max: 10 });
    assert.deepEqual(spec.parameters.lr, { type: 'log_uniform_values', min: 1e-5, max: 0.1 });
  });

  it('accepts distribution: categorical / constant next to values / value', () => {
    const spec = parse([
      ...MODULE,
      'run_cap: 5',
      'parameters:',
      '  a: { distribution: categorical, values: [x, y] }',
      '  b: { distribution: constant, value: 3 }',
    ]);
    assert.deepEqual(spec.parameters.a, { type: 'categorical', values: ['x', 'y'] });
    assert.deepEqual(spec.parameters.b, { type: 'constant', value: 3 });
  });

  it('lets a module trainer use any parameter and setting names', () => {
    const spec = parse([...MODULE, 'run_cap: 5', 'train: { anything: [1, 2], mode: fast }', 'parameters:', '  my_knob: { values: [on, off] }']);
    assert.deepEqual(spec.train, { anything: [1, 2], mode: 'fast' });
    assert.deepEqual(spec.parameters.my_knob, { type: 'categorical', values: ['on', 'off'] });
  });

  it('resolves csv and split_file paths against the spec directory', () => {
    const spec = parse(['run_cap: 5', 'data:', '  source: csv', '  path: digits.csv', '  label: label', '  split_file: ./split.txt']);
    assert.deepEqual(spec.data, {
      source: 'csv',
      path: join(dir, 'digits.csv'),
      label: 'label',
      header: true,
      samples: null,
      kind: null,
      classes: null,
      points: null,
      noise: null,
      features: null,
      seed: null,
      split: { train: 0.7, val: 0.15, test: 0.15 },
      split_file: join(dir, 'split.txt'),
      preprocess: 'standardize',
    });
  });

  it('fills the defaults of mnist and of blobs', () => {
    const mnist = parse(['run_cap: 5', 'data: { source: mnist }']);
    assert.equal(mnist.data?.samples, 2000);
    assert.equal(mnist.data?.kind, null);
    const blobs = parse(['run_cap: 5', 'data: { source: synthetic, kind: blobs, seed: 3, preprocess: none }']);
    assert.deepEqual(
      { ...blobs.data, split: undefined },
      {
        source: 'synthetic',
        path: null,
        label: null,
        header: true,
        samples: null,
        kind: 'blobs',
        classes: 3,
        points: 600,
        noise: 1.0,
        features: 2,
        seed: 3,
        split: undefined,
        split_file: null,
        preprocess: 'none',
      },
    );
  });

  it('infers the goal of common metric names', () => {
    assert.equal(parse([...MODULE, 'run_cap: 5', 'metric: { name: train_loss }']).metric.goal, 'minimize');
    assert.equal(parse([...MODULE, 'run_cap: 5', 'metric: { name: test_accuracy }']).metric.goal, 'maximize');
    assert.equal(parse([...MODULE, 'run_cap: 5', 'metric: { name: val_loss, goal: maximize }']).metric.goal, 'maximize');
  });

  it('allows a grid without run_cap, and a run_cap at least the grid size', () => {
    const grid = ['method: grid', 'parameters:', '  x: { min: 0, max: 1, grid_points: 3 }', '  y: { values: [1, 2] }'];
    assert.equal(parse([...MODULE, ...grid]).run_cap, null);
    assert.equal(parse([...MODULE, 'run_cap: 6', ...grid]).run_cap, 6);
    assert.throws(() => parse([...MODULE, 'run_cap: 5', ...grid]), SpecError);
  });

  it('checks tfjs knob values: in range, right kind', () => {
    const spec = parse([
      'run_cap: 5',
      'data: { source: mnist, samples: 100 }',
      'train: { model: cnn, filters: [8, 16], batch_norm: false, epochs: 1 }',
      'parameters:',
      '  hidden_units: { distribution: int_uniform, min: 8, max: 64 }',
      '  batch_size: { distribution: q_log_uniform_values, min: 16, max: 256, q: 16 }',
      '  momentum: { distribution: one_minus_log_uniform_values, min: 0.5, max: 0.99 }',
      '  lr_schedule: { values: [none, step, plateau] }',
    ]);
    assert.equal(Object.keys(spec.parameters).length, 4);
    assert.throws(() => parse(['run_cap: 5', 'data: { source: mnist }', 'train: { batch_norm: 1 }']), /batch_norm is true or false, got 1/);
    assert.throws(() => parse(['run_cap: 5', 'data: { source: mnist }', 'train: { layers: 3 }']), /layers is a list of positive integers/);
    assert.throws(
      () => parse(['run_cap: 5', 'data: { source: mnist }', 'parameters: { optimizer: { min: 0, max: 1 } }']),
      /optimizer is a choice, not a range: search it with values: \[sgd, momentum/,
    );
    assert.throws(() => parse(['run_cap: 5', 'data: { source: mnist }', 'parameters: { layers: { min: 1, max: 3 } }']), /layers is a list and can't be searched/);
  });
});

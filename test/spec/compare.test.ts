import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Spec } from '../../src/core/spec.js';
import { canonicalSpecJson, compareSpecs, describeSpecChanges, parseSpec } from '../../src/spec/index.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('hpsearch-spec-compare-');
writeFileSync(join(dir, 'objective.js'), '');
const parse = (text: string): Spec => parseSpec(text, join(dir, 'spec.yaml'));

const C2F = `
trainer: module
module: ./objective.js
method: coarse-to-fine
run_cap: 30
parameters:
  lr: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1 }
stages:
  - { trials: 10 }
  - { trials: 10, top_k: 3 }
`;
const stored = canonicalSpecJson(parse(C2F));
const changesTo = (text: string) => compareSpecs(stored, parse(text));

describe('compareSpecs', () => {
  it('finds no change in the same spec', () => {
    assert.deepEqual(changesTo(`# comment\n${C2F}parallelism: 3\n`), []);
  });

  it('allows raising run_cap, not lowering it', () => {
    assert.deepEqual(changesTo(C2F.replace('run_cap: 30', 'run_cap: 50')), [{ path: 'run_cap', from: 30, to: 50, allowed: true }]);
    assert.deepEqual(changesTo(C2F.replace('run_cap: 30', 'run_cap: 20')), [{ path: 'run_cap', from: 30, to: 20, allowed: false }]);
    // Omitting run_cap lifts the cap (the stages' total).
    assert.deepEqual(changesTo(C2F.replace('run_cap: 30\n', '')), [{ path: 'run_cap', from: 30, to: null, allowed: true }]);
  });

  it('allows appending stages while the existing ones are unchanged', () => {
    const appended = changesTo(`${C2F}  - { trials: 5, top_k: 2 }\n`);
    assert.deepEqual(appended, [{ path: 'stages.2', from: undefined, to: { trials: 5, top_k: 2, margin: 0.25 }, allowed: true }]);
    const changedAndAppended = changesTo(`${C2F.replace('top_k: 3', 'top_k: 4')}  - { trials: 5, top_k: 2 }\n`);
    assert.deepEqual(
      changedAndAppended.map((c) => [c.path, c.allowed]),
      [
        ['stages.1', false],
        ['stages.2', false],
      ],
    );
    const removed = changesTo(C2F.replace('  - { trials: 10, top_k: 3 }\n', ''));
    assert.deepEqual(removed.map((c) => [c.path, c.to, c.allowed]), [['stages.1', undefined, false]]);
  });

  it('refuses every other change, at the path of the leaf that changed', () => {
    const changes = changesTo(C2F.replace('max: 1.0e-1', 'max: 0.5').replace('trainer: module', 'trainer: module\nseed: 9'));
    assert.deepEqual(changes, [
      { path: 'parameters.lr.max', from: 0.1, to: 0.5, allowed: false },
      { path: 'seed', from: 0, to: 9, allowed: false },
    ]);
    const added = changesTo(`${C2F}train: { epochs: 3 }\n`.replace('parameters:', 'parameters:\n  b: { values: [1, 2] }'));
    assert.deepEqual(added, [
      { path: 'parameters.b', from: undefined, to: { type: 'categorical', values: [1, 2] }, allowed: false },
      { path: 'train.epochs', from: undefined, to: 3, allowed: false },
    ]);
  });

  it('describes each change on one readable line', () => {
    const changes = changesTo(`${C2F.replace('run_cap: 30', 'run_cap: 40').replace('max: 1.0e-1', 'max: 0.5')}  - { trials: 5, top_k: 2 }\n`);
    assert.equal(
      describeSpecChanges(changes),
      [
        'parameters.lr.max: 0.1 → 0.5 (not allowed)',
        'run_cap: 30 → 40',
        'stages.2: added {margin: 0.25, top_k: 2, trials: 5}',
      ].join('\n'),
    );
    const removed = compareSpecs(canonicalSpecJson(parse(`${C2F}train: { epochs: 3 }\n`)), parse(C2F));
    assert.equal(describeSpecChanges(removed), 'train.epochs: removed (was 3) (not allowed)');
  });
});

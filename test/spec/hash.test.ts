import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Spec } from '../../src/core/spec.js';
import { canonicalSpecJson, parseSpec, specHash } from '../../src/spec/index.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('hpsearch-spec-hash-');
writeFileSync(join(dir, 'objective.js'), 'export function train() { return { loss: 0 }; }\n');
const file = join(dir, 'spec.yaml');
const parse = (text: string, at = file): Spec => parseSpec(text, at);

const BASE = `
name: bowl
trainer: module
module: ./objective.js
run_cap: 20
seed: 3
metric: { name: loss, goal: minimize }
parameters:
  lr: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1 }
  n: { values: [1, 2, 3] }
`;

describe('canonical JSON and hash', () => {
  it('is a sorted JSON without source and without the settings of where trials run', () => {
    const spec = parse(BASE);
    const json = canonicalSpecJson(spec);
    const obj = JSON.parse(json) as Record<string, unknown>;
    assert.deepEqual(Object.keys(obj), [...Object.keys(obj)].sort());
    for (const key of ['source', 'storage', 'parallelism', 'pool', 'name']) assert.ok(!(key in obj), key);
    assert.equal(obj.module, 'objective.js');
    assert.equal(spec.source.hash, specHash(spec));
    assert.match(spec.source.hash, /^[0-9a-f]{64}$/);
  });

  it('is stable under comments, whitespace, key order, flow/block style and written defaults', () => {
    const reordered = `# the same study, written differently
parameters:
  n:
    values:
      - 1
      - 2
      - 3
  lr:   { max: 0.1,  min: 0.00001, distribution: log_uniform }   # synonym

metric:
  goal: minimize
  name: loss
seed: 3
run_cap: 20
module: objective.js
trainer: module
method: random          # the default
name: bowl
`;
    assert.equal(specHash(parse(reordered)), specHash(parse(BASE)));
  });

  it('ignores storage, parallelism, pool settings and the name', () => {
    const other = `${BASE}storage: elsewhere.db\nparallelism: 4\npool: process\nmax_retries: 5\ntrial_timeout: 30\n`.replace('name: bowl', 'name: renamed');
    assert.equal(specHash(parse(other)), specHash(parse(BASE)));
  });

  it('is the same for the same project in another directory', () => {
    const moved = join(dir, 'moved');
    mkdirSync(moved);
    writeFileSync(join(moved, 'objective.js'), '');
    assert.equal(specHash(parse(BASE, join(moved, 'spec.yaml'))), specHash(parse(BASE)));
  });

  it('changes when a parameter, the seed, run_cap or a fixed setting changes', () => {
    const base = specHash(parse(BASE));
    const variants = [
      BASE.replace('max: 1.0e-1', 'max: 1.0e-2'),
      BASE.replace('values: [1, 2, 3]', 'values: [1, 2, 4]'),
      BASE.replace('log_uniform_values', 'uniform'),
      BASE.replace('seed: 3', 'seed: 4'),
      BASE.replace('run_cap: 20', 'run_cap: 21'),
      `${BASE}train: { epochs: 3 }\n`,
      `${BASE}  extra: { value: 1 }\n`,
    ];
    const hashes = variants.map((v) => specHash(parse(v)));
    for (const h of hashes) assert.notEqual(h, base);
    assert.equal(new Set(hashes).size, hashes.length);
  });
});

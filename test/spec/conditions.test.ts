// when: conditions — what parses, and each error with its position.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SpecError } from '../../src/core/errors.js';
import type { Spec } from '../../src/core/spec.js';
import { activeParams } from '../../src/search/index.js';
import { parseSpec } from '../../src/spec/index.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('hpsearch-spec-when-');
writeFileSync(join(dir, 'objective.js'), 'export function train() { return { val_accuracy: 0 }; }\n');
const file = join(dir, 'spec.yaml');
const HEAD = ['trainer: module', 'module: ./objective.js', 'run_cap: 10', 'parameters:', '  opt: { values: [sgd, adam] }', '  lr: { min: 0, max: 1 }'];
const parse = (lines: string[]): Spec => parseSpec([...HEAD, ...lines].join('\n') + '\n', file);
function issues(lines: string[]): string[] {
  try {
    parse(lines);
  } catch (error) {
    if (error instanceof SpecError) return error.issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`);
    throw error;
  }
  return assert.fail('expected a SpecError');
}

describe('when:', () => {
  it('parses conditions on categorical parents; specs without them are unchanged', () => {
    const spec = parse(['  beta: { min: 0.5, max: 0.9, when: { opt: [adam] } }', '  rho: { values: [0.9, 0.99], when: { opt: adam } }']);
    assert.deepEqual(spec.conditions, { beta: { opt: ['adam'] }, rho: { opt: ['adam'] } });
    assert.equal('conditions' in parse([]), false);
  });

  it('reports unknown and non-categorical parents, foreign values, self-reference and cycles with positions', () => {
    assert.deepEqual(issues(['  beta: { min: 0, max: 1, when: { optt: [adam] } }']), ['7:35 parameters.beta.when.optt: unknown parameter `optt`; did you mean `opt`?']);
    assert.deepEqual(issues(['  beta: { min: 0, max: 1, when: { lr: [1] } }']), [
      '7:35 parameters.beta.when.lr: conditions may refer only to categorical parameters (values: [...]); `lr` is uniform',
    ]);
    assert.deepEqual(issues(['  beta: { min: 0, max: 1, when: { opt: [adam, rmsprop] } }']), [
      "7:47 parameters.beta.when.opt.1: \"rmsprop\" is not one of `opt`'s values (sgd, adam)",
    ]);
    assert.deepEqual(issues(['  a: { values: [x, y], when: { b: [x] } }', '  b: { values: [x, y], when: { a: [x] } }']), [
      '7:24 parameters.a.when: conditions form a cycle through `a`',
      '8:24 parameters.b.when: conditions form a cycle through `b`',
    ]);
    assert.equal(issues(['  a: { values: [x, y], when: { a: [x] } }'])[0], '7:32 parameters.a.when.a: a parameter cannot depend on itself');
  });

  it('keeps a parameter only while every parent is active and matches', () => {
    const conditions = { beta: { opt: ['adam'] }, decay: { beta_kind: ['fast'] }, beta_kind: { opt: ['adam'] } };
    assert.deepEqual(activeParams({ opt: 'sgd', beta: 0.9, beta_kind: 'fast', decay: 1, lr: 0.1 }, conditions), { opt: 'sgd', lr: 0.1 });
    assert.deepEqual(activeParams({ opt: 'adam', beta: 0.9, beta_kind: 'fast', decay: 1 }, conditions), { opt: 'adam', beta: 0.9, beta_kind: 'fast', decay: 1 });
  });
});

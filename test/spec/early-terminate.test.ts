// early_terminate: each rule's defaults, W&B's hyperband names, and errors with positions.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SpecError } from '../../src/core/errors.js';
import type { Spec } from '../../src/core/spec.js';
import { parseSpec } from '../../src/spec/index.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('hpsearch-spec-et-');
writeFileSync(join(dir, 'objective.js'), 'export function train() { return { val_accuracy: 0 }; }\n');
const file = join(dir, 'spec.yaml');
const HEAD = ['trainer: module', 'module: ./objective.js', 'run_cap: 10', 'train: { epochs: 9 }', 'parameters: { x: { min: 0, max: 1 } }'];

const parse = (et: string): Spec => parseSpec([...HEAD, `early_terminate: ${et}`].join('\n') + '\n', file);
function issues(et: string): string[] {
  try {
    parse(et);
  } catch (error) {
    if (error instanceof SpecError) return error.issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`);
    throw error;
  }
  return assert.fail('expected a SpecError');
}

describe('early_terminate', () => {
  it('gives median Optuna’s defaults and watches the study metric', () => {
    assert.deepEqual(parse('{ type: median }').early_terminate, {
      type: 'median',
      metric: 'val_accuracy',
      restore_best: false,
      n_startup_trials: 5,
      n_warmup_steps: 0,
      interval_steps: 1,
      n_min_trials: 1,
      include_running: false,
    });
    const aware = parse('{ type: median, include_running: true }').early_terminate;
    assert.ok(aware?.type === 'median' && aware.include_running);
    assert.equal(parse('{ type: patience }').early_terminate?.metric, 'val_loss');
  });

  it('defaults successive halving to min_resource 1, η 3, rate 0', () => {
    assert.deepEqual(parse('{ type: successive_halving, reduction_factor: 4 }').early_terminate, {
      type: 'successive_halving',
      metric: 'val_accuracy',
      restore_best: false,
      min_resource: 1,
      reduction_factor: 4,
      min_early_stopping_rate: 0,
    });
  });

  it('accepts hyperband in W&B’s spelling, max_resource defaulting to train.epochs', () => {
    const hb = parse('{ type: hyperband, min_iter: 1, eta: 3 }').early_terminate;
    assert.deepEqual(hb, { type: 'hyperband', metric: 'val_accuracy', restore_best: false, min_resource: 1, max_resource: 9, reduction_factor: 3, brackets: null });
    const wb = parse('{ type: hyperband, max_iter: 27, eta: 3, s: 2 }').early_terminate;
    assert.ok(wb?.type === 'hyperband');
    assert.deepEqual([wb.min_resource, wb.max_resource, wb.brackets], [3, 27, 2]);
  });

  it('rejects keys of another rule, both spellings, and a hyperband without room, with positions', () => {
    assert.deepEqual(issues('{ type: median, patience: 3 }'), ['6:34 early_terminate.patience: `patience` does not apply to type median (it goes with patience)']);
    assert.deepEqual(issues('{ type: hyperband, eta: 3, reduction_factor: 3 }'), ['6:37 early_terminate.eta: give reduction_factor or its W&B name eta, not both']);
    assert.deepEqual(issues('{ type: hyperband, min_resource: 9 }'), ['6:51 early_terminate.min_resource: hyperband needs max_resource (9) > min_resource (9)']);
    assert.equal(issues('{ type: halving }').length, 1);
  });
});

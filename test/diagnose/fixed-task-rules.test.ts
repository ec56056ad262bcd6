// fixedTask: the one trial preflight and gradcheck build from a spec.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Spec } from '../../src/core/spec.js';
import { fixedTask } from '../../src/diagnose/fixed-task.js';
import { loadSpec } from '../../src/spec/index.js';
import { tempDir } from '../helpers.js';

async function specOf(data: string): Promise<Spec> {
  const path = join(tempDir(), 'spec.yaml');
  writeFileSync(
    path,
    `name: ft
method: random
seed: 11
run_cap: 4
metric: { name: val_loss, goal: minimize }
data: ${data}
train: { model: mlp, epochs: 3 }
early_terminate: { type: hyperband, min_iter: 1 }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 1.0e-4, max: 1.0e-2 }
  hidden_units: { distribution: int_uniform, min: 8, max: 16 }
  optimizer: { values: [adam, sgd] }
  dropout: { value: 0.25 }
`,
  );
  return loadSpec(path);
}

describe('fixedTask', () => {
  it("is trial 0's first attempt at the middle of each range, the spec's settings, no early termination", async () => {
    const spec = await specOf('{ source: synthetic, kind: blobs, classes: 3, features: 4, points: 60 }');
    const task = fixedTask(spec);
    assert.equal(task.study, 'ft');
    assert.equal(task.trial, 0);
    assert.equal(task.attempt, 1);
    assert.equal(task.seed, 11);
    assert.ok(Math.abs(Number(task.params['learning_rate']) - 1e-3) < 1e-12, String(task.params['learning_rate']));
    assert.deepEqual({ ...task.params, learning_rate: 0 }, { learning_rate: 0, hidden_units: 12, optimizer: 'adam', dropout: 0.25 });
    assert.equal(task.trainer, spec.trainer);
    assert.equal(task.module, spec.module);
    assert.deepEqual(task.train, spec.train);
    assert.deepEqual(task.metric, { name: 'val_loss', goal: 'minimize' });
    assert.notEqual(spec.early_terminate, null);
    assert.equal(task.early_terminate, null);
    assert.equal('user_model' in task, false, 'no user_model key without a user model');
    assert.deepEqual(task.data, { ...spec.data, seed: 11 }, "the data's seed is the spec's when the data has none");
  });

  it("keeps the data's own seed, a missing data section, and the user model", async () => {
    const spec = await specOf('{ source: synthetic, kind: blobs, classes: 3, features: 4, points: 60, seed: 5 }');
    assert.equal(fixedTask(spec).data?.seed, 5);
    assert.equal(fixedTask({ ...spec, data: null }).data, null);
    assert.equal(fixedTask({ ...spec, user_model: '/models/net.js' }).user_model, '/models/net.js');
  });
});

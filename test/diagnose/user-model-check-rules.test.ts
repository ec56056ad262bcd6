// userModelCheck: a user model passes when it builds at the trial's settings and gives one probability per class.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { userModelCheck } from '../../src/diagnose/user-model-check.js';
import type { PreparedData } from '../../src/train/data/types.js';
import { resolveBackend } from '../../src/train/backend.js';
import { tf } from '../../src/train/tf.js';
import { tempDir } from '../helpers.js';
import { task } from '../train/helpers.js';

function moduleFile(text: string): string {
  const file = join(tempDir(), 'model.mjs');
  writeFileSync(file, text);
  return file;
}

/** 4 features, 3 classes; `rows` training rows, the first summing to 1/3, the others [1, 0, 0, 0]. */
function data(rows: number): PreparedData {
  const x = new Float32Array(rows * 4);
  x.fill(1 / 12, 0, 4);
  for (let r = 1; r < rows; r++) x[r * 4] = 1;
  const split = { x, y: new Int32Array(rows), n: rows };
  return { train: split, val: split, test: split, features: 4, imageShape: null, classes: 3, classNames: ['a', 'b', 'c'] };
}

const softmax = (after = ''): string => `export function build(params, tf) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: params.input_shape, units: params.units + params.extra, activation: 'relu' }));
  m.add(tf.layers.dense({ units: params.classes, activation: 'softmax' }));
  ${after}
  return m;
}
`;

const fixed = { ...task({ extra: 2 }), params: { units: 5 } };

describe('userModelCheck', () => {
  before(async () => {
    await resolveBackend('cpu');
  });

  it("passes a softmax model built from the spec's settings and the trial's parameters, and frees what it made", async () => {
    const before = tf.memory().numTensors;
    const check = await userModelCheck(moduleFile(softmax()), fixed, data(3));
    const parameters = 4 * 7 + 7 + 7 * 3 + 3;
    assert.equal(check.passed, true, check.message);
    assert.equal(check.name, 'model');
    assert.deepEqual(check.evidence, { parameters, input_shape: '[4]', classes: 3 });
    assert.match(check.message, new RegExp(`model\\.mjs builds a model of ${parameters} parameters taking \\[4\\] and giving 3 class probabilities$`));
    assert.equal(tf.memory().numTensors, before, 'the model and the sums are disposed');
  });

  it('runs the model in inference mode, on a single row when that is all there is', async () => {
    const file = moduleFile(softmax("m.add(tf.layers.dropout({ rate: 0.5 }));"));
    assert.equal((await userModelCheck(file, fixed, data(3))).passed, true, 'dropout after the softmax is off');
    assert.equal((await userModelCheck(moduleFile(softmax()), fixed, data(1))).passed, true);
  });

  it('fails a model whose outputs do not sum to 1 for every example, saying what to end it with', async () => {
    const linear = moduleFile(`export function build(params, tf) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: params.input_shape, units: params.classes, kernelInitializer: 'ones', biasInitializer: 'zeros' }));
  return m;
}
`);
    const before = tf.memory().numTensors;
    const check = await userModelCheck(linear, fixed, data(2));
    assert.equal(check.passed, false);
    assert.deepEqual(check.evidence, { parameters: 15, input_shape: '[4]', classes: 3 });
    assert.match(check.message, /^the model's outputs sum to (1|0\.99\d*|1\.0\d*) per example, not 1: end it with a softmax over params\.classes units$/, 'the first row sums to 1; the second does not');
    assert.equal(tf.memory().numTensors, before);
  });

  it('fails, with the error, a module that does not build', async () => {
    const broken = moduleFile("export function build() { throw new Error('no such layer'); }\n");
    assert.deepEqual(await userModelCheck(broken, fixed, data(2)), { name: 'model', passed: false, evidence: {}, message: 'no such layer' });
  });
});

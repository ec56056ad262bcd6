import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadSpec } from '../../src/spec/index.js';
import { resolveBackend } from '../../src/train/backend.js';
import { loadData } from '../../src/train/data/index.js';
import { tf, tfl } from '../../src/train/tf.js';
import { runCli, tempDir, type TrialJson } from '../helpers.js';

const CNN = `export function build(params, tf) {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: params.input_shape, filters: params.width, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: params.classes, activation: 'softmax' }));
  return m;
}
`;

const SPEC = `name: own
seed: 2
run_cap: 2
parallelism: 2
data: { source: mnist, samples: 400, split: { train: 0.6, val: 0.2, test: 0.2 } }
train:
  model: ./models/cnn.mjs
  backend: wasm
  epochs: 2
  batch_size: 32
  width: 4
parameters:
  learning_rate: { values: [0.003, 0.01] }
`;

function setUp(model: string, spec = SPEC): { dir: string; spec: string; db: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'models'));
  writeFileSync(join(dir, 'models', 'cnn.mjs'), model);
  writeFileSync(join(dir, 'spec.yaml'), spec);
  return { dir, spec: join(dir, 'spec.yaml'), db: join(dir, 'runs.db') };
}

describe('hpsearch with a user model (train.model)', () => {
  it('runs it, keeps it, and export-model writes a model tfjs-layers loads with the stored test accuracy', async () => {
    const s = setUp(CNN);
    const run = await runCli(['run', s.spec, '--storage', s.db, '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    const trials = JSON.parse((await runCli(['trials', '--storage', s.db, '--json'])).stdout) as TrialJson[];
    assert.equal(trials.length, 2);
    assert.ok(trials.every((t) => t.state === 'complete'));
    const epochs = JSON.parse((await runCli(['show', '0', '--storage', s.db, '--json'])).stdout) as { epochs: { metrics: Record<string, number> }[] };
    assert.equal(epochs.epochs.length, 2);
    assert.ok(Number.isFinite(epochs.epochs[1]!.metrics['val_accuracy']));
    const out = join(s.dir, 'exported');
    const exp = await runCli(['export-model', '0', '--storage', s.db, '--out', out]);
    assert.equal(exp.code, 0, exp.stderr);
    await resolveBackend('cpu');
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: new Uint8Array(readFileSync(join(out, 'weights.bin'))).buffer }),
    );
    const spec = await loadSpec(s.spec);
    const data = loadData({ ...spec.data!, seed: spec.data!.seed ?? spec.seed });
    const predicted = tf.tidy(() => tf.argMax(model.predict(tf.tensor(data.test.x, [data.test.n, ...data.imageShape!])) as tf.Tensor, -1).dataSync());
    let correct = 0;
    for (let i = 0; i < data.test.n; i++) if (predicted[i] === data.test.y[i]) correct++;
    const stored = trials.find((t) => t.number === 0)!.attrs['test_accuracy'] as number;
    assert.ok(Math.abs(correct / data.test.n - stored) < 1e-9, `${correct / data.test.n} vs ${stored}`);
  });

  it('preflight fails a model with the wrong output units before any trial, and run stops there', async () => {
    const s = setUp(CNN.replace('units: params.classes', 'units: 7'));
    const pre = await runCli(['preflight', s.spec]);
    assert.equal(pre.code, 1, pre.stderr);
    assert.match(pre.stdout + pre.stderr, /FAIL model: .*output shape is \[batch, 7\]; expected \[batch, 10\]/);
    const run = await runCli(['run', s.spec, '--storage', s.db, '--quiet']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /preflight failed \(model\)/);
  });

  it('a missing model file is a spec error at train.model with file:line:col', async () => {
    const s = setUp(CNN, SPEC.replace('./models/cnn.mjs', './models/nope.js'));
    const run = await runCli(['run', s.spec, '--storage', s.db]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /spec\.yaml:7:\d+: train\.model: file not found: .*nope\.js/);
  });
});

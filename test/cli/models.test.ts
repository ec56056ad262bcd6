import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadSpec } from '../../src/spec/index.js';
import { resolveBackend } from '../../src/train/backend.js';
import { loadData } from '../../src/train/data/index.js';
import { tf, tfl } from '../../src/train/tf.js';
import { runCli, tempDir, type TrialJson } from '../helpers.js';

const MLP = `
name: kept-mlp
seed: 3
method: random
run_cap: 4
parallelism: 2
keep_models: 2
data: { source: synthetic, kind: blobs, classes: 3, features: 4, points: 240, noise: 1.5, split: { train: 0.6, val: 0.2, test: 0.2 } }
train: { epochs: 4, batch_norm: true, activation: leaky_relu, hidden_layers: 2, hidden_units: 8, backend: cpu }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 0.001, max: 0.3 }
early_terminate: { type: patience, metric: val_loss, patience: 10, restore_best: true }
`;

const CNN = `
name: kept-cnn
seed: 1
run_cap: 1
data: { source: mnist, samples: 300, preprocess: per_channel }
train: { model: cnn, filters: [4], epochs: 1, batch_norm: true, batch_size: 32, learning_rate: 0.01, backend: cpu }
`;

async function setUp(yaml: string): Promise<{ dir: string; spec: string; db: string; trials: TrialJson[] }> {
  const dir = tempDir();
  const spec = join(dir, 'spec.yaml');
  writeFileSync(spec, yaml);
  const db = join(dir, 'runs.db');
  const run = await runCli(['run', spec, '--storage', db, '--no-preflight', '--quiet']);
  assert.equal(run.code, 0, run.stderr);
  const res = await runCli(['trials', '--storage', db, '--json']);
  return { dir, spec, db, trials: JSON.parse(res.stdout) as TrialJson[] };
}

/** Loads an exported model with tfjs-layers from its files, as a user's program would. */
async function loadExported(dir: string): Promise<tfl.LayersModel> {
  await resolveBackend('cpu');
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weights = readFileSync(join(dir, 'weights.bin'));
  return tfl.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: new Uint8Array(weights).buffer }),
  );
}

/** A model-like object whose predictions are the mean of `models`' softmax outputs. */
function averaged(models: tfl.LayersModel[]): tfl.LayersModel {
  return { predict: (x: tf.Tensor) => tf.tidy(() => tf.div(tf.addN(models.map((m) => m.predict(x) as tf.Tensor)), models.length)) } as unknown as tfl.LayersModel;
}

/** Accuracy of a loaded model on the spec's test split, prepared as the trainer prepared it. */
async function testAccuracy(specPath: string, model: tfl.LayersModel): Promise<number> {
  await resolveBackend('cpu');
  const spec = await loadSpec(specPath);
  const data = loadData({ ...spec.data!, seed: spec.data!.seed ?? spec.seed });
  const shape = data.imageShape ?? [data.features];
  const predicted = tf.tidy(() => tf.argMax(model.predict(tf.tensor(data.test.x, [data.test.n, ...shape])) as tf.Tensor, -1).dataSync());
  let correct = 0;
  for (let i = 0; i < data.test.n; i++) if (predicted[i] === data.test.y[i]) correct++;
  return correct / data.test.n;
}

describe('kept models, export-model and predict', () => {
  it('keeps the top k, exports one tf.loadLayersModel loads, and gets the stored test accuracy back (MLP, batch norm)', async () => {
    const { dir, spec, db, trials } = await setUp(MLP);
    assert.equal(trials.length, 4);
    const ranked = [...trials].sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || a.number - b.number);
    const kept = readdirSync(join(dir, 'kept-mlp')).sort();
    assert.deepEqual(kept, ranked.slice(0, 2).map((t) => `trial-${t.number}`).sort(), 'only the best 2 keep their model');
    const best = ranked[0]!;
    const out = join(dir, 'exported');
    const exp = await runCli(['export-model', String(best.number), '--storage', db, '--out', out]);
    assert.equal(exp.code, 0, exp.stderr);
    const model = await loadExported(out);
    assert.equal(await testAccuracy(spec, model), best.attrs['test_accuracy']);
    const again = await runCli(['export-model', String(best.number), '--storage', db, '--out', out]);
    assert.equal(again.code, 2, 'a directory with files in it is never written into');
    assert.match(again.stderr, /not empty/);
    const meta = JSON.parse(readFileSync(join(out, 'hpsearch.json'), 'utf8')) as { weights_from: string; class_names: string[] };
    assert.equal(meta.weights_from, 'best');
    assert.deepEqual(meta.class_names, ['0', '1', '2']);

    // The ensemble of the two kept models: mean softmax on the test split, next to the best single model.
    const ens = await runCli(['ensemble', '--storage', db, '--top', '5', '--json']);
    assert.equal(ens.code, 0, ens.stderr);
    const got = JSON.parse(ens.stdout) as { members: { trial: number; test_accuracy: number }[]; ensemble_test_accuracy: number; best_single: { test_accuracy: number } };
    assert.deepEqual(got.members, ranked.slice(0, 2).map((t) => ({ trial: t.number, test_accuracy: t.attrs['test_accuracy'] })));
    assert.equal(got.best_single.test_accuracy, Math.max(...got.members.map((m) => m.test_accuracy)));
    const models = await Promise.all(ranked.slice(0, 2).map((t) => loadExported(join(dir, 'kept-mlp', `trial-${t.number}`))));
    assert.equal(got.ensemble_test_accuracy, await testAccuracy(spec, averaged(models)));

    const csv = join(dir, 'new.csv');
    writeFileSync(csv, 'a,b,c,d\n0,0,0,0\n3,-2,1,5\n');
    const pred = await runCli(['predict', String(best.number), csv, '--storage', db, '--json']);
    assert.equal(pred.code, 0, pred.stderr);
    const rows = JSON.parse(pred.stdout) as { predicted: string; probabilities: Record<string, number> }[];
    assert.equal(rows.length, 2);
    for (const r of rows) {
      const sum = Object.values(r.probabilities).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-5, `probabilities sum to ${sum}`);
    }
    const shown = await runCli(['predict', String(best.number), csv, '--storage', db]);
    const cells = shown.stdout.split('\n').filter((l) => /^│ \d/.test(l)).flatMap((l) => l.split('│').slice(3, -1).map((c) => c.trim()));
    assert.equal(cells.length, 2 * 3, shown.stdout);
    assert.ok(cells.every((c) => /^[01]\.\d{3}$/.test(c)), `probabilities to 3 decimals, no false precision:\n${shown.stdout}`);

    // A copy elsewhere is the same study: the same trials (times and attempts too), its kept models usable.
    const elsewhere = tempDir();
    const nope = await runCli(['copy', '--from', db, '--to', join(elsewhere, 'nope.db'), '--study', 'nope']);
    assert.equal(nope.code, 3, nope.stderr);
    assert.match(nope.stderr, /no study 'nope' in .* to copy \(studies: kept-mlp\)/);
    assert.deepEqual(readdirSync(elsewhere), [], 'no empty database is left');
    const copyDb = join(elsewhere, 'copy.db');
    assert.equal((await runCli(['copy', '--from', db, '--to', copyDb])).code, 0);
    const listed = await Promise.all([db, copyDb].map((d) => runCli(['trials', '--storage', d, '--json'])));
    assert.equal(listed[1]?.stdout, listed[0]?.stdout);
    const predCopy = await runCli(['predict', String(best.number), csv, '--storage', copyDb, '--json']);
    assert.equal(predCopy.code, 0, predCopy.stderr);
    assert.equal(predCopy.stdout, pred.stdout);
    assert.equal((await runCli(['export-model', String(best.number), '--storage', copyDb, '--out', join(elsewhere, 'exported')])).code, 0);
    assert.equal(await testAccuracy(spec, await loadExported(join(elsewhere, 'exported'))), best.attrs['test_accuracy']);

    // Deleted and corrupt models are errors naming the file.
    const loser = ranked[3]!;
    const gone = await runCli(['predict', String(loser.number), csv, '--storage', db]);
    assert.equal(gone.code, 3);
    assert.match(gone.stderr, new RegExp(`kept-mlp/trial-${loser.number}: no kept model there`));
    const second = ranked[1]!;
    truncateSync(join(dir, 'kept-mlp', `trial-${second.number}`, 'weights.bin'), 10);
    const corrupt = await runCli(['export-model', String(second.number), '--storage', db, '--out', join(dir, 'e2')]);
    assert.equal(corrupt.code, 4);
    assert.match(corrupt.stderr, /weights\.bin: corrupt \(10 bytes; model\.json describes \d+\)/);
    assert.equal(existsSync(join(dir, 'e2')), false);
    rmSync(join(dir, 'kept-mlp', `trial-${best.number}`, 'model.json'));
    const missing = await runCli(['predict', String(best.number), csv, '--storage', db]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /model\.json: missing/);
  });

  it('exports a CNN with batch norm and pooling that reproduces its test accuracy', async () => {
    const { dir, spec, db, trials } = await setUp(CNN);
    const [t] = trials;
    assert.equal(t?.state, 'complete');
    assert.equal(t.attrs['model'], 'kept-cnn/trial-0');
    const out = join(dir, 'cnn');
    assert.equal((await runCli(['export-model', '0', '--storage', db, '--out', out])).code, 0);
    const model = await loadExported(out);
    assert.deepEqual(model.layers.map((l) => l.getClassName()), ['Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'Flatten', 'Dense', 'Softmax']);
    assert.equal(await testAccuracy(spec, model), t.attrs['test_accuracy']);
  });

  it('keeps nothing with keep_models: none', async () => {
    const { dir, trials } = await setUp(CNN.replace('run_cap: 1', 'run_cap: 1\nkeep_models: none'));
    assert.equal(trials[0]?.attrs['model'], undefined);
    assert.equal(existsSync(join(dir, 'kept-cnn')), false);
  });
});

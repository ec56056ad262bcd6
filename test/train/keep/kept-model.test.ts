import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageError } from '../../../src/core/errors.js';
import { keepTrialModel, keptMeta } from '../../../src/train/keep/keep.js';
import { loadKeptModel, readKeptFiles, writeKeptModel, type KeptMeta } from '../../../src/train/keep/files.js';
import { toLayersModel } from '../../../src/train/keep/layers.js';
import { probabilities } from '../../../src/train/keep/predict.js';
import { checkCompatible, frozenOf, keptModelShapes, keptShapes, readInitialState } from '../../../src/train/keep/warm.js';
import { disposeSnapshot } from '../../../src/train/loop/session.js';
import { tempDir } from '../../helpers.js';
import { dataSpec, maxAbsDiff } from '../helpers.js';
import { fixture, result, sessionProbabilities, type Fixture } from './fixtures.js';

/** Keeps the fixture's session as trial 3's model in a fresh directory; returns the directory. */
async function kept(f: Fixture, attrs: Record<string, number> = { test_accuracy: 0.75 }): Promise<string> {
  const dir = join(tempDir(), 'study', 'trial-3');
  const res = result({ ...attrs });
  await keepTrialModel({ ...f.task, trial: 3, keep: { dir, name: 'study/trial-3' } }, f.session, f.data, res);
  assert.equal(res.attrs['model'], 'study/trial-3', 'the trial records where its model is');
  return dir;
}

/** The kept model's softmax outputs on the fixture's test split. */
async function keptProbabilities(dir: string, f: Fixture): Promise<number[][]> {
  const { meta, model } = await loadKeptModel(dir);
  try {
    return probabilities(model, meta, f.data.test.x, f.data.test.n).map((p) => Array.from(p));
  } finally {
    model.dispose();
  }
}

function assertClose(got: number[][], want: number[][], what: string): void {
  assert.equal(got.length, want.length);
  const diff = Math.max(...got.map((row, r) => maxAbsDiff(row, want[r]!)));
  assert.ok(diff < 1e-5, `${what}: the kept model's probabilities differ from the trainer's by ${diff}`);
}

describe('a kept model predicts what the trainer evaluated', () => {
  const cases: [string, Parameters<typeof fixture>[0], Parameters<typeof fixture>[1]?][] = [
    ['mlp, batch norm, leaky_relu, two hidden layers', { batch_norm: true, activation: 'leaky_relu', hidden_layers: 2, hidden_units: 5 }],
    ['mlp without batch norm (biases), tanh', { batch_norm: false, activation: 'tanh', hidden_layers: 1, hidden_units: 6 }],
    [
      'cnn, batch norm, relu, max pooling of odd sizes',
      { model: 'cnn', filters: [3, 2], kernel_size: 3, batch_norm: true, activation: 'relu' },
      dataSpec({ source: 'mnist', samples: 40, kind: null, classes: null, features: null, points: null, noise: null, preprocess: 'per_channel' }),
    ],
    [
      'cnn without batch norm',
      { model: 'cnn', filters: [2], kernel_size: 3, batch_norm: false, activation: 'elu' },
      dataSpec({ source: 'mnist', samples: 40, kind: null, classes: null, features: null, points: null, noise: null, preprocess: 'per_channel' }),
    ],
  ];
  for (const [name, train, data] of cases) {
    it(name, async () => {
      const f = await fixture(train, data);
      try {
        const dir = await kept(f);
        assertClose(await keptProbabilities(dir, f), sessionProbabilities(f), name);
      } finally {
        f.session.dispose();
      }
    });
  }

  it('carries the moving mean and variance, not the batch statistics of the rows it is given', async () => {
    const f = await fixture({ batch_norm: true, hidden_layers: 1, hidden_units: 4 });
    try {
      const state = f.session.snapshot();
      const model = toLayersModel(f.net, state);
      disposeSnapshot(state);
      const bn = model.getLayer('block1_bn').getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      // tfjs-layers' BatchNormalization: gamma, beta, moving mean, moving variance.
      assert.deepEqual(bn.map((w) => w.map((v) => Math.fround(v))), [f.weights[1]!, f.weights[2]!, f.movingMean[0]!, f.movingVar[0]!].map((w) => Array.from(w)));
    } finally {
      f.session.dispose();
    }
  });
});

describe('the exported layers', () => {
  const layersOf = (model: ReturnType<typeof toLayersModel>): string[] =>
    model.layers.map((l) => `${l.getClassName()}:${l.name}${(l as unknown as { batchInputShape?: unknown }).batchInputShape === undefined ? '' : `:${JSON.stringify((l as unknown as { batchInputShape: unknown }).batchInputShape)}`}`);

  it('are named by block, in the trainer\'s order, with the input shape on the first only', async () => {
    const mnist = dataSpec({ source: 'mnist', samples: 40, kind: null, classes: null, features: null, points: null, noise: null, preprocess: 'per_channel' });
    const cases: [Parameters<typeof fixture>[0], Parameters<typeof fixture>[1] | undefined, string[]][] = [
      [{ model: 'cnn', filters: [3, 2], kernel_size: 3, batch_norm: true, activation: 'relu' }, mnist, [
        'Conv2D:block1_conv:[null,28,28,1]', 'BatchNormalization:block1_bn', 'Activation:block1_relu', 'MaxPooling2D:block1_pool',
        'Conv2D:block2_conv', 'BatchNormalization:block2_bn', 'Activation:block2_relu', 'MaxPooling2D:block2_pool',
        'Flatten:block3_flatten', 'Dense:output', 'Softmax:softmax',
      ]],
      [{ batch_norm: false, activation: 'leaky_relu', hidden_layers: 2, hidden_units: 5 }, undefined, [
        'Dense:block1_dense:[null,4]', 'LeakyReLU:block1_leaky_relu', 'Dense:block2_dense', 'LeakyReLU:block2_leaky_relu', 'Dense:output', 'Softmax:softmax',
      ]],
    ];
    for (const [train, data, want] of cases) {
      const f = await fixture(train, data);
      try {
        const state = f.session.snapshot();
        const model = toLayersModel(f.net, state);
        disposeSnapshot(state);
        assert.deepEqual(layersOf(model), want);
        model.dispose();
      } finally {
        f.session.dispose();
      }
    }
  });
});

describe('hpsearch.json: what using a kept model needs', () => {
  it('records the study, trial, parameters, shapes, classes, the training split preprocessing and the data', async () => {
    const f = await fixture({ batch_norm: true, hidden_layers: 1, hidden_units: 4 });
    try {
      const meta = readKeptFiles(await kept(f, { test_accuracy: 0.75, best_epoch: 2 })).meta;
      const transform = f.data.transform!;
      assert.ok(transform.scale.some((s) => Math.abs(s - 1) > 0.05), 'the fixture standardizes with a scale other than 1');
      assert.deepEqual(meta, {
        format: 'hpsearch-kept-model',
        study: 'test',
        trial: 3,
        params: {},
        input_shape: [4],
        class_names: ['0', '1', '2'],
        preprocess: { kind: 'standardize', shift: Array.from(transform.shift), scale: Array.from(transform.scale) },
        data: f.task.data,
        label: null,
        test_accuracy: 0.75,
        weights_from: 'best',
      } satisfies KeptMeta);
    } finally {
      f.session.dispose();
    }
  });

  it('without preprocessing: shift 0 and scale 1 per feature; the last weights; no accuracy when none was measured', async () => {
    const f = await fixture({ hidden_layers: 1, hidden_units: 3 });
    try {
      const data = { ...f.data, transform: undefined };
      const meta = keptMeta({ ...f.task, data: null }, data, result({ test_accuracy: 'n/a' }), [4]);
      assert.deepEqual(meta.preprocess, { kind: 'none', shift: [0, 0, 0, 0], scale: [1, 1, 1, 1] });
      assert.equal(meta.weights_from, 'final');
      assert.equal(meta.test_accuracy, null);
    } finally {
      f.session.dispose();
    }
  });

  it('csv data: the label column, so predict drops it from the rows it is given', async () => {
    const f = await fixture({ hidden_layers: 1, hidden_units: 3 });
    try {
      const csvTask = { ...f.task, data: dataSpec({ source: 'csv', path: '/data/iris.csv', label: 'species' }) };
      assert.equal(keptMeta(csvTask, f.data, result(), [4]).label, 'species');
      assert.equal(keptMeta({ ...f.task, data: null }, f.data, result(), [4]).label, null);
    } finally {
      f.session.dispose();
    }
  });

  it('a diverged trial, or one with nowhere to keep, keeps nothing', async () => {
    const f = await fixture({ hidden_layers: 1, hidden_units: 3 });
    try {
      const dir = join(tempDir(), 'trial-0');
      const diverged = result({}, { diverged: 'loss is NaN' });
      await keepTrialModel({ ...f.task, keep: { dir, name: 'x/trial-0' } }, f.session, f.data, diverged);
      assert.equal(existsSync(dir), false);
      assert.equal(diverged.attrs['model'], undefined);
      const nowhere = result();
      await keepTrialModel(f.task, f.session, f.data, nowhere);
      assert.equal(nowhere.attrs['model'], undefined);
    } finally {
      f.session.dispose();
    }
  });
});

describe('warm start from a kept model', () => {
  it('starts from the kept weights, moving means and moving variances, each in its place', async () => {
    const f = await fixture({ batch_norm: true, hidden_layers: 2, hidden_units: 3 });
    try {
      const state = readInitialState(await kept(f), f.net);
      assert.deepEqual(state, { weights: f.weights, movingMean: f.movingMean, movingVar: f.movingVar });
    } finally {
      f.session.dispose();
    }
  });

  it('refuses a kept model of another shape, naming both', async () => {
    const f = await fixture({ batch_norm: true, hidden_layers: 1, hidden_units: 3 });
    const g = await fixture({ batch_norm: true, hidden_layers: 1, hidden_units: 5 });
    try {
      const dir = await kept(f);
      assert.deepEqual(keptModelShapes(dir), keptShapes(f.net));
      assert.deepEqual(keptShapes(f.net), [[4, 3], [3], [3], [3, 3], [3], [3], [3]]);
      assert.throws(
        () => readInitialState(dir, g.net),
        { message: `init_from ${dir}: the kept model's weights have shapes [4, 3] [3] [3] [3, 3] [3] [3] [3]; this trial's network needs [4, 5] [5] [5] [5, 3] [3] [5] [5]` },
      );
      // Same count, one dimension off; and one shape fewer.
      assert.throws(() => checkCompatible(dir, [[4, 3], [3], [3], [3, 4], [3], [3], [3]], f.net), /shapes \[4, 3\] \[3\] \[3\] \[3, 4\]/);
      assert.throws(() => checkCompatible(dir, [[4, 3], [3], [3], [3, 3], [3], [3]], f.net), /weights have shapes/);
      assert.throws(() => checkCompatible(dir, [[4, 3], [3], [3], [3, 3, 1], [3], [3], [3]], f.net), /weights have shapes/);
      checkCompatible(dir, keptShapes(f.net), f.net);
    } finally {
      f.session.dispose();
      g.session.dispose();
    }
  });

  it('freeze: n holds the first n blocks: kernel and bias, or kernel, gamma, beta and moving statistics', async () => {
    const bn = await fixture({ batch_norm: true, hidden_layers: 2, hidden_units: 3 });
    const plain = await fixture({ batch_norm: false, hidden_layers: 2, hidden_units: 3 });
    try {
      // Layout with batch norm: dense1 kernel 0, gamma 1, beta 2; dense2 kernel 3, gamma 4, beta 5; output 6, 7.
      assert.deepEqual(frozenOf(bn.net, 1), { weights: new Set([0, 1, 2]), stats: new Set([0]) });
      assert.deepEqual(frozenOf(bn.net, 2), { weights: new Set([0, 1, 2, 3, 4, 5]), stats: new Set([0, 1]) });
      assert.deepEqual(frozenOf(bn.net, 0), { weights: new Set(), stats: new Set() });
      // Without: dense1 kernel 0, bias 1; dense2 2, 3; output 4, 5.
      assert.deepEqual(frozenOf(plain.net, 2), { weights: new Set([0, 1, 2, 3]), stats: new Set() });
      assert.deepEqual(frozenOf(plain.net, 3), { weights: new Set([0, 1, 2, 3, 4, 5]), stats: new Set() });
    } finally {
      bn.session.dispose();
      plain.session.dispose();
    }
  });
});

describe('the overwrite guard', () => {
  it('never replaces a directory hpsearch did not keep a model in; replaces its own, leaving no temporary folder', async () => {
    const f = await fixture({ hidden_layers: 1, hidden_units: 3 });
    try {
      const root = tempDir();
      const mine = join(root, 'mine');
      mkdirSync(mine);
      writeFileSync(join(mine, 'notes.txt'), 'mine');
      const state = f.session.snapshot();
      const model = toLayersModel(f.net, state);
      disposeSnapshot(state);
      const meta = keptMeta(f.task, f.data, result(), [4]);
      await assert.rejects(writeKeptModel(mine, model, meta), (e: unknown) => e instanceof StorageError && e.message === `${mine} exists and is not a model hpsearch kept; not overwriting it`);
      assert.deepEqual(readdirSync(mine), ['notes.txt']);
      assert.equal(readFileSync(join(mine, 'notes.txt'), 'utf8'), 'mine');

      const dir = join(root, 'deep', 'trial-1');
      await writeKeptModel(dir, model, meta);
      writeFileSync(join(dir, 'stale.txt'), 'from before');
      await writeKeptModel(dir, model, { ...meta, trial: 9 });
      model.dispose();
      assert.deepEqual(readdirSync(dir).sort(), ['hpsearch.json', 'model.json', 'weights.bin']);
      assert.equal(readKeptFiles(dir).meta.trial, 9);
      assert.deepEqual(readdirSync(join(root, 'deep')), ['trial-1'], 'no temporary folder is left');
    } finally {
      f.session.dispose();
    }
  });
});

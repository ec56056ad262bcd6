import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NotFoundError, StorageError, UsageError } from '../../../src/core/errors.js';
import type { TrialTask } from '../../../src/core/trainer.js';
import { ensembleAccuracy } from '../../../src/train/keep/ensemble.js';
import { exportKeptModel } from '../../../src/train/keep/export.js';
import { loadKeptModel, readKeptFiles, writeKeptModel } from '../../../src/train/keep/files.js';
import { keptMeta } from '../../../src/train/keep/keep.js';
import { toLayersModel } from '../../../src/train/keep/layers.js';
import { accuracyOf, predictCsv } from '../../../src/train/keep/predict.js';
import { disposeSnapshot } from '../../../src/train/loop/session.js';
import { tempDir } from '../../helpers.js';
import { dataSpec, maxAbsDiff } from '../helpers.js';
import { fixture, result, sessionProbabilities, type Fixture } from './fixtures.js';

const root = tempDir();
/** A fresh directory under this file's one temporary root. */
const fresh = (): string => mkdtempSync(join(root, 'd-'));

/** Writes the fixture's model with its meta (changed by `task`'s fields) to a fresh directory. */
async function keep(f: Fixture, taskFields: Partial<TrialTask> = {}, trial = 0): Promise<string> {
  const dir = join(fresh(), `trial-${trial}`);
  const state = f.session.snapshot();
  const model = toLayersModel(f.net, state);
  disposeSnapshot(state);
  try {
    await writeKeptModel(dir, model, keptMeta({ ...f.task, trial, ...taskFields }, f.data, result(), [...f.net.inputShape]));
  } finally {
    model.dispose();
  }
  return dir;
}

/** The fixture's test rows as the user has them: before the training split's preprocessing. */
function rawRows(f: Fixture): number[][] {
  const { shift, scale } = f.data.transform!;
  const { x, n } = f.data.test;
  return Array.from({ length: n }, (_, r) => Array.from({ length: 4 }, (_, k) => x[r * 4 + k]! * scale[k]! + shift[k]!));
}

function csvFile(lines: string[]): string {
  const file = join(fresh(), 'rows.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function assertClose(got: number[][], want: number[][]): void {
  assert.equal(got.length, want.length);
  const diff = Math.max(...got.map((row, r) => maxAbsDiff(row, want[r]!)));
  assert.ok(diff < 1e-4, `predicted probabilities differ from the trainer's by ${diff}`);
}

describe('predict', () => {
  it('preprocesses raw rows with the training split shift and scale, then gives what the trainer evaluated', async () => {
    const f = await fixture({ batch_norm: true, hidden_layers: 1, hidden_units: 5 });
    try {
      const dir = await keep(f);
      const rows = rawRows(f);
      const headed = await predictCsv(dir, csvFile(['a,b,c,d', ...rows.map((r) => r.join(','))]));
      assert.deepEqual(headed.classNames, ['0', '1', '2']);
      assertClose(headed.rows, sessionProbabilities(f));
      const bare = await predictCsv(dir, csvFile(rows.map((r) => r.join(','))));
      assertClose(bare.rows, sessionProbabilities(f));
    } finally {
      f.session.dispose();
    }
  });

  it('drops the label column of a csv study wherever it stands in the header', async () => {
    const f = await fixture({ hidden_layers: 1, hidden_units: 4 });
    try {
      const dir = await keep(f, { data: dataSpec({ source: 'csv', path: '/x.csv', label: 'kind' }) });
      const rows = rawRows(f);
      const got = await predictCsv(dir, csvFile(['a,b, kind ,c,d', ...rows.map((r) => [r[0], r[1], 'setosa', r[2], r[3]].join(','))]));
      assertClose(got.rows, sessionProbabilities(f));
    } finally {
      f.session.dispose();
    }
  });

  it('names the file, line and value of a row it cannot use', async () => {
    const f = await fixture({ hidden_layers: 1, hidden_units: 3 });
    try {
      const dir = await keep(f);
      const usage = (message: string) => (e: unknown) => e instanceof UsageError && e.message === message;
      const short = csvFile(['a,b,c,d', '1,2,3,4', '1,2,3']);
      await assert.rejects(predictCsv(dir, short), usage(`${short}:3: 3 feature values, the model takes 4`));
      const bareShort = csvFile(['1,2,3,4', '1,2,3,4,5']);
      await assert.rejects(predictCsv(dir, bareShort), usage(`${bareShort}:2: 5 feature values, the model takes 4`));
      const word = csvFile(['1,2,3,4', '1,x,3,4']);
      await assert.rejects(predictCsv(dir, word), usage(`${word}:2: 'x' is not a number`));
      const headedWord = csvFile(['a,b,c,d', '1,2,3,4', '1,2,inf,4']);
      await assert.rejects(predictCsv(dir, headedWord), usage(`${headedWord}:3: 'inf' is not a number`));
      const blank = csvFile(['1,2, ,4']);
      await assert.rejects(predictCsv(dir, blank), usage(`${blank}:1: ' ' is not a number`));
      const missing = join(fresh(), 'absent.csv');
      await assert.rejects(predictCsv(dir, missing), (e: unknown) => e instanceof UsageError && e.message.startsWith(`${missing}: cannot read (ENOENT`));
    } finally {
      f.session.dispose();
    }
  });
});

describe('accuracy and ensembles', () => {
  it('accuracy: the share of rows whose most probable class is their label (the first of equal ones)', () => {
    const probs = [[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.4, 0.4, 0.2]].map((p) => new Float32Array(p));
    const data = (y: number[]) => ({ x: new Float32Array(0), y: Int32Array.from(y), n: y.length });
    assert.equal(accuracyOf(probs, data([1, 1, 2, 0])), 3 / 4);
    assert.equal(accuracyOf(probs, data([1, 0, 2, 1])), 3 / 4);
    assert.equal(accuracyOf(probs, data([0, 1, 0, 1])), 0);
    assert.ok(Number.isNaN(accuracyOf([], data([]))));
  });

  it('scores each member, and the mean of their softmax outputs, on the test split', async () => {
    const a = await fixture({ hidden_layers: 1, hidden_units: 3 });
    const b = await fixture({ hidden_layers: 2, hidden_units: 4, activation: 'tanh' });
    try {
      const dirs = [await keep(a, {}, 4), await keep(b, {}, 9)];
      const pa = sessionProbabilities(a);
      const pb = sessionProbabilities(b);
      const acc = (p: number[][]) => accuracyOf(p.map((r) => new Float32Array(r)), a.data.test);
      const mean = pa.map((row, r) => row.map((v, k) => (v + pb[r]![k]!) / 2));
      const got = await ensembleAccuracy(dirs);
      assert.deepEqual(got.members, [
        { dir: dirs[0], trial: 4, accuracy: acc(pa) },
        { dir: dirs[1], trial: 9, accuracy: acc(pb) },
      ]);
      assert.equal(got.testRows, a.data.test.n);
      assert.equal(got.ensemble, acc(mean));
      assert.notEqual(acc(mean), acc(pa), 'the fixture tells the ensemble from its first member');
      const one = await ensembleAccuracy([dirs[1]!]);
      assert.equal(one.ensemble, acc(pb));
    } finally {
      a.session.dispose();
      b.session.dispose();
    }
  });

  it('refuses no models, a model without data, and models of other data', async () => {
    const f = await fixture({ hidden_layers: 1, hidden_units: 3 });
    try {
      await assert.rejects(ensembleAccuracy([]), { message: 'no kept models to ensemble' });
      const first = await keep(f);
      const noData = await keep(f, { data: null });
      await assert.rejects(ensembleAccuracy([noData]), (e: unknown) => e instanceof UsageError && e.message === `${noData}: the model keeps no data spec to test it on`);
      const other = await keep(f, { data: dataSpec({ points: 60, seed: 2 }) });
      await assert.rejects(
        ensembleAccuracy([first, other]),
        (e: unknown) => e instanceof UsageError && e.message === `${other}: trained on other data than the first model; an ensemble needs one test split`,
      );
    } finally {
      f.session.dispose();
    }
  });
});

describe('export-model and damaged kept models', () => {
  it('copies the three files into a new or empty directory, never into one with files', async () => {
    const f = await fixture({ hidden_layers: 1, hidden_units: 3 });
    try {
      const dir = await keep(f);
      const out = join(fresh(), 'a', 'b');
      assert.deepEqual(await exportKeptModel(dir, out), ['model.json', 'weights.bin', 'hpsearch.json']);
      for (const file of readdirSync(dir)) assert.ok(readFileSync(join(out, file)).equals(readFileSync(join(dir, file))), file);
      const empty = fresh();
      await exportKeptModel(dir, empty);
      assert.deepEqual(readdirSync(empty).sort(), ['hpsearch.json', 'model.json', 'weights.bin']);
      const full = fresh();
      writeFileSync(join(full, 'mine.txt'), 'x');
      await assert.rejects(exportKeptModel(dir, full), (e: unknown) => e instanceof UsageError && e.message === `--out ${full}: the directory is not empty; give a new or empty one`);
      assert.deepEqual(readdirSync(full), ['mine.txt']);
      truncateSync(join(dir, 'weights.bin'), 8);
      const never = join(fresh(), 'never');
      await assert.rejects(exportKeptModel(dir, never), StorageError);
      assert.equal(existsSync(never), false, 'a corrupt model is not exported');
    } finally {
      f.session.dispose();
    }
  });

  it('names the file of each problem', async () => {
    const f = await fixture({ hidden_layers: 1, hidden_units: 3 });
    try {
      const dir = await keep(f);
      const meta = join(dir, 'hpsearch.json');
      const model = join(dir, 'model.json');
      const weights = join(dir, 'weights.bin');
      const metaText = readFileSync(meta, 'utf8');
      const modelText = readFileSync(model, 'utf8');
      const bytes = readFileSync(weights);
      const fails = (cls: typeof StorageError | typeof NotFoundError, message: string | RegExp) => (e: unknown) =>
        e instanceof cls && (typeof message === 'string' ? e.message === message : message.test(e.message));
      const restore = () => {
        writeFileSync(meta, metaText);
        writeFileSync(model, modelText);
        writeFileSync(weights, bytes);
      };
      const absent = join(fresh(), 'gone');
      assert.throws(() => readKeptFiles(absent), fails(NotFoundError, `${absent}: no kept model there (deleted, or never kept: see keep_models)`));
      rmSync(meta);
      assert.throws(() => readKeptFiles(dir), fails(NotFoundError, `${meta}: missing (what the model needs: preprocessing, class names); the kept model is incomplete`));
      writeFileSync(meta, '{ not json');
      assert.throws(() => readKeptFiles(dir), fails(StorageError, new RegExp(`^${meta}: corrupt \\(.*JSON`)));
      const parsed = JSON.parse(metaText) as Record<string, unknown>;
      for (const broken of [{ format: 'other' }, { class_names: 'abc' }, { input_shape: 4 }]) {
        writeFileSync(meta, JSON.stringify({ ...parsed, ...broken }));
        assert.throws(() => readKeptFiles(dir), fails(StorageError, `${meta}: corrupt (not an hpsearch kept model's description)`), JSON.stringify(broken));
      }
      restore();
      rmSync(model);
      assert.throws(() => readKeptFiles(dir), fails(NotFoundError, `${model}: missing (the architecture); the kept model is incomplete`));
      const json = JSON.parse(modelText) as { modelTopology?: unknown; weightsManifest: { weights: { dtype: string }[] }[] };
      writeFileSync(model, JSON.stringify({ ...json, modelTopology: undefined }));
      assert.throws(() => readKeptFiles(dir), fails(StorageError, `${model}: corrupt (no modelTopology or weightsManifest)`));
      writeFileSync(model, JSON.stringify({ ...json, weightsManifest: [] }));
      assert.throws(() => readKeptFiles(dir), fails(StorageError, `${model}: corrupt (no modelTopology or weightsManifest)`));
      restore();
      rmSync(weights);
      assert.throws(() => readKeptFiles(dir), fails(NotFoundError, `${weights}: missing (the weights); the kept model is incomplete`));
      restore();
      // [4, 3] [3] [3, 3] [3] float32: 27 values, 108 bytes.
      assert.equal(bytes.byteLength, 108);
      truncateSync(weights, 100);
      assert.throws(() => readKeptFiles(dir), fails(StorageError, `${weights}: corrupt (100 bytes; model.json describes 108)`));
      restore();
      // A kernel of booleans takes one byte per value, an int32 four.
      json.weightsManifest[0]!.weights[0]!.dtype = 'bool';
      writeFileSync(model, JSON.stringify(json));
      assert.throws(() => readKeptFiles(dir), fails(StorageError, `${weights}: corrupt (108 bytes; model.json describes ${108 - 12 * 3})`));
      json.weightsManifest[0]!.weights[0]!.dtype = 'int32';
      writeFileSync(model, JSON.stringify(json));
      assert.equal(readKeptFiles(dir).meta.trial, 0);
      writeFileSync(model, JSON.stringify({ ...JSON.parse(modelText), modelTopology: { class_name: 'Nonsense', config: {} } }));
      await assert.rejects(loadKeptModel(dir), fails(StorageError, new RegExp(`^${model}: corrupt \\(`)));
      restore();
      const { model: loaded } = await loadKeptModel(dir);
      loaded.dispose();
    } finally {
      f.session.dispose();
    }
  });
});

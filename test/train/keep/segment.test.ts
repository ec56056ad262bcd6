import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Attrs } from '../../../src/core/types.js';
import type { Storage } from '../../../src/store/storage.js';
import { folderName, KeptModels, keptModelName, modelsRoot } from '../../../src/study/keep.js';
import { checkFixedNetwork } from '../../../src/train/keep/check-warm.js';
import { keepTrialModel } from '../../../src/train/keep/keep.js';
import { isKeptModelDir } from '../../../src/train/keep/marker.js';
import { readSegment, writeSegment } from '../../../src/train/keep/segment.js';
import { oneHot } from '../../../src/train/loop/batches.js';
import { resolveSettings } from '../../../src/train/settings.js';
import { tempDir } from '../../helpers.js';
import { fixture, result } from './fixtures.js';

const root = tempDir();
const fresh = (): string => mkdtempSync(join(root, 'd-'));

describe('a pbt segment checkpoint', () => {
  it('gives back the weights, moving mean and variance, optimizer state and reference in their places', async () => {
    const f = await fixture({ batch_norm: true, hidden_layers: 2, hidden_units: 3, optimizer: 'adam' });
    try {
      const settings = resolveSettings(f.task);
      const { x, y, n } = f.data.train;
      f.session.step(x.subarray(0, 8 * 4), oneHot(y.subarray(0, 8), 3), 8, 0.01, false);
      const dir = join(fresh(), 'seg');
      writeSegment(dir, 3, f.session, settings, 1.25);
      const back = readSegment(dir, f.net, settings);
      const stats = f.session.movingStatistics();
      assert.deepEqual(back.warm.initial, { weights: f.session.weightValues(), movingMean: stats.mean, movingVar: stats.variance });
      assert.notDeepEqual(stats.mean, stats.variance);
      assert.deepEqual(back.warm.frozen, { weights: new Set(), stats: new Set() });
      assert.equal(back.reference, 1.25);
      const saved = f.session.optimizerState();
      assert.equal(saved.steps, 1);
      assert.deepEqual(back.optimizer, saved);
      assert.equal(readSegment(dir, f.net, { ...settings, optimizer: 'sgd' }).optimizer, null, 'another optimizer starts afresh');
      const other = await fixture({ batch_norm: true, hidden_layers: 2, hidden_units: 4, optimizer: 'adam' });
      try {
        assert.throws(() => readSegment(dir, other.net, settings), /init_from .*seg: the kept model's weights have shapes \[12\] \[3\] \[3\] \[9\]/);
      } finally {
        other.session.dispose();
      }
      assert.ok(n > 8);
    } finally {
      f.session.dispose();
    }
  });
});

describe('checking a warm start before the study runs', () => {
  it('says why a kept model cannot start the network, or null when it can', async () => {
    const f = await fixture({ hidden_layers: 2, hidden_units: 3 });
    try {
      const dir = join(fresh(), 'trial-0');
      await keepTrialModel({ ...f.task, keep: { dir, name: 'x' } }, f.session, f.data, result());
      assert.equal(checkFixedNetwork(dir, f.task, 3), null);
      assert.equal(checkFixedNetwork(dir, f.task, 4), "freeze: 4 is more than the network's 3 layers");
      assert.equal(checkFixedNetwork(dir, { ...f.task, data: null }, 0), 'init_from needs data:');
      assert.match(checkFixedNetwork(dir, { ...f.task, train: { ...f.task.train, hidden_units: 5 } }, 0) ?? '', /this trial's network needs \[4, 5\]/);
      assert.match(checkFixedNetwork(join(dir, 'nope'), f.task, 0) ?? '', /no kept model there/);
    } finally {
      f.session.dispose();
    }
  });
});

/** A directory holding a kept model's marker (all the study side looks at). */
function keptDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'hpsearch.json'), JSON.stringify({ format: 'hpsearch-kept-model' }));
}

const trial = (number: number, value: number | null, state: 'complete' | 'pruned' = 'complete') => ({ number, value, state, attrs: { model: keptModelName('s', number) } as Attrs });

describe('which trials keep their model, and where', () => {
  it('puts models beside the storage file, under runs/ for PostgreSQL, nowhere for memory', () => {
    assert.equal(modelsRoot(''), null);
    assert.equal(modelsRoot(':memory:'), null);
    assert.equal(modelsRoot('postgres://u@h/db'), join(process.cwd(), 'runs'));
    assert.equal(modelsRoot('postgresql://u@h/db'), join(process.cwd(), 'runs'));
    assert.equal(modelsRoot('journal:/data/j/study.log'), '/data/j');
    assert.equal(modelsRoot('/data/s/runs.db'), '/data/s');
    assert.equal(modelsRoot('runs.db'), process.cwd());
    assert.equal(modelsRoot('x/postgres://a'), join(process.cwd(), 'x/postgres:'));
  });

  it('names a study folder safely and each trial trial-<n>', () => {
    assert.equal(folderName('my study/2'), 'my_study_2');
    assert.equal(folderName('a.b-c_1'), 'a.b-c_1');
    assert.equal(folderName('.'), '_.');
    assert.equal(folderName('..'), '_..');
    assert.equal(keptModelName('café', 4), 'caf_/trial-4');
  });

  it('gives a target unless nothing is kept', () => {
    const base = fresh();
    assert.deepEqual(new KeptModels(base).target('my s', 2), { dir: join(base, 'my_s', 'trial-2'), name: 'my_s/trial-2' });
    assert.equal(new KeptModels(null).target('s', 2), undefined);
    assert.equal(new KeptModels(base, { mode: 'none', k: 5 }).target('s', 2), undefined);
  });

  it('deletes the model of a trial that did not complete, and its attr; never a folder it did not keep', () => {
    const base = fresh();
    const models = new KeptModels(base);
    keptDir(join(base, 's', 'trial-1'));
    const done = { state: 'complete' as const, value: 1, error: null, attrs: { model: 's/trial-1' } as Attrs };
    models.settle(done);
    assert.equal(done.attrs['model'], 's/trial-1');
    const pruned = { ...done, state: 'pruned' as const, attrs: { model: 's/trial-1' } as Attrs };
    models.settle(pruned);
    assert.equal(pruned.attrs['model'], undefined);
    assert.throws(() => mkdtempSync(join(base, 's', 'trial-1', 'x')), /ENOENT/, 'the folder is gone');
    mkdirSync(join(base, 's', 'mine'));
    const user = { ...done, state: 'failed' as const, attrs: { model: 's/mine' } as Attrs };
    models.settle(user);
    assert.doesNotThrow(() => mkdtempSync(join(base, 's', 'mine', 'x')), 'a folder without a kept model stays');
  });

  it('top_k keeps the best k complete trials by the study direction', async () => {
    for (const [direction, survivors] of [
      ['maximize', [2, 3]],
      ['minimize', [0, 1]],
    ] as const) {
      const base = fresh();
      const models = new KeptModels(base, { mode: 'top_k', k: 2 });
      const trials = [trial(0, 0.1), trial(1, 0.2), trial(2, 0.9), trial(3, 0.8), trial(4, 5, 'pruned')];
      for (const t of trials) {
        models.target('s', t.number);
        keptDir(join(base, 's', `trial-${t.number}`));
      }
      const storage = { listTrials: () => Promise.resolve(trials) } as unknown as Storage;
      await models.prune(storage, 1, direction);
      const left = trials.filter((t) => {
        try {
          rmSync(join(base, 's', `trial-${t.number}`, 'probe'), { force: true });
          mkdtempSync(join(base, 's', `trial-${t.number}`, 'p'));
          return true;
        } catch {
          return false;
        }
      });
      assert.deepEqual(left.map((t) => t.number), [...survivors, 4], direction);
    }
  });

  it('with several objectives, every trial on the Pareto front keeps its model beside the top k', async () => {
    const objectives = [{ name: 'val_accuracy', goal: 'maximize' as const }, { name: 'params', goal: 'minimize' as const }];
    // 0 is best by accuracy; 1 and 3 are on the front (fewer parameters); 2 is dominated by 1.
    const vectors: [number, number][] = [[0.9, 100], [0.8, 10], [0.7, 50], [0.6, 5]];
    const run = async (given: typeof objectives | undefined): Promise<number[]> => {
      const base = fresh();
      const models = new KeptModels(base, { mode: 'top_k', k: 1 });
      const trials = vectors.map(([acc, params], n) => ({ ...trial(n, acc), attrs: { model: keptModelName('s', n), values: [acc, params] } }));
      for (const t of trials) {
        models.target('s', t.number);
        keptDir(join(base, 's', `trial-${t.number}`));
      }
      await models.prune({ listTrials: () => Promise.resolve(trials) } as unknown as Storage, 1, 'maximize', given);
      return trials.filter((t) => isKeptModelDir(join(base, 's', `trial-${t.number}`))).map((t) => t.number);
    };
    assert.deepEqual(await run(objectives), [0, 1, 3]);
    assert.deepEqual(await run(undefined), [0], 'one objective: the top k only');
    assert.deepEqual(await run(objectives.slice(0, 1)), [0], 'a list of one objective is one objective');
  });

  it('all keeps every model, and prune reads no trials while no model is kept', async () => {
    const base = fresh();
    const untouched = { listTrials: () => Promise.reject(new Error('read')) } as unknown as Storage;
    const all = new KeptModels(base, { mode: 'all', k: 1 });
    all.target('s', 0);
    keptDir(join(base, 's', 'trial-0'));
    await all.prune(untouched, 1, 'maximize');
    const topK = new KeptModels(base, { mode: 'top_k', k: 1 });
    topK.target('t', 0);
    await topK.prune(untouched, 1, 'maximize');
    await new KeptModels(null, { mode: 'top_k', k: 1 }).prune(untouched, 1, 'maximize');
    topK.target('s', 0);
    await assert.rejects(topK.prune(untouched, 1, 'maximize'), /read/);
  });

  it('a study folder that also holds folders of the user still has its models pruned', async () => {
    const base = fresh();
    const models = new KeptModels(base, { mode: 'top_k', k: 1 });
    const trials = [trial(0, 0.9), trial(1, 0.1)];
    for (const t of trials) {
      models.target('s', t.number);
      keptDir(join(base, 's', `trial-${t.number}`));
    }
    mkdirSync(join(base, 's', 'notes'));
    await models.prune({ listTrials: () => Promise.resolve(trials) } as unknown as Storage, 1, 'maximize');
    assert.deepEqual([0, 1].filter((n) => isKeptModelDir(join(base, 's', `trial-${n}`))), [0]);
    assert.doesNotThrow(() => mkdtempSync(join(base, 's', 'notes', 'x')), "the user's folder stays");
  });
});

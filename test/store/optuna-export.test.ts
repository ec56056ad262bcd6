/** The Optuna export's rows, read back with SQL: states, values, intermediate values, params and attributes. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { StorageError, UsageError } from '../../src/core/errors.js';
import type { EpochRecord, FrozenTrial } from '../../src/core/types.js';
import { optunaParam, writeOptunaStudy } from '../../src/store/optuna-export.js';
import { tempDir } from '../helpers.js';
import { DISTRIBUTIONS, newTrial } from './fixtures.js';

const dir = tempDir('hpsearch-optuna-export-');
let counter = 0;

function trial(number: number, state: FrozenTrial['state'], value: number | null, extra: Partial<FrozenTrial> = {}): FrozenTrial {
  const t = newTrial(number);
  return {
    studyId: 1, number, state, value, params: t.params, distributions: t.distributions, seed: t.seed, attempt: 1,
    started: '2025-03-04T05:06:07.891Z', finished: '2025-03-04T05:07:00.000Z', heartbeat: null, worker: 'w', error: null,
    attrs: {}, ...extra,
  };
}

const TRIALS: FrozenTrial[] = [
  trial(0, 'complete', 0.25, { attrs: { verdict: { verdict: 'good_fit', score: 1 }, stage: 2 } }),
  trial(1, 'complete', NaN),
  trial(2, 'pruned', 0.5),
  trial(3, 'diverged', Infinity, { error: 'loss is not finite' }),
  trial(4, 'failed', null, { error: 'boom', attrs: { verdict: 'plain' } }),
  trial(5, 'interrupted', null),
  trial(6, 'running', null, { finished: null }),
  trial(7, 'complete', -Infinity),
  trial(8, 'complete', null),
];

function exported(): Database.Database {
  const path = join(dir, `study-${counter++}.db`);
  const curves = new Map<number, EpochRecord[]>([
    [0, [{ epoch: 0, metrics: { val_loss: NaN, train_loss: 2 } }, { epoch: 1, metrics: { val_loss: 0.25, train_loss: Infinity, lr: 0.1 } }]],
    [2, [{ epoch: 0, metrics: { val_loss: -Infinity } }, { epoch: 1, metrics: { train_loss: 1 } }]],
  ]);
  writeOptunaStudy(path, { study: { name: 'st', direction: 'minimize', metric: 'val_loss', attrs: { seed: 7 } }, trials: TRIALS, curves });
  return new Database(path, { readonly: true });
}

const all = (db: Database.Database, sql: string): unknown[] => db.prepare(sql).all();

describe('Optuna export', () => {
  it('maps states, keeps values with their type, and makes a complete trial without a value FAIL', () => {
    const db = exported();
    assert.deepEqual(all(db, 'SELECT number, state, datetime_start, datetime_complete FROM trials ORDER BY number').map((r) => Object.values(r as Record<string, unknown>)), [
      [0, 'COMPLETE', '2025-03-04 05:06:07.891000', '2025-03-04 05:07:00.000000'],
      [1, 'FAIL', '2025-03-04 05:06:07.891000', '2025-03-04 05:07:00.000000'],
      [2, 'PRUNED', '2025-03-04 05:06:07.891000', '2025-03-04 05:07:00.000000'],
      [3, 'FAIL', '2025-03-04 05:06:07.891000', '2025-03-04 05:07:00.000000'],
      [4, 'FAIL', '2025-03-04 05:06:07.891000', '2025-03-04 05:07:00.000000'],
      [5, 'FAIL', '2025-03-04 05:06:07.891000', '2025-03-04 05:07:00.000000'],
      [6, 'RUNNING', '2025-03-04 05:06:07.891000', null],
      [7, 'COMPLETE', '2025-03-04 05:06:07.891000', '2025-03-04 05:07:00.000000'],
      [8, 'FAIL', '2025-03-04 05:06:07.891000', '2025-03-04 05:07:00.000000'],
    ]);
    assert.deepEqual(all(db, 'SELECT t.number, v.objective, v.value, v.value_type FROM trial_values v JOIN trials t USING (trial_id) ORDER BY t.number'), [
      { number: 0, objective: 0, value: 0.25, value_type: 'FINITE' },
      { number: 7, objective: 0, value: null, value_type: 'INF_NEG' },
    ]);
    assert.deepEqual(all(db, 'SELECT study_name FROM studies'), [{ study_name: 'st' }]);
    assert.deepEqual(all(db, 'SELECT direction, objective FROM study_directions'), [{ direction: 'MINIMIZE', objective: 0 }]);
    assert.deepEqual(all(db, 'SELECT "key", value_json FROM study_user_attributes ORDER BY "key"'), [
      { key: 'metric', value_json: '"val_loss"' },
      { key: 'seed', value_json: '7' },
    ]);
    assert.deepEqual(all(db, 'SELECT schema_version, library_version FROM version_info'), [{ schema_version: 12, library_version: '3.1.0' }]);
    assert.deepEqual(all(db, 'SELECT version_num FROM alembic_version'), [{ version_num: 'v3.0.0.d' }]);
  });

  it('writes the objective per epoch as intermediate values, NaN and ±Infinity typed', () => {
    const db = exported();
    const rows = all(db, `SELECT t.number, i.step, i.intermediate_value AS v, i.intermediate_value_type AS type
      FROM trial_intermediate_values i JOIN trials t USING (trial_id) ORDER BY t.number, i.step`);
    assert.deepEqual(rows, [
      { number: 0, step: 0, v: null, type: 'NAN' },
      { number: 0, step: 1, v: 0.25, type: 'FINITE' },
      { number: 2, step: 0, v: null, type: 'INF_NEG' },
    ]);
  });

  it('makes the state, the verdict, the reason, the attributes and the last epoch\'s other metrics user attributes', () => {
    const db = exported();
    const attrs = (n: number): Record<string, unknown> =>
      Object.fromEntries(
        (all(db, `SELECT "key", value_json FROM trial_user_attributes a JOIN trials t USING (trial_id) WHERE t.number = ${n}`) as { key: string; value_json: string }[])
          .map((r) => [r.key, JSON.parse(r.value_json) as unknown]),
      );
    assert.deepEqual(attrs(0), {
      hpsearch_state: 'complete', stage: 2, verdict: 'good_fit', verdict_detail: { verdict: 'good_fit', score: 1 }, train_loss: null, lr: 0.1,
    });
    assert.deepEqual(attrs(2), { hpsearch_state: 'pruned', train_loss: 1 });
    assert.deepEqual(attrs(3), { hpsearch_state: 'diverged', reason: 'loss is not finite' });
    assert.deepEqual(attrs(4), { hpsearch_state: 'failed', reason: 'boom', verdict: 'plain' });
  });

  it('stores each parameter as Optuna does: distribution JSON and a categorical as its index', () => {
    const db = exported();
    const rows = all(db, 'SELECT param_name, param_value, distribution_json FROM trial_params p JOIN trials t USING (trial_id) WHERE t.number = 1 ORDER BY param_name') as
      { param_name: string; param_value: number; distribution_json: string }[];
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.param_name, [r.param_value, JSON.parse(r.distribution_json) as unknown]])), {
      beta1: [0.99, { name: 'FloatDistribution', attributes: { step: null, low: 0.9, high: 0.999, log: false } }],
      epochs: [0, { name: 'CategoricalDistribution', attributes: { choices: [30] } }],
      hidden_units: [65, { name: 'IntDistribution', attributes: { log: false, step: 1, low: 16, high: 512 } }],
      learning_rate: [0.01, { name: 'FloatDistribution', attributes: { step: null, low: 1e-5, high: 0.1, log: true } }],
      optimizer: [1, { name: 'CategoricalDistribution', attributes: { choices: ['sgd', 'adam'] } }],
      step: [0.25, { name: 'FloatDistribution', attributes: { step: 0.25, low: 0, high: 1, log: false } }],
      use_bias: [1, { name: 'CategoricalDistribution', attributes: { choices: [true, false] } }],
    });
    assert.deepEqual(optunaParam({ type: 'q_log_uniform_values', min: 1, max: 64, q: 1 }, 8), {
      json: JSON.stringify({ name: 'FloatDistribution', attributes: { step: null, low: 1, high: 64, log: true } }),
      value: 8,
    });
    assert.deepEqual(optunaParam({ type: 'uniform', min: -1, max: 1 }, 0.5).json, JSON.stringify({ name: 'FloatDistribution', attributes: { step: null, low: -1, high: 1, log: false } }));
    assert.equal(optunaParam(DISTRIBUTIONS.optimizer!, 'rmsprop').value, 0, 'a value not among the choices is the first');
  });

  it('leaves out a parameter a trial has no value for', () => {
    const path = join(dir, `study-${counter++}.db`);
    const t = trial(0, 'complete', 1);
    delete t.params.optimizer;
    writeOptunaStudy(path, { study: { name: 'p', direction: 'maximize', metric: 'val_accuracy', attrs: {} }, trials: [t], curves: new Map() });
    const db = new Database(path, { readonly: true });
    const names = (all(db, 'SELECT param_name FROM trial_params ORDER BY param_name') as { param_name: string }[]).map((r) => r.param_name);
    assert.deepEqual(names, ['beta1', 'epochs', 'hidden_units', 'learning_rate', 'step', 'use_bias']);
    assert.deepEqual(all(db, 'SELECT direction FROM study_directions'), [{ direction: 'MAXIMIZE' }]);
  });

  it('refuses a file that exists, untouched, and reports a write that fails as a storage error', () => {
    const path = join(dir, 'taken.db');
    writeFileSync(path, 'mine');
    assert.throws(() => writeOptunaStudy(path, { study: { name: 's', direction: 'minimize', metric: 'm', attrs: {} }, trials: [], curves: new Map() }),
      (e: unknown) => e instanceof UsageError && e.message === `${path} exists: hpsearch writes an Optuna export only to a new file (remove it or choose another --out)`);
    const study = { name: 's', direction: 'minimize' as const, metric: 'm', attrs: {} };
    const twice = new Map([[0, [{ epoch: 0, metrics: { m: 1 } }, { epoch: 0, metrics: { m: 2 } }]]]);
    assert.throws(() => writeOptunaStudy(join(dir, 'dup.db'), { study, trials: [trial(0, 'complete', 1)], curves: twice }),
      (e: unknown) => e instanceof StorageError && e.message.startsWith(join(dir, 'dup.db')) && /UNIQUE/.test(e.message));
    const nowhere = join(dir, 'no-such-dir', 'x.db');
    assert.throws(() => writeOptunaStudy(nowhere, { study, trials: [], curves: new Map() }), (e: unknown) => e instanceof StorageError && e.message.startsWith(nowhere));
  });
});

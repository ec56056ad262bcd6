/** The rows of the SQL storages (SQLite and PostgreSQL) turned into records and back, cell by cell. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttrRow, EpochCells, ParamRow, StudyRow, TrialCells, TrialRow } from '../../src/store/sqlite-rows.js';
import { byTrial, epochAt, paramRowOf, paramRows, toEpoch, toStudy, toTrial, trialRowOf } from '../../src/store/sqlite-rows.js';

const TRIAL_ROW: TrialRow = {
  id: 11,
  study_id: 3,
  number: 5,
  state: 'complete',
  value: 'NaN',
  seed: 1005,
  attempt: 2,
  started: '2026-01-01T00:00:00.000Z',
  finished: '2026-01-01T00:01:00.000Z',
  heartbeat: '2026-01-01T00:00:30.000Z',
  worker: 'w-1',
  error: 'boom',
};

describe('sqlite rows', () => {
  it('names the cells of a trial row read in raw mode, in TRIAL_COLUMNS order', () => {
    const cells: TrialCells = [11, 3, 5, 'complete', 'NaN', 1005, 2, TRIAL_ROW.started, TRIAL_ROW.finished, TRIAL_ROW.heartbeat, 'w-1', 'boom'];
    assert.deepEqual(trialRowOf(cells), TRIAL_ROW);
  });

  it('names the cells of a parameter row read in raw mode', () => {
    assert.deepEqual(paramRowOf([4, 'lr', '0.5', '{"type":"constant","value":0.5}']), {
      trial_id: 4,
      name: 'lr',
      value: '0.5',
      distribution: '{"type":"constant","value":0.5}',
    });
    assert.deepEqual(paramRowOf([4, 'lr', null, null]), { trial_id: 4, name: 'lr', value: null, distribution: null });
  });

  it('turns a studies row into its record, the attributes decoded', () => {
    const row: StudyRow = {
      id: 2,
      name: 'bowl',
      spec_text: 'name: bowl\n',
      spec_hash: 'h',
      spec_json: '{"name":"bowl"}',
      direction: 'maximize',
      metric: 'val_accuracy',
      seed: 7,
      created: '2026-01-01T00:00:00.000Z',
      attrs: '{"stage":2,"best":{"$num":"-Infinity"}}',
    };
    assert.deepEqual(toStudy(row), {
      id: 2,
      name: 'bowl',
      specText: 'name: bowl\n',
      specHash: 'h',
      specJson: '{"name":"bowl"}',
      direction: 'maximize',
      metric: 'val_accuracy',
      seed: 7,
      created: '2026-01-01T00:00:00.000Z',
      attrs: { stage: 2, best: -Infinity },
    });
  });

  it('turns a trial row with its parameters and attributes into a trial, each cell decoded', () => {
    const params: ParamRow[] = [
      { trial_id: 11, name: 'lr', value: '0.01', distribution: '{"type":"log_uniform_values","min":0.001,"max":0.1}' },
      { trial_id: 11, name: 'inf', value: '{"$num":"Infinity"}', distribution: null },
      { trial_id: 11, name: 'later', value: null, distribution: '{"type":"constant","value":1}' },
    ];
    const attrs: AttrRow[] = [
      { trial_id: 11, key: 'stage', value: '1' },
      { trial_id: 11, key: 'loss', value: '{"$num":"NaN"}' },
    ];
    const trial = toTrial(TRIAL_ROW, params, attrs);
    assert.deepEqual(trial, {
      studyId: 3,
      number: 5,
      state: 'complete',
      params: { lr: 0.01, inf: Infinity },
      distributions: {
        lr: { type: 'log_uniform_values', min: 0.001, max: 0.1 },
        later: { type: 'constant', value: 1 },
      },
      value: NaN,
      seed: 1005,
      attempt: 2,
      started: TRIAL_ROW.started,
      finished: TRIAL_ROW.finished,
      heartbeat: TRIAL_ROW.heartbeat,
      worker: 'w-1',
      error: 'boom',
      attrs: { stage: 1, loss: NaN },
    });
    assert.ok(!('later' in trial.params), 'a parameter without a value is absent, not null');
    assert.ok(!('inf' in trial.distributions), 'a parameter without a distribution has none');
  });

  it('a trial without parameters or attributes has empty ones; a NULL value is null', () => {
    const row: TrialRow = { ...TRIAL_ROW, state: 'running', value: null, finished: null, worker: null, error: null };
    const trial = toTrial(row, [], []);
    assert.deepEqual(trial.params, {});
    assert.deepEqual(trial.distributions, {});
    assert.deepEqual(trial.attrs, {});
    assert.equal(trial.value, null);
    assert.equal(trial.worker, null);
    assert.equal(trial.finished, null);
    assert.equal(toTrial({ ...row, value: 0.25 }, [], []).value, 0.25);
  });

  it('turns an epoch row into the epoch and its metrics, the extra ones from their JSON', () => {
    const cells: EpochCells = [4, 0.5, null, 'NaN', 0.75, 'Infinity', 12, '{"grad_norm":3,"odd":{"$num":"-Infinity"}}'];
    assert.deepEqual(toEpoch(cells), {
      epoch: 4,
      metrics: { train_loss: 0.5, val_loss: NaN, val_accuracy: 0.75, lr: Infinity, seconds: 12, grad_norm: 3, odd: -Infinity },
    });
    assert.deepEqual(toEpoch([0, null, null, null, null, null, null, null]), { epoch: 0, metrics: {} });
  });

  it('reads an epoch whose cells start further along a row (a study-wide row begins with the trial number)', () => {
    const row = [9, 2, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, '{"x":1}'];
    assert.deepEqual(epochAt(row, 1), {
      epoch: 2,
      metrics: { train_loss: 0.1, train_accuracy: 0.2, val_loss: 0.3, val_accuracy: 0.4, lr: 0.5, seconds: 0.6, x: 1 },
    });
    assert.deepEqual(epochAt([7, 8, null, null, null, null, null, null, null], 1), { epoch: 8, metrics: {} });
  });

  it('gives a parameter row for every name with a value or a distribution, encoded, null where absent', () => {
    const rows = paramRows({
      params: { a: 1, b: NaN, c: 'x' },
      distributions: { c: { type: 'categorical', values: ['x', 'y'] }, d: { type: 'constant', value: Infinity } },
      seed: 1,
    });
    assert.deepEqual(rows, [
      { name: 'a', value: '1', distribution: null },
      { name: 'b', value: '{"$num":"NaN"}', distribution: null },
      { name: 'c', value: '"x"', distribution: '{"type":"categorical","values":["x","y"]}' },
      { name: 'd', value: null, distribution: '{"type":"constant","value":{"$num":"Infinity"}}' },
    ]);
    assert.deepEqual(paramRows({ params: {}, distributions: {}, seed: 1 }), []);
  });

  it('groups rows by trial id, in the order they come', () => {
    const rows = [
      { trial_id: 2, k: 'a' },
      { trial_id: 1, k: 'b' },
      { trial_id: 2, k: 'c' },
      { trial_id: 2, k: 'd' },
      { trial_id: 1, k: 'e' },
    ];
    const groups = byTrial(rows);
    assert.deepEqual([...groups.entries()], [
      [2, [rows[0], rows[2], rows[3]]],
      [1, [rows[1], rows[4]]],
    ]);
    assert.equal(byTrial([]).size, 0);
  });
});

/** Rows of the SQLite tables and their conversion to records (no SQL here beyond names). */
import type { Distribution } from '../core/distributions.js';
import type { Attrs, Direction, EpochRecord, FrozenTrial, Params, ParamValue, TrialState } from '../core/types.js';
import { decodeJson, decodeReal, encodeJson, joinMetrics } from './encode.js';
import type { NewTrial, StudyRecord } from './storage.js';

export interface StudyRow {
  id: number;
  name: string;
  spec_text: string;
  spec_hash: string;
  spec_json: string;
  direction: string;
  metric: string;
  seed: number;
  created: string;
  attrs: string;
}

export interface TrialRow {
  id: number;
  study_id: number;
  number: number;
  state: string;
  value: unknown;
  seed: number;
  attempt: number;
  started: string | null;
  finished: string | null;
  heartbeat: string | null;
  worker: string | null;
  error: string | null;
}

export interface ParamRow {
  trial_id: number;
  name: string;
  value: string | null;
  distribution: string | null;
}

export interface AttrRow {
  trial_id: number;
  key: string;
  value: string;
}

/** A trials row read in raw mode, in TRIAL_COLUMNS order. */
export type TrialCells = [number, number, number, string, unknown, number, number, string | null, string | null, string | null, string | null, string | null];

/** A trial_params row read in raw mode: trial_id, name, value, distribution. */
export type ParamCells = [number, string, string | null, string | null];

export function trialRowOf(c: TrialCells): TrialRow {
  return { id: c[0], study_id: c[1], number: c[2], state: c[3], value: c[4], seed: c[5], attempt: c[6], started: c[7], finished: c[8], heartbeat: c[9], worker: c[10], error: c[11] };
}

export function paramRowOf(c: ParamCells): ParamRow {
  return { trial_id: c[0], name: c[1], value: c[2], distribution: c[3] };
}

/** An epoch row read in raw mode: [epoch, 6 standard metrics …, extra]. */
export type EpochCells = [number, unknown, unknown, unknown, unknown, unknown, unknown, string | null];

export const TRIAL_COLUMNS = 'id, study_id, number, state, value, seed, attempt, started, finished, heartbeat, worker, error';
export const EPOCH_COLUMNS = 'epoch, train_loss, train_accuracy, val_loss, val_accuracy, lr, seconds, extra';

export function toStudy(row: StudyRow): StudyRecord {
  return {
    id: row.id,
    name: row.name,
    specText: row.spec_text,
    specHash: row.spec_hash,
    specJson: row.spec_json,
    direction: row.direction as Direction,
    metric: row.metric,
    seed: row.seed,
    created: row.created,
    attrs: decodeJson(row.attrs) as Attrs,
  };
}

export function toTrial(row: TrialRow, params: readonly ParamRow[], attrs: readonly AttrRow[]): FrozenTrial {
  const p: Params = {};
  const distributions: Record<string, Distribution> = {};
  for (const r of params) {
    if (r.value !== null) p[r.name] = decodeJson(r.value) as ParamValue;
    if (r.distribution !== null) distributions[r.name] = decodeJson(r.distribution) as unknown as Distribution;
  }
  const a: Attrs = {};
  for (const r of attrs) a[r.key] = decodeJson(r.value);
  return {
    studyId: row.study_id,
    number: row.number,
    state: row.state as TrialState,
    params: p,
    distributions,
    value: decodeReal(row.value),
    seed: row.seed,
    attempt: row.attempt,
    started: row.started,
    finished: row.finished,
    heartbeat: row.heartbeat,
    worker: row.worker,
    error: row.error,
    attrs: a,
  };
}

export function toEpoch(cells: EpochCells): EpochRecord {
  return epochAt(cells, 0);
}

/** The epoch whose cells (as in {@link EpochCells}) start at `row[at]`. */
export function epochAt(row: readonly unknown[], at: number): EpochRecord {
  return { epoch: row[at] as number, metrics: joinMetrics(row, row[at + 7] as string | null, at + 1) };
}

/** The trial_params rows of a new trial: every name that has a value or a distribution. */
export function paramRows(trial: NewTrial): { name: string; value: string | null; distribution: string | null }[] {
  const names = new Set([...Object.keys(trial.params), ...Object.keys(trial.distributions)]);
  return [...names].map((name) => {
    const value = trial.params[name];
    const distribution = trial.distributions[name];
    return {
      name,
      value: value === undefined ? null : encodeJson(value),
      distribution: distribution === undefined ? null : encodeJson(distribution),
    };
  });
}

/** Groups rows by trial id. */
export function byTrial<R extends { trial_id: number }>(rows: readonly R[]): Map<number, R[]> {
  const out = new Map<number, R[]>();
  for (const r of rows) {
    const list = out.get(r.trial_id);
    if (list === undefined) out.set(r.trial_id, [r]);
    else list.push(r);
  }
  return out;
}

/**
 * Writes a study into a new SQLite file in Optuna's RDB schema. hpsearch's states map to
 * Optuna's (diverged and interrupted become FAIL, with `hpsearch_state` kept as a user
 * attribute); the objective per epoch becomes the intermediate values; the last epoch's other
 * metrics, the verdict and the trial attributes become user attributes.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { UsageError } from '../core/errors.js';
import type { Distribution } from '../core/distributions.js';
import type { Attrs, Direction, EpochRecord, FrozenTrial, JsonValue, ParamValue, TrialState } from '../core/types.js';
import { OPTUNA_ALEMBIC_VERSION, OPTUNA_DDL, OPTUNA_LIBRARY_VERSION, OPTUNA_SCHEMA_VERSION } from './optuna-schema.js';
import { toStorageError } from './sqlite-open.js';

export interface OptunaExportInput {
  study: { name: string; direction: Direction; metric: string; attrs: Attrs };
  trials: readonly FrozenTrial[];
  curves: ReadonlyMap<number, readonly EpochRecord[]>;
}

const STATES: Record<TrialState, string> = {
  complete: 'COMPLETE',
  pruned: 'PRUNED',
  diverged: 'FAIL',
  failed: 'FAIL',
  interrupted: 'FAIL',
  running: 'RUNNING',
  waiting: 'WAITING',
};

/** Optuna's distribution JSON and the value as Optuna stores it (a categorical's index). */
export function optunaParam(d: Distribution, value: ParamValue): { json: string; value: number } {
  const float = (log: boolean, step: number | null): string =>
    JSON.stringify({ name: 'FloatDistribution', attributes: { step, low: 'min' in d ? d.min : 0, high: 'max' in d ? d.max : 0, log } });
  switch (d.type) {
    case 'constant':
      return { json: JSON.stringify({ name: 'CategoricalDistribution', attributes: { choices: [d.value] } }), value: 0 };
    case 'categorical':
      return { json: JSON.stringify({ name: 'CategoricalDistribution', attributes: { choices: d.values } }), value: Math.max(0, d.values.indexOf(value)) };
    case 'int_uniform':
      return { json: JSON.stringify({ name: 'IntDistribution', attributes: { log: false, step: 1, low: d.min, high: d.max } }), value: Number(value) };
    case 'q_uniform':
      return { json: float(false, d.q), value: Number(value) };
    // Optuna has no log scale with a step, nor a log scale of 1 − x: the nearest it has.
    case 'log_uniform_values':
    case 'q_log_uniform_values':
      return { json: float(true, null), value: Number(value) };
    default:
      return { json: float(false, null), value: Number(value) };
  }
}

/** Optuna's (value, type) for a float: FINITE, INF_POS, INF_NEG or (intermediate values only) NAN. */
function typed(v: number): [number | null, string] {
  if (Number.isNaN(v)) return [null, 'NAN'];
  if (v === Infinity) return [null, 'INF_POS'];
  if (v === -Infinity) return [null, 'INF_NEG'];
  return [v, 'FINITE'];
}

/** ISO-8601 → Optuna's "YYYY-MM-DD HH:MM:SS.ffffff" (UTC). */
function datetime(iso: string | null): string | null {
  return iso === null ? null : new Date(iso).toISOString().replace('T', ' ').replace('Z', '000');
}

const finiteOrNull = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

function userAttrs(t: FrozenTrial, curve: readonly EpochRecord[], metric: string): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = { hpsearch_state: t.state, ...t.attrs };
  const verdict = t.attrs['verdict'];
  if (verdict !== null && typeof verdict === 'object' && !Array.isArray(verdict) && typeof verdict['verdict'] === 'string') {
    out['verdict'] = verdict['verdict'];
    out['verdict_detail'] = verdict;
  }
  if (t.error !== null) out['reason'] = t.error;
  for (const [name, v] of Object.entries(curve.at(-1)?.metrics ?? {})) if (name !== metric) out[name] = finiteOrNull(v);
  return out;
}

/** Writes `input` to a new file at `path` (refusing one that exists) in one transaction. */
export function writeOptunaStudy(path: string, input: OptunaExportInput): void {
  if (existsSync(path)) throw new UsageError(`${path} exists: hpsearch writes an Optuna export only to a new file (remove it or choose another --out)`);
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.exec(OPTUNA_DDL);
    const conn = db;
    conn.transaction(() => {
      conn.prepare('INSERT INTO version_info VALUES (1, ?, ?)').run(OPTUNA_SCHEMA_VERSION, OPTUNA_LIBRARY_VERSION);
      conn.prepare('INSERT INTO alembic_version VALUES (?)').run(OPTUNA_ALEMBIC_VERSION);
      const study = conn.prepare('INSERT INTO studies (study_name) VALUES (?)').run(input.study.name).lastInsertRowid;
      conn.prepare('INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, 0)').run(input.study.direction.toUpperCase(), study);
      const studyAttr = conn.prepare('INSERT INTO study_user_attributes (study_id, "key", value_json) VALUES (?, ?, ?)');
      studyAttr.run(study, 'metric', JSON.stringify(input.study.metric));
      for (const [k, v] of Object.entries(input.study.attrs)) studyAttr.run(study, k, JSON.stringify(v));
      const trial = conn.prepare('INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (?, ?, ?, ?, ?)');
      const param = conn.prepare('INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?)');
      const value = conn.prepare('INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, 0, ?, ?)');
      const step = conn.prepare('INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES (?, ?, ?, ?)');
      const attr = conn.prepare('INSERT INTO trial_user_attributes (trial_id, "key", value_json) VALUES (?, ?, ?)');
      for (const t of input.trials) {
        // Optuna requires a COMPLETE trial to have a value; one without becomes FAIL.
        const complete = t.state === 'complete' && t.value !== null && !Number.isNaN(t.value);
        const state = t.state === 'complete' && !complete ? 'FAIL' : STATES[t.state];
        const id = trial.run(t.number, study, state, datetime(t.started), datetime(t.finished)).lastInsertRowid;
        for (const [name, d] of Object.entries(t.distributions)) {
          const v = t.params[name];
          if (v === undefined) continue;
          const p = optunaParam(d, v);
          param.run(id, name, p.value, p.json);
        }
        if (complete && t.value !== null) value.run(id, ...typed(t.value));
        const curve = input.curves.get(t.number) ?? [];
        for (const e of curve) {
          const v = e.metrics[input.study.metric];
          if (v !== undefined) step.run(id, e.epoch, ...typed(v));
        }
        for (const [k, v] of Object.entries(userAttrs(t, curve, input.study.metric))) attr.run(id, k, JSON.stringify(v));
      }
    })();
  } catch (error) {
    throw toStorageError(error, path, true);
  } finally {
    db?.close();
  }
}

/** The prepared statements of SqliteStorage, prepared once per connection and reused. */
import type BetterSqlite3 from 'better-sqlite3';
import { INTERRUPTIONS_ATTR } from '../core/attempts.js';
import type { RealCell } from './encode.js';
import type { AttrRow, EpochCells, ParamCells, ParamRow, StudyRow, TrialCells, TrialRow } from './sqlite-rows.js';
import { EPOCH_COLUMNS, TRIAL_COLUMNS } from './sqlite-rows.js';
import { prepareRanking } from './sqlite-ranking.js';

type Db = BetterSqlite3.Database;

export interface ClaimQuery {
  study: number;
  staleBefore: string | null;
  orphans: string;
  maxAttempts: number | null;
}

export function prepareStatements(db: Db) {
  return {
    insertStudy: db.prepare<
      [string, string, string, string, string, string, number, string]
    >(`INSERT INTO studies (name, spec_text, spec_hash, spec_json, direction, metric, seed, created)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    studyById: db.prepare<[number], StudyRow>('SELECT * FROM studies WHERE id = ?'),
    studyByName: db.prepare<[string], StudyRow>('SELECT * FROM studies WHERE name = ?'),
    allStudies: db.prepare<[], StudyRow>('SELECT * FROM studies ORDER BY id'),
    stateCounts: db.prepare<[], { study_id: number; state: string; n: number }>(
      'SELECT study_id, state, COUNT(*) AS n FROM trials GROUP BY study_id, state',
    ),
    completeRange: db.prepare<[], { study_id: number; lo: number; hi: number }>(
      `SELECT study_id, MIN(value) AS lo, MAX(value) AS hi FROM trials
       WHERE state = 'complete' AND typeof(value) IN ('real', 'integer') GROUP BY study_id`,
    ),
    updateSpec: db.prepare<[string, string, string, number]>(
      'UPDATE studies SET spec_text = ?, spec_hash = ?, spec_json = ? WHERE id = ?',
    ),
    updateStudyAttrs: db.prepare<[string, number]>('UPDATE studies SET attrs = ? WHERE id = ?'),

    trialAllocation: db.prepare<[number], { count: number; next: number }>(
      'SELECT COUNT(*) AS count, COALESCE(MAX(number) + 1, 0) AS next FROM trials WHERE study_id = ?',
    ),
    insertTrial: db.prepare<[number, number, number, string, string, string]>(
      `INSERT INTO trials (study_id, number, state, seed, attempt, started, heartbeat, worker)
       VALUES (?, ?, 'running', ?, 1, ?, ?, ?)`,
    ),
    insertParam: db.prepare<[number, string, string | null, string | null]>(
      'INSERT INTO trial_params (trial_id, name, value, distribution) VALUES (?, ?, ?, ?)',
    ),
    upsertAttr: db.prepare<[number, string, string]>(
      `INSERT INTO trial_attrs (trial_id, key, value) VALUES (?, ?, ?)
       ON CONFLICT (trial_id, key) DO UPDATE SET value = excluded.value`,
    ),
    trialById: db.prepare<[number], TrialRow>(`SELECT ${TRIAL_COLUMNS} FROM trials WHERE id = ?`),
    trialByNumber: db.prepare<[number, number], TrialRow>(
      `SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = ? AND number = ?`,
    ),
    // Study-wide lists are read in raw mode (arrays; sqlite-rows.ts names the cells): faster at 10 000s of rows.
    trialsOfStudy: db
      .prepare<[number, string | null, string | null], TrialCells>(
        `SELECT ${TRIAL_COLUMNS} FROM trials
         WHERE study_id = ? AND (? IS NULL OR state IN (SELECT value FROM json_each(?))) ORDER BY number`,
      )
      .raw(),
    paramsOfTrial: db.prepare<[number], ParamRow>('SELECT * FROM trial_params WHERE trial_id = ? ORDER BY rowid'),
    attrsOfTrial: db.prepare<[number], AttrRow>('SELECT * FROM trial_attrs WHERE trial_id = ? ORDER BY rowid'),
    paramsOfStudy: db
      .prepare<[number], ParamCells>(
        `SELECT p.trial_id, p.name, p.value, p.distribution FROM trial_params p JOIN trials t ON t.id = p.trial_id
         WHERE t.study_id = ? ORDER BY p.rowid`,
      )
      .raw(),
    attrsOfStudy: db.prepare<[number, string], AttrRow>(
      `SELECT a.* FROM trial_attrs a JOIN trials t ON t.id = a.trial_id
       WHERE t.study_id = ? AND a.key NOT IN (SELECT value FROM json_each(?)) ORDER BY a.rowid`,
    ),
    claimable: db.prepare<ClaimQuery, { id: number }>(
      `SELECT id FROM trials
       WHERE study_id = @study
         AND (@maxAttempts IS NULL OR attempt - COALESCE((SELECT CAST(a.value AS INTEGER) FROM trial_attrs a
                WHERE a.trial_id = trials.id AND a.key = '${INTERRUPTIONS_ATTR}'), 0) < @maxAttempts)
         AND (state IN ('interrupted', 'waiting')
              OR (state = 'running'
                  AND (worker IN (SELECT value FROM json_each(@orphans))
                       OR (@staleBefore IS NOT NULL AND (heartbeat IS NULL OR heartbeat < @staleBefore)))))
       ORDER BY number LIMIT 1`,
    ),
    claim: db.prepare<[string, string, string, number]>(
      `UPDATE trials SET state = 'running', attempt = attempt + 1, worker = ?, started = ?, heartbeat = ?,
         finished = NULL, value = NULL, error = NULL WHERE id = ?`,
    ),
    deleteEpochs: db.prepare<[number]>('DELETE FROM trial_epochs WHERE trial_id = ?'),
    deleteAttemptAttrs: db.prepare<[number, string]>(
      'DELETE FROM trial_attrs WHERE trial_id = ? AND key NOT IN (SELECT value FROM json_each(?))',
    ),
    insertEpoch: db.prepare<[number, number, ...RealCell[], string | null]>(
      `INSERT INTO trial_epochs (trial_id, ${EPOCH_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    heartbeat: db.prepare<[string, number, string, string]>(
      `UPDATE trials SET heartbeat = ?
       WHERE study_id = ? AND number IN (SELECT value FROM json_each(?)) AND state = 'running' AND worker = ?`,
    ),
    finish: db.prepare<[string, RealCell, string | null, string, number]>(
      'UPDATE trials SET state = ?, value = ?, error = ?, finished = ? WHERE id = ?',
    ),
    restoreTimes: db.prepare<[number, string | null, string | null, string | null, number]>(
      'UPDATE trials SET attempt = ?, started = ?, finished = ?, heartbeat = ? WHERE id = ?',
    ),
    epochsOfTrial: db
      .prepare<[number], EpochCells>(`SELECT ${EPOCH_COLUMNS} FROM trial_epochs WHERE trial_id = ? ORDER BY epoch`)
      .raw(),
    epochsOfStudy: db
      .prepare<[number, string | null, string | null], [number, ...EpochCells]>(
        `SELECT t.number, ${EPOCH_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}
         FROM trials t LEFT JOIN trial_epochs e ON e.trial_id = t.id
         WHERE t.study_id = ? AND (? IS NULL OR t.state IN (SELECT value FROM json_each(?))) ORDER BY t.number, e.epoch`,
      )
      .raw(),
    ...prepareRanking(db),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

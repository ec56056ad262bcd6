/**
 * Ranking in SQL for SqliteStorage.topTrials: complete trials by value through the index
 * trials_study_state_value. Numeric values (±Infinity included) are the REAL cells in
 * [-∞, +∞] (9e999 is SQLite's literal for +∞); NaN is stored as TEXT and absent as NULL, and
 * both rank after every number, by trial number (see encode.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { STANDARD_EPOCH_METRICS } from '../core/types.js';
import type { TopTrialsQuery } from './ranking.js';
import type { TrialRow } from './sqlite-rows.js';
import { TRIAL_COLUMNS } from './sqlite-rows.js';

type Db = BetterSqlite3.Database;
type RankStatement = BetterSqlite3.Statement<[number, number], TrialRow>;

const NUMERIC = 'value BETWEEN -9e999 AND 9e999';

export function prepareRanking(db: Db) {
  const ranked = (order: 'ASC' | 'DESC'): RankStatement =>
    db.prepare(
      `SELECT ${TRIAL_COLUMNS} FROM trials
       WHERE study_id = ? AND state = 'complete' AND ${NUMERIC} ORDER BY value ${order}, number LIMIT ?`,
    );
  return {
    rankMinimize: ranked('ASC'),
    rankMaximize: ranked('DESC'),
    rankUnvalued: db.prepare<[number, number], TrialRow>(
      `SELECT ${TRIAL_COLUMNS} FROM trials
       WHERE study_id = ? AND state = 'complete' AND NOT coalesce(${NUMERIC}, 0) ORDER BY number LIMIT ?`,
    ),
  };
}

type Ranking = ReturnType<typeof prepareRanking>;

/** The rows of the `query.limit` best complete trials, best first (call inside a read transaction). */
export function rankedRows(q: Ranking, studyId: number, query: TopTrialsQuery): TrialRow[] {
  const limit = Math.max(0, Math.floor(query.limit));
  if (limit === 0) return [];
  const rows = (query.direction === 'minimize' ? q.rankMinimize : q.rankMaximize).all(studyId, limit);
  if (rows.length < limit) rows.push(...q.rankUnvalued.all(studyId, limit - rows.length));
  return rows;
}

const STANDARD = new Set<string>(STANDARD_EPOCH_METRICS);

/** True for a metric with its own column in trial_epochs. */
export function isStandardMetric(name: string): boolean {
  return STANDARD.has(name);
}

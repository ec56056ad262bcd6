/**
 * Ranking queries of SqliteStorage. topTrials: complete trials by value through the index
 * trials_study_state_value. Numeric values (±Infinity included) are the REAL cells in
 * [-∞, +∞] (9e999 is SQLite's literal for +∞); NaN is stored as TEXT and absent as NULL, and
 * both rank after every number, by trial number (see encode.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { STANDARD_EPOCH_METRICS } from '../core/types.js';
import type { EpochRecord, Metrics } from '../core/types.js';
import { decodeReal, joinMetrics } from './encode.js';
import type { StudyEpochsFilter, TopTrialsQuery } from './ranking.js';
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

/**
 * getStudyEpochs with `filter.metrics`: reads only the columns of the metrics asked for (and
 * the JSON of the extra metrics only when one is asked for), so a study-wide curve of one
 * metric is a narrow scan. Call inside a read transaction.
 */
export function narrowedEpochs(db: Db, studyId: number, filter: StudyEpochsFilter & { metrics: readonly string[] }): Map<number, EpochRecord[]> {
  const keep = new Set(filter.metrics);
  const columns = [...keep].filter((m) => STANDARD.has(m));
  const extras = [...keep].filter((m) => !STANDARD.has(m));
  const cells = [...columns.map((c) => `e.${c}`), extras.length > 0 ? 'e.extra' : 'NULL'];
  const any = [...columns.map((c) => `e.${c} IS NOT NULL`), ...(extras.length > 0 ? ['e.extra IS NOT NULL'] : [])];
  const states = filter.states === undefined ? null : JSON.stringify(filter.states);
  const rows = db
    .prepare<[number, string | null, string | null], [number, number | null, ...unknown[]]>(
      `SELECT t.number, e.epoch, ${cells.join(', ')}
       FROM trials t LEFT JOIN trial_epochs e ON e.trial_id = t.id AND (${any.length > 0 ? any.join(' OR ') : '0'})
       WHERE t.study_id = ? AND (? IS NULL OR t.state IN (SELECT value FROM json_each(?))) ORDER BY t.number, e.epoch`,
    )
    .raw()
    .all(studyId, states, states);
  const out = new Map<number, EpochRecord[]>();
  for (const row of rows) {
    const [number, epoch] = row;
    let curve = out.get(number);
    if (curve === undefined) out.set(number, (curve = []));
    if (epoch === null) continue;
    const metrics: Metrics = {};
    let any = false;
    let i = 2;
    for (const name of columns) {
      const v = decodeReal(row[i++]);
      if (v !== null) {
        metrics[name] = v;
        any = true;
      }
    }
    const extra = row[i] as string | null;
    if (extra !== null) {
      const all = joinMetrics([], extra);
      for (const name of extras) {
        const v = all[name];
        if (v !== undefined) {
          metrics[name] = v;
          any = true;
        }
      }
    }
    if (any) curve.push({ epoch, metrics });
  }
  return out;
}

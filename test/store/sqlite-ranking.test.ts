/**
 * The SQLite ranking queries (store/sqlite-ranking.ts) as they promise to run: topTrials
 * sends no query it does not need (none for a limit of 0, the unvalued trials only to fill
 * up the limit), and a narrowed getStudyEpochs reads only the columns of the metrics asked
 * for (the extra metrics' JSON only when one of them is asked for).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type BetterSqlite3 from 'better-sqlite3';
import type { TrialRow } from '../../src/store/sqlite-rows.js';
import { narrowedEpochs, rankedRows } from '../../src/store/sqlite-ranking.js';
import { openDatabase } from '../../src/store/sqlite-open.js';
import { MIGRATIONS } from '../../src/store/sqlite-schema.js';
import { SqliteStorage } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers.js';
import { newStudy, newTrial } from './fixtures.js';

type Db = BetterSqlite3.Database;
type Ranking = Parameters<typeof rankedRows>[0];

function row(number: number): TrialRow {
  return { id: number, study_id: 1, number, state: 'complete', value: number, seed: 0, attempt: 1, started: null, finished: null, heartbeat: null, worker: null, error: null };
}

/** A ranking whose statements answer `valued` and `unvalued` rows (at most the limit) and record each call. */
function fakeRanking(valued: TrialRow[], unvalued: TrialRow[]) {
  const calls: [string, number, number][] = [];
  const statement = (name: string, rows: TrialRow[]) => ({
    all: (studyId: number, limit: number): TrialRow[] => {
      calls.push([name, studyId, limit]);
      return rows.slice(0, limit);
    },
  });
  const q = {
    rankMinimize: statement('minimize', valued),
    rankMaximize: statement('maximize', valued),
    rankUnvalued: statement('unvalued', unvalued),
  } as unknown as Ranking;
  return { q, calls };
}

describe('rankedRows', () => {
  it('sends no query for a limit of 0 or less', () => {
    for (const limit of [0, -1, 0.5]) {
      const { q, calls } = fakeRanking([row(1)], [row(2)]);
      assert.deepEqual(rankedRows(q, 1, { direction: 'minimize', limit }), [], String(limit));
      assert.deepEqual(calls, [], String(limit));
    }
  });

  it('asks the statement of the direction for the limit, rounded down, and no more when it fills it', () => {
    const { q, calls } = fakeRanking([row(1), row(2), row(3)], [row(9)]);
    assert.deepEqual(rankedRows(q, 4, { direction: 'maximize', limit: 2.7 }).map((r) => r.number), [1, 2]);
    assert.deepEqual(calls, [['maximize', 4, 2]]);
    const exact = fakeRanking([row(1), row(2)], [row(9)]);
    assert.deepEqual(rankedRows(exact.q, 4, { direction: 'minimize', limit: 2 }).map((r) => r.number), [1, 2]);
    assert.deepEqual(exact.calls, [['minimize', 4, 2]], 'filled exactly: no query for the unvalued');
  });

  it('fills a short ranking with the unvalued trials, only as many as are missing, after the valued ones', () => {
    const { q, calls } = fakeRanking([row(1), row(2)], [row(7), row(8), row(9)]);
    assert.deepEqual(rankedRows(q, 4, { direction: 'minimize', limit: 3 }).map((r) => r.number), [1, 2, 7]);
    assert.deepEqual(calls, [['minimize', 4, 3], ['unvalued', 4, 1]]);
  });
});

describe('narrowedEpochs', () => {
  const dir = tempDir('hpsearch-narrow-');
  let n = 0;

  /** A study of two trials with epochs, in a database opened again directly; its id. */
  async function database(): Promise<{ db: Db; studyId: number }> {
    const sub = join(dir, `db-${n++}`);
    mkdirSync(sub);
    const path = join(sub, 'study.db');
    const s = new SqliteStorage(path);
    const st = await s.createStudy(newStudy('n'));
    for (let i = 0; i < 2; i++) await s.createTrial(st.id, { cap: null, worker: 'w', build: newTrial });
    await s.appendEpochs(st.id, 0, [
      { epoch: 0, metrics: { lr: 0.1, val_loss: 2, grad_norm: 3 } },
      { epoch: 1, metrics: { val_loss: 1 } },
    ]);
    await s.appendEpochs(st.id, 1, [{ epoch: 0, metrics: { grad_norm: 4 } }]);
    await s.close();
    return { db: openDatabase(path, 5000, MIGRATIONS), studyId: st.id };
  }

  /** `db` whose prepare records each statement's SQL and the parameters it is run with. */
  function spied(db: Db): { db: Db; runs: { sql: string; args: unknown[] }[] } {
    const runs: { sql: string; args: unknown[] }[] = [];
    const spy = {
      prepare: (sql: string) => {
        const statement = db.prepare(sql);
        return {
          raw: () => ({
            all: (...args: unknown[]) => {
              runs.push({ sql, args });
              return statement.raw().all(...args);
            },
          }),
        };
      },
    } as unknown as Db;
    return { db: spy, runs };
  }

  it('reads only the standard columns asked for, and no JSON, when no extra metric is asked for', async () => {
    const { db, studyId } = await database();
    try {
      const spy = spied(db);
      const curves = narrowedEpochs(spy.db, studyId, { metrics: ['lr'] });
      assert.deepEqual([...curves.entries()], [[0, [{ epoch: 0, metrics: { lr: 0.1 } }]], [1, []]]);
      assert.equal(spy.runs.length, 1);
      const sql = spy.runs[0]!.sql;
      assert.ok(sql.includes('e.lr'), sql);
      assert.ok(!sql.includes('extra'), `no extra metrics read: ${sql}`);
      assert.ok(!sql.includes('val_loss'), `no other column read: ${sql}`);
      assert.deepEqual(spy.runs[0]!.args, [studyId, null, null], 'no state filter: null, not undefined');
    } finally {
      db.close();
    }
  });

  it("reads the extra metrics' JSON, and no standard column, for an extra metric alone", async () => {
    const { db, studyId } = await database();
    try {
      const spy = spied(db);
      const curves = narrowedEpochs(spy.db, studyId, { metrics: ['grad_norm'], states: ['running'] });
      assert.deepEqual([...curves.entries()], [[0, [{ epoch: 0, metrics: { grad_norm: 3 } }]], [1, [{ epoch: 0, metrics: { grad_norm: 4 } }]]]);
      const sql = spy.runs[0]!.sql;
      assert.ok(sql.includes('e.extra IS NOT NULL'), sql);
      for (const column of ['lr', 'val_loss', 'train_loss', 'seconds']) assert.ok(!sql.includes(`e.${column}`), `${column}: ${sql}`);
      assert.deepEqual(spy.runs[0]!.args, [studyId, '["running"]', '["running"]']);
    } finally {
      db.close();
    }
  });
});

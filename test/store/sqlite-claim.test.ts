/** SQLite statements on rows only a database file can hold, and the order a trial's parameters come back in. */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStorage } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers.js';
import { newStudy, newTrial } from './fixtures.js';

const dir = tempDir('hpsearch-sqlite-claim-');
let n = 0;
function freshPath(): string {
  const sub = join(dir, `db-${n++}`);
  mkdirSync(sub);
  return join(sub, 'study.db');
}

describe('SQLite statements', () => {
  it('claims a trial stored as waiting', async () => {
    const path = freshPath();
    const s = new SqliteStorage(path);
    const st = await s.createStudy(newStudy('w'));
    await s.createTrial(st.id, { cap: null, worker: 'w1', build: newTrial });
    await s.close();
    const raw = new Database(path);
    raw.prepare("UPDATE trials SET state = 'waiting', worker = NULL").run();
    raw.close();
    const again = new SqliteStorage(path);
    try {
      const claimed = await again.claimUnfinishedTrial(st.id, { worker: 'w2', staleBefore: null, orphanOwners: [], maxAttempts: null });
      assert.equal(claimed?.number, 0);
      assert.equal(claimed?.state, 'running');
      assert.equal(claimed?.worker, 'w2');
    } finally {
      await again.close();
    }
  });

  it("gives a trial's parameters back in the order they were built, one trial or a study's list", async () => {
    const s = new SqliteStorage(freshPath());
    try {
      const st = await s.createStudy(newStudy('o'));
      const order = ['zeta', 'alpha', 'mid'];
      await s.createTrial(st.id, {
        cap: null,
        worker: 'w',
        build: () => ({ params: { zeta: 1, alpha: 2, mid: 3 }, distributions: {}, seed: 1 }),
      });
      assert.deepEqual(Object.keys((await s.getTrial(st.id, 0))?.params ?? {}), order);
      assert.deepEqual(Object.keys((await s.listTrials(st.id))[0]?.params ?? {}), order);
    } finally {
      await s.close();
    }
  });
});

/** Several processes on one SQLite file (issue 4, item 7): real child processes, real contention. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteStorage } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers.js';
import { runChild, type ChildResult } from './concurrent-run.js';
import { newStudy, newTrial } from './fixtures.js';

const dir = tempDir('hpsearch-store-concurrency-');

function assertPartition(results: ChildResult[], total: number): void {
  for (const r of results) {
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /locked|busy/i);
  }
  const all = results.flatMap((r) => r.numbers).sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: total }, (_, i) => i), 'each number exactly once across processes');
}

describe('several processes on one SQLite file', () => {
  it('three processes opening a fresh file create exactly cap trials, numbered 0..cap-1', async () => {
    const path = join(dir, 'race.db');
    const startAt = String(Date.now() + 1500);
    const results = await Promise.all(['p1', 'p2', 'p3'].map((w) => runChild(['create', path, '60', w, startAt])));
    assertPartition(results, 60);

    const s = new SqliteStorage(path);
    try {
      const st = (await s.getStudy('race'))!;
      const trials = await s.listTrials(st.id);
      assert.deepEqual(trials.map((t) => t.number), Array.from({ length: 60 }, (_, i) => i));
      assert.ok(trials.every((t) => t.state === 'complete' && t.value === t.number));
      const curves = await s.getStudyEpochs(st.id);
      assert.ok([...curves.values()].every((c) => c.length === 100));
      assert.equal((await s.listStudies()).length, 1, 'one study, though three processes raced to create it');
      assert.equal(await s.integrityCheck(), 'ok');
    } finally {
      await s.close();
    }
  });

  it('three claimers take each orphan exactly once', async () => {
    const path = join(dir, 'claims.db');
    const s = new SqliteStorage(path);
    const st = await s.createStudy(newStudy('claims'));
    for (let i = 0; i < 45; i++) await s.createTrial(st.id, { cap: null, worker: 'dead', build: newTrial });
    await s.close();

    const startAt = String(Date.now() + 1500);
    const results = await Promise.all(['c1', 'c2', 'c3'].map((w) => runChild(['claim', path, w, startAt])));
    assertPartition(results, 45);

    const s2 = new SqliteStorage(path);
    try {
      const trials = await s2.listTrials(st.id);
      assert.ok(trials.every((t) => t.state === 'complete' && t.attempt === 2));
      for (const [i, r] of results.entries()) {
        for (const n of r.numbers) assert.equal(trials[n]!.attrs.by, `c${i + 1}`);
      }
    } finally {
      await s2.close();
    }
  });
});

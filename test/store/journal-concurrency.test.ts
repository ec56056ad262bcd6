/** Several processes on one journal file (issue 23): real child processes, one lock file. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStorage } from '../../src/store/open.js';
import { tempDir } from '../helpers.js';
import { runChild } from './concurrent-run.js';

const dir = tempDir('hpsearch-journal-concurrency-');

describe('several processes on one journal', () => {
  it('8 writers on a fresh journal create exactly cap trials, each once; a reader meanwhile sees a consistent study', async () => {
    const path = join(dir, 'race.log');
    const location = `journal:${path}`;
    const cap = 16;
    const startAt = String(Date.now() + 1500);
    const writers = Array.from({ length: 8 }, (_, i) => runChild(['create', location, String(cap), `p${i}`, startAt]));
    const reader = runChild(['read', location, String(cap), startAt]);
    const results = await Promise.all(writers);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const all = results.flatMap((r) => r.numbers).sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: cap }, (_, i) => i), 'each number exactly once across processes');
    assert.ok(results.filter((r) => r.numbers.length > 0).length >= 2, 'the work was shared');

    const read = await reader;
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.numbers.at(-1), cap);
    assert.ok(read.numbers.some((n) => n > 0 && n < cap), `the reader read during the writes: ${read.numbers.join(',')}`);

    const s = await openStorage(location, { readOnly: true });
    try {
      const st = (await s.getStudy('race'))!;
      const trials = await s.listTrials(st.id);
      assert.equal(trials.length, cap);
      assert.ok(trials.every((t) => t.state === 'complete' && t.value === t.number));
      assert.ok([...(await s.getStudyEpochs(st.id)).values()].every((c) => c.length === 100));
      assert.equal((await s.listStudies()).length, 1, 'one study, though eight processes raced to create it');
      assert.equal(await s.integrityCheck(), 'ok');
    } finally {
      await s.close();
    }
    assert.equal(existsSync(`${path}.lock`), false, 'the lock is released');
    for (const line of readFileSync(path, 'utf8').trimEnd().split('\n')) JSON.parse(line);
  });
});

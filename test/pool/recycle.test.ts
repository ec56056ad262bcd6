import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';
import { readStudy } from '../study/live-cli.js';
import { unrulySpec, workerOf } from './workers.js';

describe('worker recycling', () => {
  for (const pool of ['thread', 'process'] as const) {
    it(`replaces a worker after max_trials_per_worker trials (pool: ${pool})`, async () => {
      const dir = tempDir();
      const db = join(dir, 'recycle.db');
      const spec = unrulySpec(dir, { pool, modes: ['a', 'b', 'c', 'd', 'e', 'f'], extra: 'parallelism: 1\nmax_trials_per_worker: 2' });
      const run = await runCli(['run', spec, '--storage', db]);
      assert.equal(run.code, 0, run.stderr);
      const workers = (await readStudy(db)).trials.map(workerOf);
      assert.equal(workers.length, 6);
      assert.deepEqual(
        [0, 2, 4].map((i) => workers[i] === workers[i + 1]),
        [true, true, true],
        `trials run in pairs per worker: ${workers.join(' ')}`,
      );
      assert.equal(new Set(workers).size, 3);
    });
  }

  it('replaces a thread that holds more than max_rss_mb after a trial, and keeps one that does not', async () => {
    const dir = tempDir();
    const db = join(dir, 'memory.db');
    const spec = unrulySpec(dir, { pool: 'thread', modes: ['a', 'b', 'hog', 'c', 'd'], extra: 'parallelism: 1\nmax_rss_mb: 32' });
    const run = await runCli(['run', spec, '--storage', db]);
    assert.equal(run.code, 0, run.stderr);
    const { trials } = await readStudy(db);
    assert.ok(trials.every((t) => t.state === 'complete'), run.stderr);
    const [a, b, hog, c, d] = trials.map(workerOf);
    assert.equal(a, b, 'a worker under the limit is kept');
    assert.equal(b, hog);
    assert.notEqual(hog, c, 'the worker left holding 40 MB was replaced');
    assert.equal(c, d);
  });
});

/** The journal storage through the CLI (issue 23): run, worker, queries, copy, foreign files. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixturesDir, json, runCli, tempDir } from '../helpers.js';
import type { TrialJson } from '../helpers.js';

const bowl = join(fixturesDir, 'cli', 'bowl.yaml');

describe('hpsearch on a journal file', () => {
  it('runs, is joined by a worker, answers queries without writing, and copies to SQLite and back', async () => {
    const dir = tempDir();
    const path = join(dir, 'shared', 'study.log');
    const journal = `journal:${path}`;
    const run = await runCli(['run', bowl, '--storage', journal, '--run-cap', '2', '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    const joined = await runCli(['worker', '--storage', journal, '--slots', '1', '--max-trials', '1', '--json']);
    assert.equal(joined.code, 0, joined.stderr);
    assert.equal(json<{ ran: number }>(joined.stdout).ran, 1);

    const before = readFileSync(path, 'utf8');
    const trials = await runCli(['trials', '--storage', journal, '--json']);
    assert.equal(trials.code, 0, trials.stderr);
    assert.deepEqual(json<TrialJson[]>(trials.stdout).map((t) => [t.number, t.state]), [[0, 'complete'], [1, 'complete'], [2, 'complete']]);
    assert.equal((await runCli(['best', '--storage', journal, '--json'])).code, 0);
    assert.equal(readFileSync(path, 'utf8'), before, 'queries write nothing');
    assert.equal(existsSync(`${path}.lock`), false, 'nor take the lock');

    const db = join(dir, 'copy.db');
    const back = `journal:${join(dir, 'back.log')}`;
    assert.equal((await runCli(['copy', '--from', journal, '--to', db])).code, 0);
    const copied = await runCli(['copy', '--from', db, '--to', back]);
    assert.equal(copied.code, 0, copied.stderr);
    assert.match(copied.stdout + copied.stderr, /copied study bowl: 3 trials, 15 epochs/);
    const original = json<TrialJson[]>(trials.stdout);
    const roundTrip = json<TrialJson[]>((await runCli(['trials', '--storage', back, '--json'])).stdout);
    assert.deepEqual(roundTrip, original);
  });

  it('refuses a file it did not create (exit 4) and leaves it as it was', async () => {
    const path = join(tempDir(), 'notes.log');
    writeFileSync(path, 'my notes\n');
    for (const args of [['run', bowl, '--run-cap', '1', '--quiet'], ['trials']]) {
      const r = await runCli([...args, '--storage', `journal:${path}`]);
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /not an hpsearch journal/);
    }
    assert.equal(readFileSync(path, 'utf8'), 'my notes\n');
    assert.equal(existsSync(`${path}.lock`), false);
  });
});

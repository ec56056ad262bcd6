import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';
import { readStudy, sleepySpec } from './live-cli.js';

describe('several hpsearch run processes on one study', () => {
  it('three at once share the budget: each trial number once, exactly run_cap trials', async () => {
    const dir = tempDir();
    const db = join(dir, 'shared.db');
    const spec = sleepySpec(dir, { runCap: 30, epochs: 3, sleepMs: 5, extra: 'parallelism: 2' });
    const runs = await Promise.all([0, 1, 2].map(() => runCli(['run', spec, '--storage', db, '--json'])));
    let ran = 0;
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /locked|busy/i);
      ran += (JSON.parse(run.stdout) as { ran: number }).ran;
    }
    assert.equal(ran, 30, 'the three runs ran 30 trials between them');
    const { trials, integrity } = await readStudy(db);
    assert.equal(integrity, 'ok');
    assert.deepEqual(trials.map((t) => t.number), Array.from({ length: 30 }, (_, i) => i));
    assert.ok(trials.every((t) => t.state === 'complete' && t.attempt === 1));
    assert.ok(trials.every((t) => t.epochs.length === 3));
  });
});

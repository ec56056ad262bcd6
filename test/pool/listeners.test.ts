// Many slots at once add no listeners to the process's own streams: from 11 worker threads on
// (one per core on a bigger machine) Node used to warn of a leak (MaxListenersExceededWarning).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixturesDir, runCli, tempDir } from '../helpers.js';

describe('a run with 12 thread slots', () => {
  it('warns of no listener leak, and what trainers print still reaches stderr', async () => {
    const dir = tempDir();
    const spec = join(dir, 'many.yaml');
    writeFileSync(
      spec,
      [
        'name: many-slots',
        'seed: 1',
        'method: random',
        'run_cap: 14',
        'parallelism: 12',
        'pool: thread',
        'trainer: module',
        `module: ${join(fixturesDir, 'objectives', 'chatty.js')}`,
        'metric: { name: val_accuracy, goal: maximize }',
        'parameters:',
        '  x: { distribution: uniform, min: 0, max: 1 }',
        '',
      ].join('\n'),
    );
    const run = await runCli(['run', spec, '--storage', join(dir, 'many.db'), '--quiet'], { env: { NODE_OPTIONS: '--trace-warnings' } });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /MaxListenersExceededWarning|memory leak/);
    assert.match(run.stderr, /chatty objective: x=/, "a trainer's output reaches stderr");
  });
});

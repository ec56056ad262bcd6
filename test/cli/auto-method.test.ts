// method: auto end to end: the run header and validate say which method it chose and why.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixturesDir, json, runCli, tempDir, type TrialJson } from '../helpers.js';

const spec = join(fixturesDir, 'cli', 'bowl-auto.yaml');

describe('method auto (CLI)', () => {
  it('validate names the chosen method and the reason', async () => {
    const res = await runCli(['validate', spec]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^study bowl-auto: gp search \(auto: 2 numeric parameters, run_cap 14\), 14 trials/m);
    const data = json<{ choice: { method: string; reason: string } }>((await runCli(['validate', spec, '--json'])).stdout);
    assert.deepEqual(data.choice, { method: 'gp', reason: '2 numeric parameters, run_cap 14' });
  });

  it('runs the GP in two slots and prints the choice in the run header', async () => {
    const db = join(tempDir(), 'auto.db');
    const run = await runCli(['run', spec, '--storage', db]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^study bowl-auto: 14 trials, gp search \(auto: 2 numeric parameters, run_cap 14\), /m);
    const trials = json<TrialJson[]>((await runCli(['trials', '--storage', db, '--json'])).stdout);
    assert.equal(trials.filter((t) => t.state === 'complete').length, 14);
    const best = Math.max(...trials.map((t) => t.value ?? -Infinity));
    assert.ok(best > 0.8, `best ${best}`);
  });
});

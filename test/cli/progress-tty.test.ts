import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliPath, fixturesDir, tempDir, type CliResult } from '../helpers.js';

const bowl = join(fixturesDir, 'cli', 'bowl.yaml');
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs the CLI on a pseudo-terminal (util-linux `script`), as a user at a terminal would. */
function runOnTty(args: readonly string[], timeoutMs = 60_000): Promise<CliResult> {
  const quoted = [process.execPath, cliPath, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', quoted, '/dev/null'], {
      env: { ...process.env, CI: undefined, HPSEARCH_STORAGE: undefined, COLUMNS: '120' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr: '' });
    });
  });
}

describe('progress bars on a terminal', { skip: hasScript ? false : 'util-linux script is not installed' }, () => {
  it('stop when the run ends, whether it ran trials or found the study finished', async () => {
    const db = join(tempDir(), 'tty.db');
    for (const pass of ['first run', 'rerun of the finished study']) {
      const run = await runOnTty(['run', bowl, '--storage', db, '--run-cap', '2']);
      assert.equal(run.signal, null, `${pass}: still running after 60 s (bars left drawing)`);
      assert.equal(run.code, 0, `${pass}: ${run.stdout}`);
      assert.match(run.stdout, /study +\|/, `${pass}: bars were drawn`);
      assert.match(run.stdout, /top trials by val_accuracy/);
    }
  });

  it("shows the study's best on a resumed run's bar, not this run's", async () => {
    const db = join(tempDir(), 'resumed.db');
    assert.equal((await runOnTty(['run', bowl, '--storage', db, '--run-cap', '2'])).code, 0);
    const rerun = await runOnTty(['run', bowl, '--storage', db, '--run-cap', '2']);
    assert.equal(rerun.code, 0, rerun.stdout);
    assert.match(rerun.stdout, /best val_accuracy=0\.\d+/);
    assert.doesNotMatch(rerun.stdout, /best val_accuracy=–/);
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { CliResult } from '../helpers.js';
import { cliPath, fixturesDir, repoRoot, runCli, tempDir } from '../helpers.js';

// As root, chmod does not stop writes: run the queries as root without its capabilities then
// (setpriv clears the bounding set, so CAP_DAC_OVERRIDE is gone and the modes hold), which can
// still read the clone wherever it lives (a mode-0700 temp dir too); else as another user (nobody).
const isRoot = process.getuid?.() === 0;
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
const asOther = isRoot && setpriv === undefined ? { uid: 65534, gid: 65534 } : {};

function runAsOther(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const argv = [process.execPath, cliPath, ...args];
    const [command = '', ...rest] = isRoot && setpriv !== undefined ? [setpriv, '--bounding-set=-all', '--inh-caps=-all', ...argv] : argv;
    const child = spawn(command, rest, {
      cwd: repoRoot,
      env: { ...process.env, CI: '1', HPSEARCH_STORAGE: undefined, HOME: '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...asOther,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('a read-only study database (chmod 444, in a directory of another owner)', () => {
  const top = tempDir('hpsearch-ro-');
  const dir = join(top, 'results');
  const db = join(dir, 'ro.db');
  const spec = join(fixturesDir, 'cli', 'bowl.yaml');
  before(async () => {
    mkdirSync(dir);
    const run = await runCli(['run', spec, '--storage', db, '--run-cap', '3', '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    chmodSync(db, 0o444);
    chmodSync(dir, 0o555);
    chmodSync(top, 0o755);
  });

  it('answers every query with exit 0, changing nothing', async () => {
    const before = sha(db);
    const listing = readdirSync(dir).sort();
    const queries = [
      ['studies'],
      ['trials', '--json'],
      ['show', '1'],
      ['best', '--top', '2'],
      ['diagnose'],
      ['diagnose', '0'],
      ['check', '--require', 'val_accuracy>=0'],
    ];
    for (const query of queries) {
      const res = await runAsOther([...query, '--storage', db]);
      assert.equal(res.code, 0, `${query.join(' ')}: ${res.stderr}`);
      assert.notEqual(res.stdout + res.stderr, '', query.join(' '));
      assert.doesNotMatch(res.stderr, /readonly|read-only/);
    }
    assert.equal(sha(db), before, 'byte-identical');
    assert.deepEqual(readdirSync(dir).sort(), listing, 'no file created beside it');
  });

  it('run says it needs write access (exit 4)', async () => {
    const res = await runAsOther(['run', spec, '--storage', db, '--run-cap', '4', '--quiet']);
    assert.equal(res.code, 4, res.stderr);
    assert.match(res.stderr, /needs write access/);
    assert.ok(res.stderr.includes(db), res.stderr);
  });
});

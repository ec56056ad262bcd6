// What `npm pack` ships is enough to run hpsearch outside its checkout: the tarball is
// installed into a temp prefix (`npm install -g --prefix`) and runs a shipped example from
// another directory.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, tempDir, type CliResult } from '../helpers.js';

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, CI: '1', HPSEARCH_STORAGE: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('the npm package', () => {
  it('installs from `npm pack` into a prefix and runs an example from another directory', async (t) => {
    const dir = tempDir();
    // dist/ is built already (the tests run from it): no prepare script.
    const pack = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], repoRoot, 60_000);
    assert.equal(pack.code, 0, pack.stderr);
    const [packed] = JSON.parse(pack.stdout) as { filename: string }[];
    assert.ok(packed !== undefined);
    const prefix = join(dir, 'prefix');
    // Dependencies from npm's cache (or the registry); install scripts are not run.
    const install = await run(
      'npm',
      ['install', '-g', '--prefix', prefix, join(dir, packed.filename), '--prefer-offline', '--ignore-scripts', '--omit=optional', '--no-audit', '--no-fund'],
      dir,
      240_000,
    );
    if (install.code !== 0) {
      t.skip(`npm install of the packed tarball failed (no network and no npm cache?): ${install.stderr.trim().split('\n').slice(-3).join(' / ')}`);
      return;
    }
    const installed = join(prefix, 'lib', 'node_modules', 'hpsearch');
    // better-sqlite3's native build comes from its install script, which downloads a prebuilt
    // binary: take the checkout's (the same version) instead.
    const sqlite = join(installed, 'node_modules', 'better-sqlite3');
    const addon = join('build', 'Release', 'better_sqlite3.node');
    if (!existsSync(join(sqlite, addon))) {
      mkdirSync(join(sqlite, 'build', 'Release'), { recursive: true });
      cpSync(join(repoRoot, 'node_modules', 'better-sqlite3', addon), join(sqlite, addon));
    }

    const elsewhere = tempDir();
    const bin = join(prefix, 'bin', 'hpsearch');
    const example = join(installed, 'configs', 'csv-own-data.yaml');
    const study = await run(bin, ['run', example, '--run-cap', '1', '--quiet'], elsewhere, 120_000);
    assert.equal(study.code, 0, study.stderr);
    // Results go to ./runs of the directory it ran in, not into the installed package.
    assert.deepEqual(readdirSync(join(elsewhere, 'runs')).filter((f) => f.endsWith('.db')), ['hpsearch.db']);
    assert.equal(existsSync(join(installed, 'runs')), false, 'the run wrote into the installed package');
    const best = await run(bin, ['best', '--json'], elsewhere, 30_000);
    assert.equal(best.code, 0, best.stderr);
    assert.equal((JSON.parse(best.stdout) as { state: string }[])[0]?.state, 'complete');
    const version = await run(bin, ['--version'], elsewhere, 30_000);
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

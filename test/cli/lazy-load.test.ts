import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliPath, fixturesDir, runCli, tempDir } from '../helpers.js';

/** Runs the CLI with a module-resolution hook that logs every module it loads. */
function loadedModules(args: string[], dir: string): string[] {
  const log = join(dir, `modules-${args[0]}.log`);
  writeFileSync(log, '');
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}\n`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
  const res = spawnSync(process.execPath, ['--import', register, cliPath, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  assert.equal(res.status, 0, res.stderr);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

describe('lazy command loading', () => {
  it('query commands never import TensorFlow.js', async () => {
    const dir = tempDir();
    const db = join(dir, 'lazy.db');
    const run = await runCli(['run', join(fixturesDir, 'cli', 'bowl.yaml'), '--storage', db, '--run-cap', '2']);
    assert.equal(run.code, 0, run.stderr);
    for (const command of ['best', 'trials', 'show', 'studies']) {
      const args = command === 'show' ? ['show', '0', '--storage', db] : [command, '--storage', db];
      const modules = loadedModules(args, dir);
      assert.ok(modules.some((m) => m.includes('better-sqlite3')), `the hook saw the storage load for ${command}`);
      assert.deepEqual(modules.filter((m) => m.includes('@tensorflow')), [], `${command} imported TensorFlow.js`);
      assert.deepEqual(modules.filter((m) => m.includes('/cli/commands/run.js')), [], `${command} imported the run command`);
      assert.deepEqual(modules.filter((m) => m.includes('/src/report/') || m.includes('echarts')), [], `${command} imported the report page`);
    }
  });

  it("a worker's start-up imports only what a module trial on its storage needs", async () => {
    const dir = tempDir();
    const journal = `journal:${join(dir, 'lazy.log')}`;
    const run = await runCli(['run', join(fixturesDir, 'cli', 'bowl.yaml'), '--storage', journal, '--run-cap', '1', '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    const modules = loadedModules(['worker', '--storage', journal, '--slots', '1', '--max-trials', '1', '--quiet'], dir);
    assert.ok(modules.some((m) => m.includes('/store/journal.js')), 'the hook saw the journal load');
    assert.ok(modules.some((m) => m.includes('/train/module-trainer.js')), 'the hook saw the slot load its trainer');
    const absent: [string, string][] = [
      ['@tensorflow', 'TensorFlow.js'],
      ['/node_modules/pg/', 'the PostgreSQL driver'],
      ['better-sqlite3', 'SQLite'],
      ['/cli/commands/run.js', 'the run command'],
      ['/src/report/', 'the report page'],
      ['/pool/command-process.js', 'the command trainer'],
      ['cli-progress', 'the progress bars'],
    ];
    for (const [needle, what] of absent) assert.deepEqual(modules.filter((m) => m.includes(needle)), [], `the worker imported ${what}`);
  });
});

#!/usr/bin/env node
// Runs the compiled node:test suite (dist/test/**/*.test.js), two files at a time.
// Usage: node scripts/test.js [substring ...]  — only files whose path contains one of them.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const testRoot = join(root, 'dist', 'test');
const filters = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.test.js') ? [path] : [];
  });
}

// A compiled test whose source is gone (deleted or renamed since the last build) is stale: tsc leaves it.
const hasSource = (f) => existsSync(join(root, relative(join(root, 'dist'), f)).replace(/\.js$/, '.ts'));
const files = walk(testRoot)
  .filter(hasSource)
  .filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)))
  .sort();
if (files.length === 0) {
  process.stderr.write('no test files found under dist/test (run `npm run build` first)\n');
  process.exit(1);
}
// TAP goes to stdout as it comes; the failed tests, with their errors, are printed again once all is done.
const scratch = mkdtempSync(join(tmpdir(), 'hpsearch-test-'));
const failuresFile = join(scratch, 'failures.txt');
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-timeout=300000',
    '--test-reporter=tap',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts', 'failures-reporter.js')}`,
    `--test-reporter-destination=${failuresFile}`,
    ...files,
  ],
  { stdio: 'inherit', cwd: root, env: { ...process.env, HPSEARCH_TEST: '1' } },
);
const failures = existsSync(failuresFile) ? readFileSync(failuresFile, 'utf8') : '';
rmSync(scratch, { recursive: true, force: true });
if (failures !== '') process.stdout.write(`\n${failures}`);
process.exit(result.status ?? 1);

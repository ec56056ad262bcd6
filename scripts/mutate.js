#!/usr/bin/env node
// Mutation testing with StrykerJS over the areas whose tests must notice a wrong line.
// Usage: npm run mutate [-- AREA ...] [-- --stryker-flag ...]
//   AREA: search prune diagnose keep command report store (all of them when none is named).
// Each area mutates its source folder and runs only the compiled tests that exercise it
// (per-test coverage: a mutant runs only the test files that reach it). Results go to
// reports/mutation/<area>.html and .json; an incremental file per area makes a rerun after a
// small change take minutes. Not part of `npm test`: the full run takes hours on 2 cores.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AREAS } from './mutate-areas.js';


const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
// A flag written `--concurrency 1` takes the next word as its value, unless that word is an area.
const named = [];
const unknown = [];
const passThrough = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg.startsWith('-')) {
    passThrough.push(arg);
    const next = args[i + 1];
    if (!arg.includes('=') && next !== undefined && !next.startsWith('-') && !(next in AREAS)) passThrough.push(args[++i]);
  } else if (arg in AREAS) named.push(arg);
  else unknown.push(arg);
}
if (unknown.length > 0) {
  process.stderr.write(`unknown area ${unknown.join(', ')}; the areas are ${Object.keys(AREAS).join(', ')}\n`);
  process.exit(2);
}
const areas = named.length > 0 ? named : Object.keys(AREAS);
mkdirSync(join(root, 'reports', 'mutation'), { recursive: true });
let worst = 0;
for (const area of areas) {
  process.stderr.write(`\nmutate: ${area}\n`);
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run', 'stryker.config.mjs', ...passThrough],
    { stdio: 'inherit', cwd: root, env: { ...process.env, HPSEARCH_TEST: '1', HPSEARCH_MUTATE_AREA: area } },
  );
  worst = Math.max(worst, result.status ?? 1);
}
process.exit(worst);

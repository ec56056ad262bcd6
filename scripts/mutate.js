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
const named = args.filter((a) => !a.startsWith('-') && a in AREAS);
const unknown = args.filter((a) => !a.startsWith('-') && !(a in AREAS));
const passThrough = args.filter((a) => a.startsWith('-'));
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

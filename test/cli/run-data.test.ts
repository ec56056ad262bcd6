import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';

/** A tfjs spec on a small CSV: one tiny trial of one epoch. */
function csvSpec(dir: string, data = 'path: data.csv, label: y'): string {
  const spec = join(dir, 'spec.yaml');
  writeFileSync(
    spec,
    `name: d\nmethod: random\nrun_cap: 1\ndata: { source: csv, ${data} }\n` + 'train: { epochs: 1, hidden_units: 4 }\nparameters:\n  learning_rate: { value: 0.01 }\n',
  );
  return spec;
}

function rows(n: number): string {
  return `x1,x2,y\n${Array.from({ length: n }, (_, i) => `${i / 10},${(i % 2) * 2 + (i % 3) / 10},${i % 2}`).join('\n')}\n`;
}

describe('hpsearch run checks its data once, before any trial', () => {
  it('exits 2 on a data error even with --no-preflight, before any trial or database', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'data.csv'), rows(40));
    writeFileSync(join(dir, 'split.txt'), 'train\nval\n');
    const cases: [string, string, RegExp][] = [
      ['path: data.csv, label: y, split_file: split.txt', 'bad split file', /split\.txt: has 2 rows but the data has 40/],
      ['path: data.csv, label: z', 'missing label column', /label column 'z' not found \(columns: x1, x2, y\)/],
    ];
    for (const [data, what, message] of cases) {
      const spec = csvSpec(dir, data);
      const res = await runCli(['run', spec, '--storage', join(dir, 'd.db'), '--no-preflight']);
      assert.equal(res.code, 2, `${what}: ${res.stderr}`);
      assert.match(res.stderr, message, what);
      assert.doesNotMatch(res.stderr, /trial 0/, `${what}: no trial`);
      assert.equal(existsSync(join(dir, 'd.db')), false, `${what}: no database`);
    }
  });

  it('refuses to resume when a data file changed, naming it, and skips preflight on a finished study', async () => {
    const dir = tempDir();
    const data = join(dir, 'data.csv');
    writeFileSync(data, rows(40));
    const spec = csvSpec(dir);
    const db = join(dir, 'd.db');
    const first = await runCli(['run', spec, '--storage', db]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /preflight on/);
    const again = await runCli(['run', spec, '--storage', db]);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /preflight/, 'a finished study runs no preflight');
    writeFileSync(data, rows(30));
    for (const flags of [[], ['--allow-spec-change']]) {
      const changed = await runCli(['run', spec, '--storage', db, '--run-cap', '2', ...flags]);
      assert.equal(changed.code, 2, changed.stderr);
      assert.match(changed.stderr, new RegExp(`data file ${data.replaceAll('.', '\\.')} changed`));
      assert.doesNotMatch(changed.stderr, /preflight/, 'the refusal comes before preflight');
    }
  });
});

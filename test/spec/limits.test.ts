import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SpecError } from '../../src/core/errors.js';
import { loadSpec, parseSpec } from '../../src/spec/index.js';
import { fixturesDir, runCli, tempDir } from '../helpers.js';

const MODULE = ['trainer: module', `module: ${join(fixturesDir, 'specs', 'objective.js')}`, 'metric: { name: loss, goal: minimize }'];

function issuesOf(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SpecError, String(error));
    return error;
  }
  assert.fail('the spec was accepted');
}

describe('specs that would hang or blow up', () => {
  it('refuses a spec over 1 MB at once, before reading it, with its size', async () => {
    const dir = tempDir('hpsearch-spec-limits-');
    const path = join(dir, 'huge.yaml');
    writeFileSync(path, [...MODULE, 'method: random', 'run_cap: 1', 'parameters:', '  x: { values: [', '0, '.repeat(1_700_000), '1] }'].join('\n'));
    const error = await loadSpec(path).then(() => null, (e: unknown) => e);
    assert.ok(error instanceof SpecError, String(error));
    assert.match(error.message, /:1:1: \(root\): the spec is 4\.9 MB, over the 1\.0 MB a spec may be/);
    assert.throws(() => parseSpec('x: 1\n'.repeat(300_000), path), /over the 1\.0 MB/);
  });

  it('checks a spec of 40 000 unknown keys in linear time (every key reported, each at its line)', async () => {
    const dir = tempDir('hpsearch-spec-keys-');
    const path = join(dir, 'keys.yaml');
    const keys = Array.from({ length: 40_000 }, (_, i) => `junk_${i}: 1`);
    writeFileSync(path, [...MODULE, 'method: random', 'run_cap: 1', 'parameters: { x: { value: 1 } }', ...keys, 'junk_7: 2'].join('\n'));
    // Quadratic work takes minutes here; linear, a few seconds. The CLI is killed at 60 s.
    const res = await runCli(['validate', path], { timeoutMs: 60_000 });
    assert.equal(res.signal, null, 'validation did not finish within 60 s');
    assert.equal(res.code, 2);
    const unknown = res.stderr.split('\n').filter((l) => / unknown key `/.test(l));
    assert.equal(unknown.length, 40_000);
    assert.ok(unknown[0]?.includes(`${path}:7:1: junk_0: unknown key`), unknown[0]);
    assert.ok(res.stderr.includes(`${path}:40006:1: junk_39999: unknown key`));
    assert.ok(res.stderr.includes(`${path}:40007:1: junk_7: duplicate key \`junk_7\``));
  });

  it('lets merge keys repeat, as YAML does, while other repeated keys are errors', () => {
    const text = [...MODULE, 'method: random', 'run_cap: 1', 'x-a: &a { min: 0, max: 1 }', 'x-b: &b { distribution: uniform }'];
    const error = issuesOf(() => parseSpec([...text, 'parameters:', '  x: { <<: *a, <<: *b, max: 2, max: 3 }'].join('\n'), 'merge.yaml'));
    assert.deepEqual(error.issues.filter((i) => /^duplicate key/.test(i.message)).map((i) => i.path), ['parameters.x.max']);
  });

  it('finds duplicate values in a long list (and still names each one)', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => String(i % 19_998));
    const text = [...MODULE, 'method: random', 'run_cap: 1', 'parameters:', `  x: { values: [${values.join(', ')}] }`].join('\n');
    const error = issuesOf(() => parseSpec(text, 'values.yaml'));
    assert.deepEqual(error.issues.map((i) => i.path), ['parameters.x.values.19998', 'parameters.x.values.19999']);
    assert.match(error.issues[0]?.message ?? '', /^duplicate value 0 /);
  });

  it('a grid too large to enumerate exits 2 at `method` and creates no database', async () => {
    const dir = tempDir('hpsearch-spec-grid-');
    const spec = join(dir, 'grid.yaml');
    const params = Array.from({ length: 7 }, (_, i) => `  p${i}: { distribution: uniform, min: 0, max: 1, grid_points: 1000 }`);
    writeFileSync(spec, [...MODULE, `storage: ${join(dir, 'never.db')}`, 'method: grid', 'parameters:', ...params].join('\n'));
    for (const command of ['validate', 'run']) {
      const res = await runCli([command, spec]);
      assert.equal(res.code, 2, res.stderr);
      assert.ok(res.stderr.includes(`${spec}:5:9: method: the grid has about 1.00e+21 points, too many to enumerate`), res.stderr);
    }
    assert.equal(existsSync(join(dir, 'never.db')), false);
    assert.deepEqual(readdirSync(dir), ['grid.yaml']);
  });
});

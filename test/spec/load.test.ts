import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { SpecError, UsageError } from '../../src/core/errors.js';
import { loadSpec } from '../../src/spec/index.js';
import { fixturesDir, tempDir } from '../helpers.js';

describe('loadSpec', () => {
  it('reads a spec by a path relative to the working directory', async () => {
    const abs = join(fixturesDir, 'specs', 'module-bowl.yaml');
    const spec = await loadSpec(relative(process.cwd(), abs));
    assert.equal(spec.source.path, abs);
    assert.equal(spec.module, join(fixturesDir, 'specs', 'objective.js'));
  });

  it('reports an unreadable file as a UsageError naming the path', async () => {
    const dir = tempDir('hpsearch-spec-load-');
    const missing = join(dir, 'nope.yaml');
    await assert.rejects(loadSpec(missing), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.exitCode, 2);
      assert.equal(error.message, `cannot read spec ${missing}: no such file`);
      return true;
    });
    await assert.rejects(loadSpec(dir), (error: unknown) => error instanceof UsageError && error.message.includes(dir));
  });

  it('rejects an invalid spec with a SpecError located in the file', async () => {
    const dir = tempDir('hpsearch-spec-load-');
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'trainer: module\nmodule: ./gone.js\nrun_cap: 1\n');
    await assert.rejects(loadSpec(file), (error: unknown) => {
      assert.ok(error instanceof SpecError);
      assert.deepEqual(
        error.issues.map((i) => [i.file, i.line, i.col, i.path]),
        [[file, 2, 9, 'module']],
      );
      return true;
    });
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { resolveSettings } from '../../src/train/settings.js';
import { runCli, tempDir } from '../helpers.js';

describe('momentum_form', () => {
  it('defaults to averaged and accepts classic', () => {
    assert.equal(resolveSettings({ train: {}, params: {} }).momentum_form, 'averaged');
    assert.equal(resolveSettings({ train: { momentum_form: 'classic' }, params: {} }).momentum_form, 'classic');
  });

  it('is a spec error (exit 2, position, suggestion) when misspelt', async () => {
    const path = join(tempDir(), 'spec.yaml');
    writeFileSync(path, 'name: m\nmethod: random\nrun_cap: 1\ndata: { source: synthetic, kind: blobs }\ntrain: { optimizer: momentum, momentum_form: clasic }\n');
    const res = await runCli(['validate', path]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /spec\.yaml:5:\d+: train\.momentum_form: unknown momentum_form `clasic`; did you mean `classic`\?/);
  });
});

/** Preflight's regularisation check fails when the training gradient does not carry the penalty. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { preflight } from '../../src/diagnose/preflight.js';
import { loadSpec } from '../../src/spec/index.js';
import { tempDir } from '../helpers.js';

async function spec(train: string): ReturnType<typeof loadSpec> {
  const path = join(tempDir(), 'spec.yaml');
  writeFileSync(path, `name: pf\nmethod: random\nrun_cap: 1\ndata: { source: synthetic, kind: blobs, classes: 3, features: 4, points: 150 }\ntrain: ${train}\n`);
  return loadSpec(path);
}

describe('preflight regularization', () => {
  it('passes when the penalty is in the training gradient (L1 and L2)', async () => {
    const report = await preflight(await spec('{ layers: [16], l2: 0.01, l1: 0.001 }'));
    const check = report.checks.find((c) => c.name === 'regularization');
    assert.equal(check?.passed, true, check?.message);
    assert.ok(Number(check?.evidence['penalty_gradient_error']) < 1e-3);
  });

  it('fails when the training gradient leaves the penalty out', async () => {
    const report = await preflight(await spec('{ layers: [16], l2: 0.01 }'), { inject: 'drop_penalty_gradient' });
    const check = report.checks.find((c) => c.name === 'regularization');
    assert.equal(check?.passed, false);
    assert.match(check?.message ?? '', /the training gradient does not carry the penalty/);
    assert.equal(report.passed, false);
  });
});

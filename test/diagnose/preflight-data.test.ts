// preflight's data check: a label with more than 20 distinct values in fewer than twice as many rows looks continuous.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { preflight } from '../../src/diagnose/preflight.js';
import { loadSpec } from '../../src/spec/index.js';
import { tempDir } from '../helpers.js';

async function blobs(classes: number, points: number): ReturnType<typeof loadSpec> {
  const path = join(tempDir(), 'spec.yaml');
  writeFileSync(
    path,
    `name: pf\nmethod: random\nrun_cap: 1\ndata: { source: synthetic, kind: blobs, classes: ${classes}, features: 2, points: ${points} }\ntrain: { model: mlp, layers: [4] }\nparameters:\n  learning_rate: { value: 0.01 }\n`,
  );
  return loadSpec(path);
}

describe('preflight: the data check', () => {
  it('fails a label of more than 20 values in fewer than twice as many rows, and stops there', async () => {
    const report = await preflight(await blobs(21, 41));
    assert.equal(report.passed, false);
    assert.deepEqual(report.checks.map((c) => c.name), ['data']);
    assert.equal(report.checks[0]?.message, 'the label has 21 distinct values in 41 rows: it looks like a continuous feature, not a class; name the class column in data.label');
    assert.equal(report.checks[0]?.evidence['classes'], 21);
  });

  it('passes 21 values in 42 rows, and 20 values in 39 rows', async () => {
    for (const [classes, points] of [[21, 42], [20, 39]] as const) {
      const data = (await preflight(await blobs(classes, points))).checks[0];
      assert.equal(data?.passed, true, data?.message);
      assert.match(data?.message ?? '', new RegExp(`^${classes} classes, all present in \\d+ training rows; features finite$`));
    }
  });
});

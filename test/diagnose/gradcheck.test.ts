/**
 * The gradient check on the built-in CNN: a right network passes both comparisons (tape and
 * kink-free finite differences), through ReLU and max-pool kinks; a sign flipped in a
 * convolution's gradient fails, naming the tensor.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gradcheck } from '../../src/diagnose/gradcheck.js';
import type { GradcheckReport } from '../../src/diagnose/gradcheck.js';
import { loadSpec } from '../../src/spec/index.js';
import { runCli, tempDir } from '../helpers.js';

function cnnSpec(train: string): string {
  const path = join(tempDir(), 'spec.yaml');
  writeFileSync(
    path,
    `name: gc\nmethod: random\nrun_cap: 1\ndata: { source: mnist, samples: 200, preprocess: center }\ntrain: { backend: wasm, model: cnn, filters: [8, 16], ${train} }\n`,
  );
  return path;
}

describe('gradcheck on the cnn', () => {
  it('passes through the CLI with relu (kinks crossed, counted, and frozen)', async () => {
    const res = await runCli(['gradcheck', cnnSpec('activation: relu'), '--json']);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const report = JSON.parse(res.stdout) as GradcheckReport;
    assert.equal(report.passed, true);
    for (const t of report.tensors) {
      assert.ok(t.tapeError < 1e-4, `${t.name}: tape error ${t.tapeError}`);
      assert.ok(t.relativeError < 1e-2, `${t.name}: finite-difference error ${t.relativeError}`);
    }
    assert.ok((report.tensors.find((t) => t.name === 'conv1/kernel')?.kinks ?? 0) > 0, 'the steps of the first convolution cross ReLU kinks');
  });

  it('passes with tanh and batch norm', async () => {
    const report = await gradcheck(await loadSpec(cnnSpec('activation: tanh, batch_norm: true')));
    assert.equal(report.passed, true, JSON.stringify(report.tensors));
  });

  it('fails when a convolution gradient has its sign flipped', async () => {
    const spec = await loadSpec(cnnSpec('activation: relu'));
    const report = await gradcheck(spec, {
      corrupt: (grads) => {
        const g = grads[0]!;
        for (let i = 0; i < g.length; i++) g[i] = -g[i]!;
      },
    });
    assert.equal(report.passed, false);
    assert.deepEqual(report.tensors.filter((t) => !t.passed).map((t) => t.name), ['conv1/kernel']);
    const conv1 = report.tensors[0]!;
    assert.ok(conv1.relativeError > 0.5 && conv1.tapeError > 1, JSON.stringify(conv1));
  });
});

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gradcheck } from '../../src/diagnose/gradcheck.js';
import { preflight } from '../../src/diagnose/preflight.js';
import { loadSpec } from '../../src/spec/index.js';
import { repoRoot, runCli, tempDir } from '../helpers.js';

/** Writes a spec (and optionally a CSV beside it) and loads it. */
async function specOf(yaml: string, csv?: string): ReturnType<typeof loadSpec> {
  const dir = tempDir();
  if (csv !== undefined) writeFileSync(join(dir, 'data.csv'), csv);
  const path = join(dir, 'spec.yaml');
  writeFileSync(path, yaml);
  return loadSpec(path);
}

function csvRows(n: number, row: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => row(i)).join('\n');
}

const blobsMlp = (train: string): string => `name: pf
method: random
run_cap: 1
data: { source: synthetic, kind: blobs, classes: 3, features: 4, points: 150 }
train: ${train}
parameters:
  learning_rate: { distribution: log_uniform_values, min: 1.0e-3, max: 1.0e-1 }
`;

describe('preflight', () => {
  it('passes on a sane spec, with every check reported', async () => {
    const report = await preflight(await specOf(blobsMlp('{ model: mlp, layers: [32] }')));
    assert.equal(report.passed, true, JSON.stringify(report.checks));
    assert.deepEqual(report.checks.map((c) => c.name), ['data', 'initial_loss', 'regularization', 'overfit']);
    const initial = report.checks.find((c) => c.name === 'initial_loss');
    assert.ok(Math.abs(Number(initial?.evidence['expected']) - Math.log(3)) < 1e-9);
    assert.ok(Math.abs(Number(report.params['learning_rate']) - 0.01) < 1e-9, 'the middle of a log range is its geometric middle');
  });

  it('fails when the loss ignores the labels (an injected bug)', async () => {
    const report = await preflight(await specOf(blobsMlp('{ model: mlp, layers: [32] }')), { inject: 'ignore_labels' });
    assert.equal(report.passed, false);
    const overfit = report.checks.find((c) => c.name === 'overfit');
    assert.equal(overfit?.passed, false);
    assert.match(overfit?.message ?? '', /could not overfit 20 training examples/);
  });

  it('fails, saying so, when the label is a continuous feature', async () => {
    const csv = `a,b,target\n${csvRows(120, (i) => `${i % 7},${(i * 13) % 11},${(i * 0.37).toFixed(3)}`)}`;
    const spec = await specOf(
      'name: pf\nmethod: random\nrun_cap: 1\ndata: { source: csv, path: data.csv, label: target }\ntrain: { model: mlp }\nparameters:\n  learning_rate: { value: 0.01 }\n',
      csv,
    );
    const report = await preflight(spec);
    assert.equal(report.passed, false);
    assert.match(report.checks[0]?.message ?? '', /the label column 'target' has values that are not whole numbers \(e\.g\. 0\.370; 120 distinct values\).*binned into classes/);
  });

  it('fails, naming the row and column, on a NaN feature', async () => {
    const csv = `a,b,label\n${csvRows(60, (i) => `${i === 17 ? 'NaN' : i % 5},${i % 3},${i % 2 === 0 ? 'cat' : 'dog'}`)}`;
    const spec = await specOf(
      'name: pf\nmethod: random\nrun_cap: 1\ndata: { source: csv, path: data.csv, label: label }\ntrain: { model: mlp }\nparameters:\n  learning_rate: { value: 0.01 }\n',
      csv,
    );
    const report = await preflight(spec);
    assert.equal(report.passed, false);
    assert.match(report.checks[0]?.message ?? '', /data\.csv:19: column 'a' is not a number: "NaN"/);
  });

  it('passes on the shipped examples through the CLI (exit 0) and fails with exit 1', async () => {
    for (const config of ['spirals.yaml', 'mnist-mlp.yaml']) {
      const res = await runCli(['preflight', join(repoRoot, 'configs', config)]);
      assert.equal(res.code, 0, `${config}: ${res.stdout}${res.stderr}`);
      assert.match(res.stdout, /^ {2}(ok {2}|warn) overfit/m);
    }
    const dir = tempDir();
    writeFileSync(join(dir, 'data.csv'), `x,y\n${csvRows(50, (i) => `${i},${i * 1.5}`)}`);
    writeFileSync(join(dir, 'spec.yaml'), 'name: pf\nmethod: random\nrun_cap: 1\ndata: { source: csv, path: data.csv, label: y }\nparameters:\n  learning_rate: { value: 0.01 }\n');
    const bad = await runCli(['preflight', join(dir, 'spec.yaml'), '--json']);
    assert.equal(bad.code, 1);
    assert.equal((JSON.parse(bad.stdout) as { passed: boolean }).passed, false);
  });
  it('prints only the active parameters, a loss well above ln(C) and a slow learning rate as warnings, numbers formatted', async () => {
    const dir = tempDir();
    const yaml = (train: string): string => `name: pf
method: random
run_cap: 1
data: { source: synthetic, kind: blobs, classes: 3, features: 4, points: 150 }
train: { model: mlp, layers: [32]${train} }
parameters:
  optimizer: { values: [momentum, adam] }
  learning_rate: { distribution: log_uniform_values, min: 1.0e-8, max: 1.0e-4 }
  beta1: { distribution: uniform, min: 0.8, max: 0.95, when: { optimizer: [adam] } }
`;
    writeFileSync(join(dir, 'a.yaml'), yaml(''));
    const res = await runCli(['preflight', join(dir, 'a.yaml')]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^preflight on optimizer=momentum learning_rate=1\.000e-6 \(backend \w+\):$/m, 'beta1 does not apply to momentum');
    assert.match(res.stdout, /^ {2}ok {3}initial_loss: initial loss [\d.]+ ≈ ln\(3\)/m);
    assert.match(res.stdout, /^ {2}warn overfit: overfits 20 examples with adam at learning_rate 0\.01 .* with momentum at learning_rate 1e-6 only/m);
    const json = await runCli(['preflight', join(dir, 'a.yaml'), '--json']);
    assert.deepEqual(Object.keys((JSON.parse(json.stdout) as { params: object }).params).sort(), ['learning_rate', 'optimizer']);
    writeFileSync(join(dir, 'b.yaml'), yaml(', init: small_normal, init_scale: 0.75'));
    const large = await runCli(['preflight', join(dir, 'b.yaml')]);
    assert.equal(large.code, 0, large.stderr);
    assert.match(large.stdout, /^ {2}warn initial_loss: initial loss [\d.]+ is 1\.\d\d× ln\(3\) = 1\.099 \(fails outside 0\.5–3×\): the initial weights are large/m);
  });
});

describe('gradcheck', () => {
  it('passes for an mlp with batch norm, dropout and L1', async () => {
    const spec = await specOf(blobsMlp('{ model: mlp, layers: [16, 8], batch_norm: true, dropout: 0.3, activation: tanh, l1: 0.001 }'));
    const report = await gradcheck(spec);
    assert.equal(report.passed, true, JSON.stringify(report.tensors));
    assert.equal(report.tensors.length, 8, "kernel, gamma, beta per hidden layer; kernel and bias for the output");
  });

  it('passes for a cnn with batch norm and L2', async () => {
    const spec = await specOf(
      'name: gc\nmethod: random\nrun_cap: 1\ndata: { source: mnist, samples: 100, preprocess: per_channel }\ntrain: { model: cnn, filters: [4, 8], batch_norm: true, l2: 0.001 }\nparameters:\n  learning_rate: { value: 0.01 }\n',
    );
    const report = await gradcheck(spec);
    assert.equal(report.passed, true, JSON.stringify(report.tensors));
    assert.ok(report.tensors.some((t) => t.name.startsWith('conv1')));
  });

  it('fails for a deliberately wrong gradient, naming the tensor', async () => {
    const spec = await specOf(blobsMlp('{ model: mlp, layers: [16] }'));
    const report = await gradcheck(spec, {
      corrupt: (grads) => {
        const g = grads[0];
        if (g !== undefined) for (let i = 0; i < g.length; i++) g[i] = g[i]! * 1.5;
      },
    });
    assert.equal(report.passed, false);
    assert.deepEqual(report.tensors.filter((t) => !t.passed).map((t) => t.name), ['dense1/kernel']);
    assert.ok((report.tensors[0]?.relativeError ?? 0) > 0.1);
  });
});

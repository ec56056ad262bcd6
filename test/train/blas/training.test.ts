/**
 * Training on the blas backend: the gradient check passes on the built-in MLP and CNN, a
 * trial's curve matches the same seed on wasm, and 1, 2 thread and 2 process slots give the
 * same trials. Where no OpenBLAS is installed, auto falls back to wasm and says so, and a
 * forced `backend: blas` is refused before a study exists.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Metrics } from '../../../src/core/types.js';
import { gradcheck } from '../../../src/diagnose/gradcheck.js';
import { loadSpec } from '../../../src/spec/index.js';
import { train } from '../../../src/train/tfjs-trainer.js';
import { json, runCli, tempDir, type TrialJson } from '../../helpers.js';
import { dataSpec, noBlas, recorder, task } from '../helpers.js';

function specFile(body: string): string {
  const path = join(tempDir(), 'spec.yaml');
  writeFileSync(path, body);
  return path;
}

const curve = (reports: Metrics[]): Metrics[] => reports.map(({ seconds: _s, samples_per_second: _r, ...rest }) => rest);

describe('the blas backend trains correctly', { skip: noBlas() }, () => {
  for (const model of ['mlp', 'cnn'] as const) {
    it(`passes the gradient check on the built-in ${model}`, async () => {
      const train = model === 'mlp' ? 'model: mlp, layers: [16, 8], activation: relu' : 'model: cnn, filters: [4, 8], activation: relu';
      const spec = await loadSpec(
        specFile(`name: gc\nmethod: random\nrun_cap: 1\ndata: { source: mnist, samples: 200, preprocess: center }\ntrain: { backend: blas, ${train} }\n`),
      );
      const report = await gradcheck(spec);
      assert.equal(report.backend, 'blas');
      assert.equal(report.passed, true, JSON.stringify(report.tensors));
    });
  }

  const MNIST = dataSpec({ source: 'mnist', samples: 160, kind: null, classes: null, points: null, noise: null, features: null, preprocess: 'standardize' });
  const CURVES = [
    { model: 'MLP', settings: { epochs: 3, layers: '32,16', batch_norm: true, dropout: 0.1, optimizer: 'adam', learning_rate: 0.01 }, data: undefined },
    // Four and eight filters: the pool gradient's SIMD loop, im2col's contiguous and strided runs, the kept patches.
    { model: 'CNN', settings: { model: 'cnn', filters: '4,8', epochs: 2, batch_size: 16, optimizer: 'adam', learning_rate: 0.003 }, data: MNIST },
  ] as const;
  for (const { model, settings, data } of CURVES) {
    it(`gives a trial of the built-in ${model} the curve it has on wasm, within float tolerance`, async () => {
      const options = data === undefined ? {} : { data };
      const onWasm = recorder();
      await train(task({ ...settings, backend: 'wasm' }, options), onWasm);
      const onBlas = recorder();
      const result = await train(task({ ...settings, backend: 'blas' }, options), onBlas);
      assert.equal(result.attrs['backend'], 'blas');
      const a = curve(onBlas.reports);
      const b = curve(onWasm.reports);
      assert.equal(a.length, settings.epochs);
      a.forEach((m, i) => {
        for (const [k, v] of Object.entries(m)) assert.ok(Math.abs(v - b[i]![k]!) <= 1e-3 * (1 + Math.abs(v)), `epoch ${i} ${k}: blas ${v}, wasm ${b[i]![k]}`);
      });
    });
  }

  it('gives the same trials on one slot, two thread slots and two process slots', async () => {
    const body = (pool: string, parallelism: number): string =>
      'name: slots\nseed: 3\nmethod: random\nrun_cap: 4\nmetric: { name: val_loss, goal: minimize }\n' +
      `parallelism: ${parallelism}\npool: ${pool}\n` +
      'data: { source: synthetic, kind: spirals, classes: 3, points: 300 }\n' +
      'train: { backend: blas, model: mlp, layers: [32, 16], epochs: 3, batch_size: 32 }\n' +
      'parameters:\n  learning_rate: { distribution: log_uniform_values, min: 1.0e-3, max: 1.0e-1 }\n';
    const values: Array<Array<number | null>> = [];
    for (const [pool, parallelism] of [['thread', 1], ['thread', 2], ['process', 2]] as const) {
      const dir = tempDir();
      const db = join(dir, 's.db');
      const run = await runCli(['run', specFile(body(pool, parallelism)), '--storage', db, '--no-preflight', '--quiet']);
      assert.equal(run.code, 0, run.stderr);
      const trials = json<TrialJson[]>((await runCli(['trials', '--storage', db, '--json'])).stdout).sort((x, y) => x.number - y.number);
      assert.ok(trials.every((t) => t.attrs['backend'] === 'blas'));
      values.push(trials.map((t) => t.value));
    }
    assert.equal(values[0]!.length, 4);
    assert.deepEqual(values[1], values[0], 'two thread slots');
    assert.deepEqual(values[2], values[0], 'two process slots');
  });
});

describe('without a usable BLAS', () => {
  const missing = { HPSEARCH_BLAS: join(tempDir(), 'libopenblas.so.0') };
  const body = (backend: string): string =>
    `name: nb\nmethod: random\nrun_cap: 1\ndata: { source: synthetic, kind: blobs, classes: 3, points: 120 }\ntrain: { backend: ${backend}, epochs: 1 }\n`;

  it('auto falls back to wasm and says why once, in the run header', async () => {
    const dir = tempDir();
    const run = await runCli(['run', specFile(body('auto')), '--storage', join(dir, 'a.db'), '--no-preflight'], { env: missing });
    assert.equal(run.code, 0, run.stderr);
    const said = run.stderr.match(/backend wasm \(.*blas: HPSEARCH_BLAS: \S+libopenblas\.so\.0 not found\)/g) ?? [];
    assert.equal(said.length, 1, run.stderr);
  });

  it('backend: blas is refused before the study is made (exit 2, naming the package)', async () => {
    const dir = tempDir();
    const db = join(dir, 'b.db');
    const run = await runCli(['run', specFile(body('blas')), '--storage', db], { env: missing });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /backend blas was requested but cannot be used: .*not found\. Install OpenBLAS \(Debian\/Ubuntu: apt-get install libopenblas0/);
    assert.equal(existsSync(db), false);
  });
});

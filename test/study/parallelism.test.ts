import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';
import { readStudy, sleepySpec } from './live-cli.js';

/** Each trial's number, parameters, seed, value and final epoch metrics. */
async function results(db: string): Promise<unknown[]> {
  const { trials } = await readStudy(db);
  assert.ok(trials.length > 0 && trials.every((t) => t.state === 'complete'));
  return trials.map((t) => {
    // Timings and the worker's identity differ from run to run; the learning does not.
    const metrics = Object.entries(t.epochs.at(-1)?.metrics ?? {}).filter(([k]) => !/second|^pid$|^thread$/.test(k));
    return [t.number, t.params, t.seed, t.value, metrics];
  });
}

async function runWith(spec: string, db: string, parallelism: number): Promise<unknown[]> {
  const run = await runCli(['run', spec, '--storage', db, '--parallelism', String(parallelism)]);
  assert.equal(run.code, 0, run.stderr);
  return results(db);
}

describe('parallelism does not change results', () => {
  it('gives the same parameters and final metrics per trial on 1 and 2 slots (module trainer)', async () => {
    const dir = tempDir();
    const spec = sleepySpec(dir, { runCap: 12, epochs: 4, sleepMs: 2 });
    const one = await runWith(spec, join(dir, 'one.db'), 1);
    const two = await runWith(spec, join(dir, 'two.db'), 2);
    assert.equal(one.length, 12);
    assert.deepEqual(two, one);
  });

  it('gives the same final metrics per trial on 1 and 2 slots (tfjs trainer, wasm backend)', async () => {
    const dir = tempDir();
    const spec = join(dir, 'tfjs.yaml');
    writeFileSync(
      spec,
      `name: tiny-spirals
seed: 3
method: random
metric: { name: val_loss, goal: minimize }
run_cap: 4
data: { source: synthetic, kind: spirals, classes: 3, points: 150, split: { train: 0.6, val: 0.2, test: 0.2 } }
train: { epochs: 3, backend: wasm, layers: [32] }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 1.0e-3, max: 1.0e-1 }
`,
    );
    const one = await runWith(spec, join(dir, 'one.db'), 1);
    const two = await runWith(spec, join(dir, 'two.db'), 2);
    assert.equal(one.length, 4);
    assert.deepEqual(two, one);
  });
});

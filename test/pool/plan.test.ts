import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { describePlan, planPool, type Machine } from '../../src/pool/index.js';
import { parseSpec } from '../../src/spec/index.js';
import { fixturesDir } from '../helpers.js';

/** A machine with 4 cores, the given packages installed and `gpus` CUDA devices. */
function machine(packages: string[], gpus = 0): Machine {
  return { cores: () => 4, resolves: (pkg) => packages.includes(pkg), cudaDevices: () => gpus };
}

function tfjsSpec(extra: string): ReturnType<typeof parseSpec> {
  const text = `name: t
metric: { name: val_loss, goal: minimize }
run_cap: 4
data: { source: synthetic, kind: blobs, classes: 2, points: 40, features: 2 }
parameters:
  learning_rate: { values: [0.1, 0.01] }
${extra}
`;
  return parseSpec(text, join(fixturesDir, 'plan.yaml'));
}

const moduleSpec = (extra: string): ReturnType<typeof parseSpec> =>
  parseSpec(
    `name: m\ntrainer: module\nmodule: ${join(fixturesDir, 'objectives', 'noop.js')}\nrun_cap: 2\nparameters:\n  x: { values: [1, 2] }\n${extra}\n`,
    join(fixturesDir, 'plan.yaml'),
  );

describe('planPool', () => {
  it('runs the module trainer and tfjs on wasm/cpu in threads, one per core by default', () => {
    assert.deepEqual(planPool(moduleSpec(''), null, machine([])), { mode: 'thread', slots: 4, devices: [null, null, null, null], gpu: false });
    assert.equal(planPool(tfjsSpec('train: { backend: wasm }'), null, machine(['@tensorflow/tfjs-node'])).mode, 'thread');
    assert.equal(planPool(tfjsSpec(''), null, machine([])).mode, 'thread', 'auto without a native package');
  });

  it('runs native backends in child processes: forced, or auto when the package resolves', () => {
    assert.equal(planPool(tfjsSpec('train: { backend: tfjs-node }'), null, machine([])).mode, 'process');
    assert.equal(planPool(tfjsSpec(''), null, machine(['@tensorflow/tfjs-node'])).mode, 'process');
    assert.equal(planPool(tfjsSpec(''), null, machine(['@tensorflow/tfjs-node-gpu'], 0)).mode, 'thread', 'no GPU: auto skips tfjs-node-gpu');
  });

  it('gives the GPU backend one slot per device, each pinned, unless parallelism says otherwise', () => {
    const gpu = planPool(tfjsSpec(''), null, machine(['@tensorflow/tfjs-node-gpu'], 2));
    assert.deepEqual(gpu, { mode: 'process', slots: 2, devices: [0, 1], gpu: true });
    assert.equal(describePlan(gpu), '2 child processes on CUDA devices 0, 1');
    const listed = planPool(tfjsSpec('train: { backend: tfjs-node-gpu }\ndevices: [3, 5]'), 4, machine([], 8));
    assert.deepEqual(listed.devices, [3, 5, 3, 5]);
  });

  it('lets pool: and parallelism override the choice', () => {
    assert.equal(planPool(moduleSpec('pool: process'), null, machine([])).mode, 'process');
    assert.equal(planPool(tfjsSpec('pool: thread\ntrain: { backend: tfjs-node }'), null, machine([])).mode, 'thread');
    assert.equal(planPool(moduleSpec('parallelism: 3'), null, machine([])).slots, 3);
    assert.equal(planPool(moduleSpec('parallelism: 3'), 1, machine([])).slots, 1, 'the command line wins');
    assert.equal(describePlan(planPool(moduleSpec(''), 1, machine([]))), '1 worker thread');
  });
});

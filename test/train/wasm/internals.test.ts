/**
 * The wasm kernel fixes and the fused Adam rely on tfjs internals (BackendWasm members, stock
 * kernels they wrap): with the pinned tfjs nothing is missing, and this test names what is
 * if an upgrade changes it. Without them the fixes stay off and a trial trains on the stock
 * kernels and the unfused Adam, never on half-installed wrappers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { train } from '../../../src/train/tfjs-trainer.js';
import { fusedAdamAvailable } from '../../../src/train/optim/optimizers.js';
import { tf } from '../../../src/train/tf.js';
import { missingWasmMembers } from '../../../src/train/wasm/backend.js';
import { installWasmKernelFixes, uninstallWasmKernelFixes, wasmInternalsMissing, wasmKernelFixesInstalled } from '../../../src/train/wasm/index.js';
import { repoRoot } from '../../helpers.js';
import { recorder, task } from '../helpers.js';

describe('tfjs internals the wasm kernels rely on', () => {
  it('every TensorFlow.js package is pinned to one exact version', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const tfjs = Object.entries({ ...pkg['dependencies'], ...pkg['optionalDependencies'] }).filter(([name]) => name.startsWith('@tensorflow/'));
    assert.ok(tfjs.length >= 4);
    for (const [name, version] of tfjs) assert.equal(version, '4.22.0', `${name} must be pinned to 4.22.0 (the kernels in src/train/wasm/ rely on its internals)`);
  });

  it('are all there in the installed tfjs', async () => {
    await tf.setBackend('wasm');
    assert.deepEqual(wasmInternalsMissing(), [], 'the installed tfjs lacks what src/train/wasm/ relies on');
  });

  it('a backend without a member is named', () => {
    const fake = { makeOutput() {}, incRef() {}, disposeData() {} };
    assert.deepEqual(missingWasmMembers(fake), ['BackendWasm.typedArrayFromHeap']);
  });

  it('without a kernel they wrap, the fixes stay off and a trial trains on stock kernels and the unfused Adam', async () => {
    await tf.setBackend('wasm');
    uninstallWasmKernelFixes();
    const stock = tf.getKernel('Tile', 'wasm');
    tf.unregisterKernel('Tile', 'wasm');
    try {
      assert.deepEqual(wasmInternalsMissing(), ['kernel Tile']);
      installWasmKernelFixes();
      assert.equal(wasmKernelFixesInstalled(), false);
      assert.equal(fusedAdamAvailable(), false);
      const ctx = recorder();
      await train(task({ epochs: 2, optimizer: 'adam', learning_rate: 0.01 }), ctx);
      assert.ok(ctx.reports.length === 2 && ctx.reports.every((r) => Number.isFinite(r['train_loss'])));
    } finally {
      tf.registerKernel(stock);
      installWasmKernelFixes();
    }
    assert.equal(wasmKernelFixesInstalled(), true);
  });
});

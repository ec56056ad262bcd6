import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes, uninstallWasmKernelFixes, wasmKernelFixesInstalled } from '../../../src/train/wasm/index.js';

const NAMES = ['BatchMatMul', '_FusedMatMul', 'Conv2DBackpropFilter', 'MaxPoolGrad', 'GatherV2', 'Slice', 'Tile'];

describe('installWasmKernelFixes', () => {
  it('keeps the stock setup functions, registers every kernel once, and is idempotent', async () => {
    const stockSetup = tf.getKernel('BatchMatMul', 'wasm')?.setupFunc;
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined, 'stock wasm lacks the kernel');
    assert.equal(wasmKernelFixesInstalled(), false);
    // Installing before the backend is initialised must work: the stock setup runs at init.
    installWasmKernelFixes();
    await tf.setBackend('wasm');
    assert.equal(tf.getKernel('BatchMatMul', 'wasm')?.setupFunc, stockSetup);
    const first = NAMES.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc);
    assert.ok(first.every((f) => typeof f === 'function'));
    installWasmKernelFixes();
    installWasmKernelFixes();
    assert.deepEqual(
      NAMES.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc),
      first,
      'a second call must not wrap the wrappers',
    );
    assert.equal(wasmKernelFixesInstalled(), true);
    const y = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 0, 1], [2, 2]), true, false);
    assert.deepEqual(Array.from(y.dataSync()), [1, 3, 2, 4]);
  });

  it('uninstall restores the stock kernels, and a later install works again', async () => {
    await tf.setBackend('wasm');
    installWasmKernelFixes();
    uninstallWasmKernelFixes();
    uninstallWasmKernelFixes();
    assert.equal(wasmKernelFixesInstalled(), false);
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
    const stock = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
    installWasmKernelFixes();
    assert.notEqual(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc, stock);
    uninstallWasmKernelFixes();
    assert.equal(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc, stock);
    installWasmKernelFixes();
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
  });
});

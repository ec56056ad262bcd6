import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { cudaDeviceVisible, resolveBackend } from '../../src/train/backend.js';
import { tf } from '../../src/train/tf.js';
import { installed, noBlas, noNativeBackend } from './helpers.js';

// The optional native packages are usually not installed (their install needs a download
// from outside the npm registry): then auto must fall back to wasm and say why. Where one is
// installed, the tests that assume otherwise are skipped and auto must pick a native backend.
describe('backend resolution', () => {
  it('auto picks a native backend where one is installed', { skip: noNativeBackend() && 'no native package installed' }, async () => {
    const b = await resolveBackend('auto');
    assert.match(b.name, /^tfjs-node/);
  });

  it('auto takes blas (wasm on OpenBLAS) and says what it tried', { skip: (!noNativeBackend() && 'a native package is installed') || noBlas() }, async () => {
    const b = await resolveBackend('auto');
    assert.equal(b.name, 'blas');
    assert.equal(b.package, '@tensorflow/tfjs-backend-wasm + koffi');
    assert.equal(b.gpu, false);
    assert.match(b.note, /^blas: OpenBLAS \d[^,]*, \S+ \(tfjs-node-gpu .+; tfjs-node not installed\)$/);
    assert.equal(tf.getBackend(), 'wasm');
  });

  it('auto falls back to wasm without OpenBLAS and says what it tried', { skip: (!noNativeBackend() && 'a native package is installed') || (!noBlas() && 'OpenBLAS is installed (the CLI test hides it)') }, async () => {
    const b = await resolveBackend('auto');
    assert.equal(b.name, 'wasm');
    assert.equal(b.package, '@tensorflow/tfjs-backend-wasm');
    assert.match(b.note, /^wasm \(tfjs-node-gpu .+; tfjs-node not installed; blas: no OpenBLAS found \(.+\)\)$/);
    assert.equal(tf.getBackend(), 'wasm');
  });

  it('a forced backend that cannot load is a UsageError saying how to get it', { skip: installed('@tensorflow/tfjs-node') && '@tensorflow/tfjs-node is installed' }, async () => {
    await assert.rejects(resolveBackend('tfjs-node'), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /backend tfjs-node was requested but cannot be used: @tensorflow\/tfjs-node not installed\. Install it/);
      return true;
    });
    if (!installed('@tensorflow/tfjs-node-gpu')) await assert.rejects(resolveBackend('tfjs-node-gpu'), UsageError);
  });

  it('switches between forced wasm and cpu', async () => {
    assert.equal((await resolveBackend('cpu')).name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.equal((await resolveBackend('wasm')).name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
  });

  it('sees no CUDA device when CUDA_VISIBLE_DEVICES hides them', () => {
    assert.equal(cudaDeviceVisible({ CUDA_VISIBLE_DEVICES: '-1' }), false);
    assert.equal(cudaDeviceVisible({ CUDA_VISIBLE_DEVICES: '' }), false);
  });
});

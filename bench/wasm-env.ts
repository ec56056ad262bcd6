/** The wasm backend for bench sections, with tfjs-core's gradients registered. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
// Its bundle registers tfjs-core's gradients, as the trainer's import of it does.
import '@tensorflow/tfjs-layers';

/** Makes wasm the active backend (initialising it once). */
export async function useWasm(): Promise<void> {
  if (tf.getBackend() === 'wasm') return;
  if (!(await tf.setBackend('wasm'))) throw new Error('bench: the wasm backend failed to initialise');
}

/**
 * `Identity` for the wasm backend sharing the input's memory (as the cpu backend does), where
 * the stock kernel copies it. tfjs-core clones every tensor it saves for a gradient, so on a
 * training step the stock kernel copies each layer's input and weights once more.
 * Sharing is safe: tensors are immutable, and no kernel here writes into its inputs.
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { asWasmBackend } from './backend.js';

/** Wraps the stock wasm `Identity` kernel, which still serves string tensors. */
export function makeIdentity(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x;
    if (x === undefined || x.dtype === 'string') return original(args);
    asWasmBackend(args.backend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

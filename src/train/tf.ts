/**
 * The trainer's one TensorFlow.js namespace. Everything in src/train/ (outside wasm/) reaches
 * TensorFlow.js through this file, so the side-effect imports below happen exactly once:
 *
 * - `@tensorflow/tfjs-layers` registers tf-core's gradient functions (tape autodiff: `tf.grads`,
 *   used by module trainers and by the tests that check the trainer's hand-written backward
 *   pass) and is re-exported as `tfl` for module trainers;
 * - `@tensorflow/tfjs-backend-cpu` and `@tensorflow/tfjs-backend-wasm` register their backends.
 *
 * The native backends (@tensorflow/tfjs-node, -gpu) are never imported here: backend.ts loads
 * them on demand. All three packages resolve `@tensorflow/tfjs-core` to the same (CommonJS)
 * module instance, so kernels, gradients and tensors are shared.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export { tf, tfl };
export type { NamedTensorMap, Rank, Tensor, Tensor1D, Tensor2D, Tensor4D, TensorContainer } from '@tensorflow/tfjs-core';

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
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';
import { core, requirePackage } from './tfjs-core.js';

/** Loaded with require, not import: see tfjs-core.ts. */
export const tf = core;
export const tfl = requirePackage('@tensorflow/tfjs-layers') as typeof TfLayers;
requirePackage('@tensorflow/tfjs-backend-cpu');
requirePackage('@tensorflow/tfjs-backend-wasm');

// The types the trainer names through the namespaces (a value loaded with require is no
// namespace, so each type it needs is declared here).
/* eslint-disable @typescript-eslint/no-namespace */
export declare namespace tf {
  export type Tensor = TfCore.Tensor;
  export type Tensor2D = TfCore.Tensor2D;
  export type Tensor4D = TfCore.Tensor4D;
  export type Scalar = TfCore.Scalar;
  export type Variable = TfCore.Variable;
  export namespace io {
    export type ModelArtifacts = TfCore.io.ModelArtifacts;
    export type WeightsManifestEntry = TfCore.io.WeightsManifestEntry;
  }
}
export declare namespace tfl {
  export type LayersModel = TfLayers.LayersModel;
  export type Sequential = TfLayers.Sequential;
}
/* eslint-enable @typescript-eslint/no-namespace */
export type { NamedTensorMap, Rank, Scalar, Tensor, Tensor1D, Tensor2D, Tensor4D, TensorContainer, Variable } from '@tensorflow/tfjs-core';
export type { LayersModel, Sequential } from '@tensorflow/tfjs-layers';

/**
 * @tensorflow/tfjs-core, loaded with require. The package is CommonJS: an `import` of it makes
 * Node's ESM loader scan its 1.2 MB source (and the other tfjs packages') for export names
 * before running it, which cost a slot about five times the load itself (0.55 s against 3.2 s
 * on a loaded 2-core machine) before its first trial. require shares the one module instance
 * an import would get. Types come from the package as usual (`import type`).
 */
import { createRequire } from 'node:module';
import type * as TfCore from '@tensorflow/tfjs-core';

/** Node's require, for the tfjs packages (CommonJS) and native add-ons. */
export const requirePackage = createRequire(import.meta.url);

export const core = requirePackage('@tensorflow/tfjs-core') as typeof TfCore;

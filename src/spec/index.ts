/** spec/: YAML → validated Spec (DESIGN.md, The spec). */
export { parseSpec, DEFAULT_METRIC, DEFAULT_STORAGE } from './parse.js';
export { loadSpec } from './load.js';
export { canonicalSpecJson, specHash } from './hash.js';
export { compareSpecs, describeSpecChanges } from './compare.js';
export type { SpecChange } from './compare.js';
export { gridPointsOf, gridSize } from './method.js';

// A trial's seed: the tree's one seeded hash, in core/random.ts.
export { trialSeed } from '../core/random.js';

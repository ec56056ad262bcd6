// Seeded, keyed randomness for the samplers: the tree's one implementation lives in
// core/random.ts (the trainer draws from it too); these are its sampler-facing names.
export { murmur3Words, paramStream, RandomStream } from '../core/random.js';

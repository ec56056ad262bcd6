// The trainer's seeded randomness: the tree's one implementation, in core/random.ts.
export { deriveSeed, Rng } from '../core/random.js';

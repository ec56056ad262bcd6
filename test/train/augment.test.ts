import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAugmenter, trialAugmenter, type AugmentOptions } from '../../src/train/augment.js';
import { affineOf, warp } from '../../src/train/augment-warp.js';
import { epochBatches } from '../../src/train/loop/batches.js';
import { Rng } from '../../src/train/random.js';
import { resolveSettings } from '../../src/train/settings.js';

const OFF: AugmentOptions = { shift: 0, rotate: 0, zoom: 0, flip: 'none', noise: 0, cutout: 0 };

/** A w × h one-channel image that is 0 except `ones` ([x, y] pixels) set to 1. */
function image(w: number, h: number, ones: [number, number][]): Float32Array {
  const img = new Float32Array(w * h);
  for (const [x, y] of ones) img[y * w + x] = 1;
  return img;
}

function centroid(img: Float32Array, w: number): { x: number; y: number; mass: number } {
  let mass = 0;
  let x = 0;
  let y = 0;
  img.forEach((v, i) => {
    mass += v;
    x += v * (i % w);
    y += v * Math.floor(i / w);
  });
  return { x: x / mass, y: y / mass, mass };
}

function warped(src: Float32Array, w: number, h: number, g: Partial<Parameters<typeof affineOf>[0]>): Float32Array {
  const dst = new Float32Array(src.length);
  warp(src, dst, w, h, 1, affineOf({ dx: 0, dy: 0, degrees: 0, scale: 1, flip: false, ...g }, w, h));
  return dst;
}

describe('the warp', () => {
  const blob = image(12, 10, [[4, 4], [5, 4], [5, 5], [4, 6]]);

  it('shift moves the pixel mass by the shift, keeping it whole', () => {
    const before = centroid(blob, 12);
    const after = centroid(warped(blob, 12, 10, { dx: 2.5, dy: -1 }), 12);
    assert.ok(Math.abs(after.x - before.x - 2.5) < 1e-5, `x ${before.x} → ${after.x}`);
    assert.ok(Math.abs(after.y - before.y + 1) < 1e-5, `y ${before.y} → ${after.y}`);
    assert.ok(Math.abs(after.mass - before.mass) < 1e-5);
  });

  it('rotate 90 turns a known image a quarter clockwise about the centre', () => {
    // 5 × 5: an L of the centre row's right arm and the centre column's upper arm.
    const src = image(5, 5, [[2, 2], [3, 2], [4, 2], [2, 1], [2, 0]]);
    const out = warped(src, 5, 5, { degrees: 90 });
    // Right arm → lower arm, upper arm → right arm.
    const expected = image(5, 5, [[2, 2], [2, 3], [2, 4], [3, 2], [4, 2]]);
    assert.deepEqual([...out].map((v) => Math.round(v * 1e5) / 1e5), [...expected]);
  });

  it('flip mirrors left to right; zoom 2 doubles distances from the centre', () => {
    const src = image(6, 3, [[0, 1], [1, 0]]);
    assert.deepEqual([...warped(src, 6, 3, { flip: true })], [...image(6, 3, [[5, 1], [4, 0]])]);
    const dot = image(9, 9, [[5, 4]]);
    assert.equal(warped(dot, 9, 9, { scale: 2 })[4 * 9 + 6], 1);
  });
});

describe('the augmenter', () => {
  const shape = [4, 6, 1] as const;
  const size = 24;

  function batch(n: number): Float32Array {
    return Float32Array.from({ length: n * size }, (_, i) => (i % size) / size);
  }

  it('flip horizontal mirrors about half the images and leaves the rest as they were', () => {
    const x = batch(40);
    const original = x.slice();
    createAugmenter({ ...OFF, flip: 'horizontal' }, shape, undefined, new Rng(3)).apply(x, new Int32Array(40));
    let flipped = 0;
    for (let i = 0; i < 40; i++) {
      const img = x.subarray(i * size, (i + 1) * size);
      const src = original.subarray(i * size, (i + 1) * size);
      const mirror = src.map((_, k) => src[Math.floor(k / 6) * 6 + (5 - (k % 6))]!);
      if (img.every((v, k) => Math.abs(v - mirror[k]!) < 1e-6)) flipped++;
      else assert.ok(img.every((v, k) => Math.abs(v - src[k]!) < 1e-6), `image ${i} neither mirrored nor kept`);
    }
    assert.ok(flipped >= 10 && flipped <= 30, `${flipped} of 40 mirrored`);
  });

  it('works in pixel units: a warp moves pixels, not the preprocessing statistics', () => {
    // Standardised pixels: value' = (value − shift) / scale, per pixel.
    const transform = { shift: Float32Array.from({ length: size }, (_, k) => k / 10), scale: Float32Array.from({ length: size }, (_, k) => 1 + k) };
    const pixels = image(6, 4, [[2, 1]]);
    const x = pixels.map((v, k) => (v - transform.shift[k]!) / transform.scale[k]!);
    createAugmenter({ ...OFF, flip: 'horizontal' }, shape, transform, new Rng(1)).apply(x, new Int32Array(1));
    const back = x.map((v, k) => v * transform.scale[k]! + transform.shift[k]!);
    const ok = [pixels, image(6, 4, [[3, 1]])].some((p) => back.every((v, k) => Math.abs(v - p[k]!) < 1e-5));
    assert.ok(ok, `got ${[...back].map((v) => v.toFixed(2)).join(' ')}`);
  });

  it('noise adds values of the given standard deviation; cutout blanks a square', () => {
    const x = new Float32Array(200 * size).fill(0.5);
    createAugmenter({ ...OFF, noise: 0.1 }, shape, undefined, new Rng(5)).apply(x, new Int32Array(200));
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - 0.5) ** 2, 0) / x.length);
    assert.ok(Math.abs(sd - 0.1) < 0.005, `std ${sd}`);
    const y = new Float32Array(size).fill(1);
    createAugmenter({ ...OFF, cutout: 2 }, shape, undefined, new Rng(5)).apply(y, new Int32Array(1));
    const zeros = y.filter((v) => v === 0).length;
    assert.ok(zeros >= 1 && zeros <= 4, `${zeros} pixels blanked`);
  });

  it('is reproducible from the trial seed, and another seed draws differently', () => {
    const settings = resolveSettings({ train: { 'augment.shift': 1.5, 'augment.rotate': 15, 'augment.noise': 0.05 }, params: {} });
    const data = { imageShape: [4, 6, 1] as [number, number, number], transform: undefined };
    const run = (seed: number): Float32Array => {
      const x = batch(8);
      const a = trialAugmenter(settings, data, seed)!;
      a.apply(x, new Int32Array(8));
      a.apply(x, new Int32Array(8));
      return x;
    };
    assert.deepEqual(run(7), run(7));
    assert.notDeepEqual(run(7), run(8));
    assert.equal(trialAugmenter(resolveSettings({ train: {}, params: {} }), data, 7), null);
    assert.throws(() => trialAugmenter(settings, { imageShape: null, transform: undefined }, 7), /train\.augment needs image data/);
  });

  it('changes the training batches of an epoch and never the data they are gathered from', () => {
    const train = { x: batch(10), y: new Int32Array(10), n: 10 };
    const copy = train.x.slice();
    const augmenter = createAugmenter({ ...OFF, shift: 2, rotate: 20 }, shape, undefined, new Rng(2));
    let changed = 0;
    for (const b of epochBatches(train, size, 2, 4, new Rng(1), augmenter).batches()) {
      for (let i = 0; i < b.rows; i++) {
        const img = b.x.subarray(i * size, (i + 1) * size);
        if (!copy.some((_, r) => r % size === 0 && img.every((v, k) => v === copy[r + k]))) changed++;
      }
    }
    assert.equal(changed, 10);
    assert.deepEqual(train.x, copy);
    const samples = augmenter.samples(['a', 'b']);
    assert.equal(samples?.labels.length, 10);
    assert.equal(Buffer.from(samples.pixels, 'base64').length, 10 * size);
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cachePath, readCache, writeCache } from '../../../src/train/data/mnist-cache.js';
import { mnistSources, parseDigits } from '../../../src/train/data/mnist.js';

const PIXELS = 784;
const dir = mkdtempSync(join(tmpdir(), 'hpsearch-mnist-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('mnist binary cache', () => {
  const { version, sources } = mnistSources();
  const parsed = parseDigits(sources);

  it('reads back exactly what was parsed, and refuses short, foreign or mis-shaped files', () => {
    const file = join(dir, 'digits.bin');
    writeCache(file, parsed, PIXELS);
    const back = readCache(file, PIXELS);
    assert.ok(back !== null);
    assert.deepEqual(back.y, parsed.y);
    assert.ok(Buffer.from(back.x.buffer).equals(Buffer.from(parsed.x.buffer)), 'every pixel bit for bit');
    assert.equal(readCache(file, 28 * 27), null, 'another image size');
    assert.equal(readCache(join(dir, 'absent.bin'), PIXELS), null);
    truncateSync(file, 1000);
    assert.equal(readCache(file, PIXELS), null, 'a short file');
    writeFileSync(file, Buffer.alloc(64, 7));
    assert.equal(readCache(file, PIXELS), null, 'not a cache');
    assert.deepEqual(readdirSync(dir), ['digits.bin'], 'no partial file left behind');
  });

  it('is named after the sources, so a changed package file is parsed again', () => {
    const copies = sources.map((s, i) => {
      const c = join(dir, `${i}.json`);
      copyFileSync(s, c);
      return c;
    });
    const before = cachePath(version, copies);
    assert.equal(cachePath(version, copies), before);
    utimesSync(copies[3]!, new Date(), new Date(Date.now() + 5000));
    assert.notEqual(cachePath(version, copies), before);
    assert.notEqual(cachePath('9.9.9', sources), cachePath(version, sources));
  });

  it('a second process takes the digits from the cache the first one wrote, identical', () => {
    const cacheDir = join(dir, 'cache');
    const module = fileURLToPath(new URL('../../../src/train/data/mnist.js', import.meta.url));
    const script = `import { loadMnist } from ${JSON.stringify(module)};
import { createHash } from 'node:crypto';
const d = loadMnist(300, 4);
console.log(createHash('sha256').update(d.x).update(d.y).digest('hex'));`;
    const run = (): string => execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, HPSEARCH_CACHE_DIR: cacheDir }, encoding: 'utf8' }).trim();
    const first = run();
    const files = readdirSync(cacheDir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^mnist-.*\.bin$/);
    const file = join(cacheDir, files[0]!);
    assert.equal(run(), first);
    // Pixels changed in the cache (its header kept) show up: the second process read the cache.
    const bytes = readFileSync(file);
    bytes.fill(0, 16, bytes.length - parsed.y.length * 4);
    writeFileSync(file, bytes);
    assert.notEqual(run(), first);
    assert.ok(existsSync(file));
    truncateSync(file, 2000);
    assert.equal(run(), first, 'a damaged cache is parsed again from the JSON');
    assert.equal(readCache(file, PIXELS)?.y.length, parsed.y.length, 'and rewritten whole');
  });
});

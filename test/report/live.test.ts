import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { openStorage } from '../../src/store/open.js';
import { cliPath, fixturesDir, tempDir } from '../helpers.js';
import { collectErrors, launch, seriesCount, skipWithoutChromium } from './chromium.js';
import { writeSyntheticStudy } from './synthetic.js';

const dir = tempDir('hpsearch-live-');

/** Spawns the CLI and resolves with the first http:// URL it prints (stdout or stderr). */
function spawnWithUrl(args: string[]): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, CI: '1', HPSEARCH_STORAGE: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let seen = '';
    const look = (chunk: Buffer): void => {
      seen += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(seen)?.[0];
      if (url !== undefined) resolve({ child, url, exited });
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    void exited.then((code) => reject(new Error(`exited ${code} before printing a URL:\n${seen}`)));
  });
}

const sha = (path: string): string => createHash('sha1').update(readFileSync(path)).digest('hex');

describe('hpsearch serve', () => {
  const db = join(dir, 'served.db');
  before(async () => {
    const storage = await openStorage(db);
    await writeSyntheticStudy(storage, 12);
    await storage.close();
  });

  it('serves the data with an ETag on loopback, reads without writing, stops on SIGTERM', async () => {
    const before = sha(db);
    const { child, url, exited } = await spawnWithUrl(['serve', '--storage', db, '--port', '0']);
    const res = await fetch(`${url}api/data`);
    assert.equal(res.status, 200);
    const data = (await res.json()) as { trials: unknown[]; study: { name: string } };
    assert.equal(data.trials.length, 12);
    assert.equal(data.study.name, 'synthetic');
    const etag = res.headers.get('etag') ?? '';
    assert.equal((await fetch(`${url}api/data`, { headers: { 'If-None-Match': etag } })).status, 304, 'unchanged: 304');
    const page = await (await fetch(url)).text();
    assert.match(page, /data-live="\/api\/data"/);
    assert.equal((await fetch(`${url}api/data`, { method: 'POST' })).status, 405);
    assert.equal((await fetch(`${url}nothing`)).status, 404);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(sha(db), before, 'the database file is unchanged');
  });

  it('run --serve: the page shows new epochs as the run records them', { skip: skipWithoutChromium }, async () => {
    const spec = join(dir, 'slow.yaml');
    writeFileSync(
      spec,
      [
        'name: slow', 'seed: 3', 'method: random', 'run_cap: 8', 'parallelism: 1', 'trainer: module',
        `module: ${join(fixturesDir, 'objectives', 'sleepy.js')}`, 'metric: { name: val_accuracy, goal: maximize }',
        'train: { epochs: 8, sleep_ms: 250 }', 'parameters:', '  lr: { distribution: log_uniform_values, min: 1.0e-4, max: 1.0 }', '',
      ].join('\n'),
    );
    // The browser first: on a loaded machine its start can outlast the run.
    const browser: Browser = await launch();
    const { url, exited } = await spawnWithUrl(['run', spec, '--storage', join(dir, 'live.db'), '--serve', '--quiet']);
    try {
      const page = await browser.newPage();
      const errors = collectErrors(page);
      await page.goto(url);
      await page.waitForSelector('body[data-drawn="true"]', { timeout: 30_000 });
      const first = Number(await page.textContent('#epoch-count'));
      await page.waitForFunction((n) => Number((globalThis as unknown as { document: { getElementById(i: string): { textContent: string } | null } }).document.getElementById('epoch-count')?.textContent) > n, first, { timeout: 30_000 });
      assert.equal(await seriesCount(page, 'history'), 5);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
    assert.equal(await exited, 0);
  });
});

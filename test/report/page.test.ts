import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { renderPage, shapeReport } from '../../src/report/index.js';
import { openStorage } from '../../src/store/open.js';
import { repoRoot, runCli, tempDir } from '../helpers.js';
import { canvasColours, collectErrors, launch, seriesCount, skipWithoutChromium } from './chromium.js';
import { syntheticInput, writeSyntheticStudy } from './synthetic.js';

const dir = tempDir('hpsearch-report-');
const db = join(dir, 'study.db');
const out = join(dir, 'report.html');

describe('hpsearch report', () => {
  before(async () => {
    const storage = await openStorage(db);
    await writeSyntheticStudy(storage, 40);
    await storage.close();
  });

  it('writes one self-contained page and refuses to replace a file it did not write', async () => {
    const res = await runCli(['report', '--storage', db, '--out', out]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /40 trials of study 'synthetic'/);
    assert.ok(statSync(out).size > 1_000_000, 'echarts is inlined');
    const again = await runCli(['report', '--storage', db, '--out', out]);
    assert.equal(again.code, 0, 'a report replaces its own earlier page');
    const mine = join(dir, 'notes.html');
    writeFileSync(mine, '<p>my notes</p>');
    const refused = await runCli(['report', '--storage', db, '--out', mine]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /is not an hpsearch report/);
  });

  it('run prints where results go, resolved; report without --out writes beside the storage, not where it runs', async () => {
    const here = tempDir();
    const spec = join(repoRoot, 'test', 'fixtures', 'cli', 'bowl.yaml');
    const run = await runCli(['run', spec, '--storage', 'runs/b.db', '--run-cap', '2', '--quiet'], { cwd: here });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`^results: ${join(here, 'runs', 'b.db')}$`, 'm'));
    const res = await runCli(['report', '--storage', 'runs/b.db'], { cwd: here });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, new RegExp(`^wrote ${join(here, 'runs', 'bowl-report.html')}: 2 trials`));
    assert.deepEqual(readdirSync(here), ['runs'], 'nothing is written where the command runs');
  });

  describe('in Chromium', { skip: skipWithoutChromium }, () => {
    let browser: Browser;
    before(async () => (browser = await launch()));
    after(async () => browser.close());

    it('draws every chart with its series, offline, without console errors', async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors = collectErrors(page);
      await page.route(/^(?!file:)/, (route) => route.abort());
      await page.goto(`file://${out}`);
      await page.waitForSelector('body[data-drawn="true"]');
      assert.equal(await seriesCount(page, 'history'), 5, 'complete, pruned, diverged, failed, best so far');
      assert.equal(await seriesCount(page, 'curves-loss'), 3 + 2 * 5, 'other, diverged, pruned + val/train of the best five');
      assert.equal(await seriesCount(page, 'curves-accuracy'), 13);
      assert.equal(await seriesCount(page, 'parallel'), 2);
      for (const p of ['beta1', 'hidden_units', 'learning_rate', 'optimizer']) assert.equal(await seriesCount(page, `scatter-${p}`), 2, p);
      assert.equal(await seriesCount(page, 'importance'), 1);
      assert.match((await page.textContent('#importance-method')) ?? '', /permutation importance/);
      for (const id of ['history', 'curves-loss', 'parallel', 'importance']) assert.ok((await canvasColours(page, id)) > 3, `${id} is not blank`);
      assert.equal(await page.locator('#trials-body tr').count(), 40);
      await page.click('#trials-head th[data-key="value"]');
      const first = await page.textContent('#trials-body tr:first-child td:first-child');
      await page.click('#trials-body tr:first-child');
      assert.equal(await page.textContent('#detail-title'), `Trial ${first} · complete`);
      assert.equal(await seriesCount(page, 'detail-loss'), 2);
      assert.equal(await seriesCount(page, 'histogram-1'), 2, 'layer 1: first and last epoch');
      assert.equal(await seriesCount(page, 'histogram-2'), 2);
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      assert.deepEqual(errors, []);
      await page.close();
    });

    it('stays usable at 10 000 trials', async () => {
      const big = join(dir, 'big.html');
      writeFileSync(big, renderPage(shapeReport(syntheticInput(10_000, 40))));
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors = collectErrors(page);
      const start = Date.now();
      await page.goto(`file://${big}`);
      await page.waitForSelector('body[data-drawn="true"]');
      const paint = await page.evaluate(() => {
        const w = globalThis as unknown as { performance: { getEntriesByName(n: string): { startTime: number }[] } };
        return Math.round(w.performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
      });
      process.stderr.write(`10 000-trial report (${(statSync(big).size / 1e6).toFixed(1)} MB): first paint ${paint} ms, every chart drawn ${Date.now() - start} ms\n`);
      assert.equal(await page.locator('#trials-body tr').count(), 100, 'the table shows a page of rows');
      assert.match((await page.textContent('#pager')) ?? '', /page 1 of 100/);
      assert.ok((await canvasColours(page, 'parallel')) > 3);
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { json, runCli, runStudyIn, type TrialJson } from '../helpers.js';
import { canvasColours, collectErrors, launch, skipWithoutChromium } from '../report/chromium.js';

const spec = (data: string): string => `name: aug
seed: 3
run_cap: 2
parallelism: 1
data: ${data}
train:
  backend: wasm
  model: cnn
  filters: [2]
  epochs: 1
  augment: { shift: 1, flip: horizontal, cutout: 3 }
parameters:
  augment.rotate: { values: [0, 15] }
`;

describe('train.augment through the CLI', () => {
  it('runs augmented trials end to end and the report shows the best trial’s augmented samples', async () => {
    const { dir, db, run } = await runStudyIn({}, spec('{ source: mnist, samples: 60, split: { train: 0.5, val: 0.5, test: 0 } }'), 'a.db', ['--no-preflight']);
    assert.equal(run.code, 0, run.stderr);
    const trials = json<TrialJson[]>((await runCli(['trials', '--storage', db, '--json'])).stdout);
    assert.deepEqual(trials.map((t) => [t.state, t.params['augment.rotate']]).sort(), [['complete', 0], ['complete', 15]]);
    const out = join(dir, 'report.html');
    const report = await runCli(['report', '--storage', db, '--out', out]);
    assert.equal(report.code, 0, report.stderr);
    const page = readFileSync(out, 'utf8');
    const data = JSON.parse(/<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(page)![1]!) as { best: number; augment: { trial: number; samples: { labels: string[]; pixels: string } } };
    assert.equal(data.augment.trial, data.best);
    assert.equal(data.augment.samples.labels.length, 16);
    assert.ok(JSON.stringify(data.augment).length < 20_000, 'the grid stays small');
    if (skipWithoutChromium !== false) return;
    const browser = await launch();
    try {
      const tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors = collectErrors(tab);
      await tab.goto(`file://${out}`);
      await tab.waitForSelector('body[data-drawn="true"]');
      assert.equal(await tab.locator('#augment-grid canvas').count(), 16);
      assert.ok((await canvasColours(tab, 'augment-grid')) > 3, 'the first sample is not blank');
      await tab.locator('#augment').screenshot({ path: process.env['HPSEARCH_AUGMENT_SHOT'] ?? join(dir, 'augment.png') });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });

  it('refuses augmentation of data without an image shape (exit 2, naming the field)', async () => {
    const { run } = await runStudyIn({}, spec('{ source: synthetic, kind: blobs }').replace('  model: cnn\n  filters: [2]\n', ''), 'b.db');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /spec\.yaml:9:21: train\.augment\.shift: augment\.shift augments images and needs image data/);
    assert.match(run.stderr, /spec\.yaml:11:19: parameters\.augment\.rotate: augment\.rotate augments images/);
  });
});

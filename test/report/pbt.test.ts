// The report's pbt panel: each member's segments from the stored lineage, and in Chromium one
// line per member with a marker per exploit (absent for a study that is not pbt).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Attrs, EpochRecord, FrozenTrial } from '../../src/core/types.js';
import { renderPage, shapeReport, type ReportInput } from '../../src/report/index.js';
import { openStorage } from '../../src/store/open.js';
import { repoRoot, runCli, runStudyIn, tempDir } from '../helpers.js';
import { collectErrors, launch, seriesCount, skipWithoutChromium } from './chromium.js';
import { syntheticInput } from './synthetic.js';

const LR = { type: 'log_uniform_values', min: 0.001, max: 0.1 } as const;

/** A segment as hpsearch stores it: params, `pbt` attr, and its epochs numbered on from its start. */
function segment(number: number, pbt: Attrs['pbt'], lr: number, values: number[], start: number): { trial: FrozenTrial; epochs: EpochRecord[] } {
  const epochs = values.map((v, i) => ({ epoch: start + i, metrics: { val_accuracy: v, val_loss: 1 - v } }));
  const trial: FrozenTrial = {
    studyId: 1, number, state: 'complete', params: { learning_rate: lr }, distributions: { learning_rate: LR }, value: values.at(-1) ?? null,
    seed: number, attempt: 1, started: null, finished: null, heartbeat: null, worker: null, error: null, attrs: pbt === undefined ? {} : { pbt },
  };
  return { trial, epochs };
}

const lineage = (member: number, start: number, from: number | null, exploited: { member: number; trial: number; epoch: number } | null = null): Attrs['pbt'] =>
  ({ member, start_epoch: start, end_epoch: start + 2, from_trial: from, exploited, changes: null });

function input(rows: ReturnType<typeof segment>[]): ReportInput {
  return {
    study: { name: 'climb', direction: 'maximize', metric: 'val_accuracy', attrs: {}, specJson: '{}' },
    trials: rows.map((r) => r.trial),
    curves: new Map(rows.map((r) => [r.trial.number, r.epochs])),
  };
}

describe('the pbt panel data', () => {
  // Two members, 4 epochs in segments of 2: member 0 takes member 1's weights at epoch 2.
  const rows = [
    segment(0, lineage(0, 0, null), 0.01, [0.1, 0.2], 0),
    segment(1, lineage(1, 0, null), 0.05, [0.3, 0.5], 0),
    segment(2, lineage(1, 2, 1), 0.05, [0.55, 0.6], 2),
    segment(3, lineage(0, 2, 1, { member: 1, trial: 1, epoch: 2 }), 0.06, [0.62, 0.7], 2),
    segment(4, { member: 'x' }, 0.02, [0.9], 0), // not a lineage: left out
  ];

  it('groups the stored segments by member in epoch order, with the donor’s point at the exploit epoch', () => {
    const pbt = shapeReport(input(rows)).pbt;
    assert.equal(pbt?.metric, 'val_accuracy');
    assert.deepEqual(pbt?.members.map((m) => [m.member, m.segments.map((s) => s.trial)]), [[0, [0, 3]], [1, [1, 2]]]);
    const [first, jumped] = pbt.members[0]!.segments;
    assert.deepEqual(first?.curve, [[1, 0.1], [2, 0.2]], 'each value at the count of epochs trained');
    assert.deepEqual(jumped?.curve, [[3, 0.62], [4, 0.7]]);
    assert.deepEqual([jumped?.start, jumped?.end, jumped?.params], [2, 4, { learning_rate: 0.06 }]);
    assert.deepEqual(jumped?.exploited, { member: 1, trial: 1, epoch: 2, value: 0.5 }, 'member 1 at epoch 2, not member 0');
    assert.equal(first?.exploited, null);
    assert.equal(pbt.members[1]!.segments[1]!.exploited, null, 'going on from its own checkpoint is no exploit');
  });

  it('is absent for a study whose trials are not pbt segments', () => {
    assert.equal(shapeReport(syntheticInput(20)).pbt, null);
    assert.equal(shapeReport(input(rows.slice(4))).pbt, null, 'a malformed pbt attribute is not a lineage');
  });
});

interface Drawn {
  lines: { name: string; points: number }[];
  markers: number;
  connectors: number;
}

/** The member lines (with their drawn points), exploit markers and connectors of a pbt chart. */
function drawn(page: Page, id: string): Promise<Drawn> {
  return page.evaluate((elementId) => {
    type Series = { type: string; name: string; data: unknown[] };
    const w = globalThis as unknown as { echarts: { getInstanceByDom(el: unknown): { getOption(): { series: Series[] } } }; document: { getElementById(i: string): unknown } };
    const series = w.echarts.getInstanceByDom(w.document.getElementById(elementId)).getOption().series;
    return {
      lines: series.filter((s) => s.type === 'line').map((s) => ({ name: s.name, points: s.data.filter((d) => Array.isArray(d) && d[0] !== '-').length })),
      markers: series.find((s) => s.type === 'scatter')?.data.length ?? -1,
      connectors: series.find((s) => s.type === 'lines')?.data.length ?? -1,
    };
  }, id);
}

describe('the pbt panel in Chromium', { skip: skipWithoutChromium }, () => {
  const dir = tempDir('hpsearch-pbt-report-');
  let browser: Browser;
  let exploits = 0;
  let segments = 0;
  before(async () => {
    const spec = readFileSync(join(repoRoot, 'configs', 'pbt-schedule.yaml'), 'utf8')
      .replace('population: 8', 'population: 4').replace('epochs: 40', 'epochs: 12').replace('perturbation_interval: 4', 'perturbation_interval: 3');
    const { db, run } = await runStudyIn({ 'pbt-schedule.js': readFileSync(join(repoRoot, 'configs', 'pbt-schedule.js'), 'utf8') }, spec, 'pbt.db');
    assert.equal(run.code, 0, run.stderr);
    const report = await runCli(['report', '--storage', db, '--out', join(dir, 'pbt.html')]);
    assert.equal(report.code, 0, report.stderr);
    const storage = await openStorage(db, { readOnly: true });
    const trials = await storage.listTrials((await storage.listStudies())[0]!.id);
    await storage.close();
    segments = trials.length;
    exploits = trials.filter((t) => (t.attrs['pbt'] as { exploited: unknown }).exploited !== null).length;
    assert.ok(exploits > 0, 'the study exploited');
    writeFileSync(join(dir, 'plain.html'), renderPage(shapeReport(syntheticInput(20))));
    browser = await launch();
  });
  after(async () => browser?.close());

  it('draws one line per member for the metric and each parameter, a marker and a dashed connector per exploit', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = collectErrors(page);
    await page.goto(`file://${join(dir, 'pbt.html')}`);
    await page.waitForSelector('body[data-drawn="true"]');
    assert.equal(await page.isVisible('#pbt'), true);
    assert.match((await page.textContent('#pbt-note')) ?? '', new RegExp(`^4 members in ${segments} segments, ${exploits} exploits`));
    for (const id of ['pbt-metric', 'pbt-param-learning_rate']) {
      const d = await drawn(page, id);
      assert.deepEqual(d.lines.map((l) => l.name), ['member 0', 'member 1', 'member 2', 'member 3'], id);
      assert.equal(d.markers, exploits, `${id}: one marker per exploit`);
      assert.equal(d.connectors, exploits, `${id}: one connector per exploit`);
      assert.equal(await seriesCount(page, id), 4 + 2);
    }
    const metric = await drawn(page, 'pbt-metric');
    assert.equal(metric.lines.reduce((n, l) => n + l.points, 0), 4 * 12, 'every member epoch is a point');
    await page.locator('#pbt').screenshot({ path: join(dir, 'pbt.png') });
    process.stderr.write(`pbt panel screenshot: ${join(dir, 'pbt.png')}\n`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('hides the panel for a study that is not pbt', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = collectErrors(page);
    await page.goto(`file://${join(dir, 'plain.html')}`);
    await page.waitForSelector('body[data-drawn="true"]');
    assert.equal(await page.isVisible('#pbt'), false);
    assert.equal(await seriesCount(page, 'pbt-metric'), -1, 'nothing drawn');
    assert.deepEqual(errors, []);
    await page.close();
  });
});

// The report as a user first sees it: every panel drawn by the time the page has loaded (a
// screenshot taken without waiting), epochs numbered from 0 as in the CLI, β axes that span
// the data, legends of the categories present only, and a trial table that fits 1400 px.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { renderPage, shapeReport } from '../../src/report/index.js';
import { tempDir } from '../helpers.js';
import { canvasColours, collectErrors, launch, seriesCount, skipWithoutChromium } from './chromium.js';
import { multiObjectiveInput, syntheticInput } from './synthetic.js';

const LONG = 'median rule, epoch 7: val_accuracy 0.2586 < median 0.3769 of 12 trials; the trial was behind the median at every rung since epoch 3 and its learning rate looked too low';

/** A study with no failed and no diverged trial, and long reasons. */
function input(): ReturnType<typeof syntheticInput> {
  const all = syntheticInput(40, 20);
  const trials = all.trials.filter((t) => t.state !== 'failed' && t.state !== 'diverged').map((t) => (t.state === 'pruned' ? { ...t, error: LONG } : t));
  return { ...all, trials };
}

/** The named option of the echarts chart in element `id` (its first component of that kind). */
function option(page: Page, id: string, key: string): Promise<unknown> {
  return page.evaluate(
    ([elementId, k]) => {
      const w = globalThis as unknown as { echarts: { getInstanceByDom(el: unknown): { getOption(): Record<string, unknown[]> } }; document: { getElementById(i: string): unknown } };
      return w.echarts.getInstanceByDom(w.document.getElementById(elementId)).getOption()[k]?.[0] ?? null;
    },
    [id, key] as const,
  );
}

describe('the report on first paint', { skip: skipWithoutChromium }, () => {
  const dir = tempDir('hpsearch-report-');
  const html = join(dir, 'report.html');
  const moo = join(dir, 'moo.html');
  let browser: Browser;
  before(async () => {
    writeFileSync(html, renderPage(shapeReport(input())));
    writeFileSync(moo, renderPage(shapeReport(multiObjectiveInput(40))));
    browser = await launch();
  });
  after(async () => browser.close());

  it('draws every panel as it loads, epochs from 0, β within its data, legends of present states, a table within 1400 px', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = collectErrors(page);
    await page.goto(`file://${html}`, { waitUntil: 'domcontentloaded' });
    // No waiting: what the screenshot shows is what a user sees at once.
    await page.screenshot({ path: join(dir, 'first-paint.png'), fullPage: true });
    assert.equal(await page.getAttribute('body', 'data-drawn'), 'true', 'the charts wait for something after load');
    for (const id of ['history', 'curves-loss', 'curves-accuracy', 'parallel', 'scatter-beta1', 'importance']) {
      assert.ok((await canvasColours(page, id)) > 3, `${id} is blank on load`);
    }

    const curves = (await option(page, 'curves-loss', 'series')) as { data: (number | string)[][] } | null;
    assert.equal(curves?.data[0]?.[0], 0, 'the first epoch is epoch 0, as the CLI numbers it');
    assert.equal(((await option(page, 'curves-loss', 'xAxis')) as { min: number }).min, 0);

    const historyLegend = ((await option(page, 'history', 'legend')) as { data: string[] }).data;
    assert.deepEqual(historyLegend, ['complete', 'pruned', 'best so far']);
    const curvesLegend = ((await option(page, 'curves-loss', 'legend')) as { data: string[] }).data;
    assert.ok(!curvesLegend.includes('diverged (training)'), curvesLegend.join(', '));
    assert.ok(curvesLegend.includes('pruned'));

    // The β axis (log of 1 − β) spans the sampled values: its far end is not 1 − β = 1 (β = 0).
    const beta = await page.evaluate(() => {
      const w = globalThis as unknown as {
        echarts: { getInstanceByDom(el: unknown): { getModel(): { getComponent(k: string, i: number): { axis: { scale: { getExtent(): number[] } } } } } };
        document: { getElementById(i: string): unknown };
      };
      return w.echarts.getInstanceByDom(w.document.getElementById('scatter-beta1')).getModel().getComponent('xAxis', 0).axis.scale.getExtent();
    });
    const [low, high] = beta as [number, number];
    assert.ok(low > 0 && high < 0.5, `the β axis spans 1 − β from ${low} to ${high}`);

    const table = await page.evaluate(() => {
      const w = globalThis as unknown as { document: { querySelector(s: string): { scrollWidth: number; clientWidth: number } } };
      const wrap = w.document.querySelector('.table-wrap');
      return { scroll: wrap.scrollWidth, client: wrap.clientWidth };
    });
    assert.ok(table.scroll <= table.client, `the trials table is ${table.scroll} px wide in ${table.client} px`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('draws the Pareto front of a multi-objective study, and no such panel for one objective', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = collectErrors(page);
    await page.goto(`file://${moo}`, { waitUntil: 'domcontentloaded' });
    await page.locator('#pareto').screenshot({ path: join(dir, 'pareto.png') });
    assert.ok(await page.isVisible('#pareto'));
    assert.ok((await canvasColours(page, 'pareto-chart')) > 3, 'the Pareto chart is blank on load');
    const x = (await option(page, 'pareto-chart', 'xAxis')) as { name: string };
    assert.equal(x.name, 'val_accuracy (maximize: better →)');
    const line = (await option(page, 'pareto-chart', 'series')) as { type: string; data: unknown[] };
    assert.equal(line.type, 'line');
    // val_accuracy is maximized: a step's corner takes the lower accuracy and the larger params of its two trials.
    const pareto = shapeReport(multiObjectiveInput(40)).pareto!;
    const [p, q] = pareto.line.slice(0, 2).map((n) => pareto.points.find((x) => x.number === n)!.values);
    assert.deepEqual(line.data.slice(0, 3), [[p![0], p![1]], [p![0], q![1]], [q![0], q![1]]], 'the step line bounds what the front dominates');
    // Hovering a front trial names it and every objective.
    const tip = await page.evaluate(() => {
      const w = globalThis as unknown as { echarts: { getInstanceByDom(el: unknown): { dispatchAction(a: object): void } }; document: { getElementById(i: string): { innerText: string } } };
      const chart = w.echarts.getInstanceByDom(w.document.getElementById('pareto-chart'));
      chart.dispatchAction({ type: 'showTip', seriesIndex: 2, dataIndex: 0 });
      return w.document.getElementById('pareto-chart').innerText;
    });
    const first = pareto.points.find((x) => x.front)!;
    assert.match(tip, new RegExp(`trial ${first.number} · on the Pareto front\\s+val_accuracy: [\\d.]+\\s+params: \\d`), tip);
    assert.deepEqual(errors, []);

    await page.goto(`file://${html}`, { waitUntil: 'domcontentloaded' });
    assert.equal(await page.isVisible('#pareto'), false, 'a single-objective report shows no Pareto panel');
    assert.equal(await seriesCount(page, 'pareto-chart'), -1, 'nor draws its chart');
    await page.close();
  });
});

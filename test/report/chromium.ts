/** Headless Chromium for the page tests (Debian's chromium, or $HPSEARCH_TEST_CHROMIUM), or why it is absent. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env['HPSEARCH_TEST_CHROMIUM'] ?? '/usr/bin/chromium';

/** A skip message naming Chromium when it is not installed, else false. */
export const skipWithoutChromium: string | false = existsSync(CHROMIUM)
  ? false
  : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium, or set HPSEARCH_TEST_CHROMIUM)`;

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Console errors and uncaught exceptions of a page, collected as they happen. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** Series count of the echarts chart in element `id`, or -1 when there is none. */
export function seriesCount(page: Page, id: string): Promise<number> {
  return page.evaluate((elementId) => {
    const w = globalThis as unknown as { echarts: { getInstanceByDom(el: unknown): { getOption(): { series: unknown[] } } | undefined }; document: { getElementById(i: string): unknown } };
    const chart = w.echarts.getInstanceByDom(w.document.getElementById(elementId));
    return chart === undefined ? -1 : chart.getOption().series.length;
  }, id);
}

/** How many distinct colours a 40×40 grid of samples of the chart's canvas holds (1 for a blank chart). */
export function canvasColours(page: Page, id: string): Promise<number> {
  return page.evaluate((elementId) => {
    const w = globalThis as unknown as { document: { querySelector(s: string): { width: number; height: number; getContext(k: string): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } } | null } };
    const canvas = w.document.querySelector(`#${elementId} canvas`);
    if (canvas === null) return 0;
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set<string>();
    for (let gy = 0; gy < 40; gy++) {
      for (let gx = 0; gx < 40; gx++) {
        const i = 4 * (Math.floor((gy * canvas.height) / 40) * canvas.width + Math.floor((gx * canvas.width) / 40));
        seen.add(`${data[i]},${data[i + 1]},${data[i + 2]},${data[i + 3]}`);
      }
    }
    return seen.size;
  }, id);
}

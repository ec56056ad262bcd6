/** The report page: one self-contained HTML file (echarts, scripts, styles and data inlined). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportData } from './types.js';

const require = createRequire(import.meta.url);
/** The client code, beside this module's source (shipped in the package: see package.json files). */
const CLIENT = new URL('../../../src/report/client/', import.meta.url);

function asset(name: string): string {
  return readFileSync(new URL(name, CLIENT), 'utf8');
}

/** JSON safe inside a <script> element (no `</script>`, no HTML comment openers). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** Marks a file as an hpsearch report, so a later report may replace it (and nothing else). */
export const GENERATOR = 'hpsearch report';

/** True when `text` (the start of a file) is a page this module wrote. */
export function isReportPage(text: string): boolean {
  return text.includes(`<meta name="generator" content="${GENERATOR}">`);
}

export interface PageOptions {
  /** The live page: the URL it polls for new data, and how often (ms). */
  live?: { dataUrl: string; intervalMs: number };
}

/** The whole page for `data`. */
export function renderPage(data: ReportData, options: PageOptions = {}): string {
  const echarts = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  const live = options.live === undefined ? '' : ` data-live="${escapeHtml(options.live.dataUrl)}" data-interval="${options.live.intervalMs}"`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="${GENERATOR}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>hpsearch · ${escapeHtml(data.study.name)}</title>
<style>${asset('page.css')}</style>
<script>${echarts}</script>
</head>
<body${live}>
<header><span id="live"></span><h1 id="title"></h1><div id="summary"></div></header>
<main>
<section><h2>Optimisation history</h2>
<p class="note">Each trial's ${escapeHtml(data.study.metric)} by trial number, with the best so far; trials without a value are drawn at the worst value. Coarse-to-fine stages are shaded. Click a point for the trial.</p>
<div id="history" class="chart"></div></section>
<section id="pareto" hidden><h2>Pareto front</h2><p class="note" id="pareto-note"></p><div id="pareto-chart" class="chart tall"></div></section>
<section id="pbt" hidden><h2>Population-based training: each member over its epochs</h2><p class="note" id="pbt-note"></p>
<div id="pbt-metric" class="chart tall"></div><div id="pbt-params"></div></section>
<section><h2>Learning curves</h2><p class="note" id="curves-note"></p>
<div class="row"><div id="curves-loss" class="chart tall"></div><div id="curves-accuracy" class="chart tall"></div></div></section>
<section><h2>Parallel coordinates</h2><p class="note">Drag along an axis to filter (brush); colour is the objective.</p><div id="parallel" class="chart tall"></div></section>
<section><h2>Each parameter against the objective</h2><div id="scatter"></div></section>
<section><h2>Parameter importance</h2><p class="note" id="importance-method"></p><div id="importance" class="chart"></div></section>
<section id="augment" hidden><h2>Augmented training samples</h2><p class="note" id="augment-note"></p><div id="augment-grid"></div></section>
<section id="detail" hidden><button id="detail-close" style="float:right">close</button><h2 id="detail-title"></h2>
<table id="detail-facts"></table><p class="note" id="detail-note"></p>
<div class="row" id="detail-curves"><div id="detail-loss" class="small chart"></div><div id="detail-accuracy" class="small chart"></div></div>
<h3 id="detail-histograms-title" hidden>Activations of each hidden layer on the monitoring batch, first and last epoch</h3><div id="detail-histograms"></div></section>
<section><h2>Trials</h2><p class="note">Click a column to sort, a row for the trial's detail.</p>
<div class="table-wrap"><table><thead id="trials-head"></thead><tbody id="trials-body"></tbody></table></div><div id="pager"></div></section>
</main>
<script id="report-data" type="application/json">${scriptJson(data)}</script>
<script>${asset('charts.js')}</script>
<script>${asset('pbt.js')}</script>
<script>${asset('page.js')}</script>
</body>
</html>
`;
}

import { fmt } from './format.js';

/** One curve of a chart: a name for the legend, its values by epoch, and the character that draws it. */
export interface ChartSeries {
  name: string;
  /** Values at epochs xStart, xStart + 1, …; NaN and ±Infinity are skipped (and counted in the legend). */
  values: number[];
  /** One character. */
  symbol: string;
}

export interface ChartOptions {
  /** Columns of the plot area (at least 2). */
  width: number;
  /** Rows of the plot area (at least 2). */
  height: number;
  /** A first line above the plot. */
  title?: string;
  /** Epoch of each series' first value (default 0: epochs are 0-based, as stored). */
  xStart?: number;
  /** Name of the x axis (default "epoch"). */
  xLabel?: string;
}

/** Rows high enough to carry a third y label, at the middle. */
const MIDDLE_LABEL_MIN_HEIGHT = 5;

/**
 * Draws series as a plain-ASCII chart. The plot area is exactly `width` × `height`
 * characters, framed by a y axis labelled with the maximum (top row) and minimum (bottom
 * row) of all finite values (and the middle value when there is room) and an x axis of
 * epochs from `xStart` to the last one. Epochs spread evenly over the columns; later series
 * are drawn over earlier ones where they meet. Below come a legend line naming each
 * series' symbol and, when any value was NaN or infinite, a line saying how many were
 * skipped and from which epoch.
 */
export function asciiChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const { width, height } = options;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2) {
    throw new RangeError(`asciiChart: width and height must be integers ≥ 2 (got ${width} × ${height})`);
  }
  const xStart = options.xStart ?? 0;
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const finiteValues = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const hasData = finiteValues.length > 0;
  const max = hasData ? Math.max(...finiteValues) : 0;
  const min = hasData ? Math.min(...finiteValues) : 0;

  const grid: string[][] = Array.from({ length: height }, () => Array<string>(width).fill(' '));
  const column = (i: number): number => (n === 1 ? 0 : Math.round((i * (width - 1)) / (n - 1)));
  const row = (v: number): number => (max === min ? Math.floor((height - 1) / 2) : Math.round(((max - v) / (max - min)) * (height - 1)));
  for (const s of series) {
    const symbol = [...s.symbol][0] ?? '*';
    s.values.forEach((v, i) => {
      const cells = grid[row(v)];
      if (Number.isFinite(v) && cells !== undefined) cells[column(i)] = symbol;
    });
  }

  const labels = new Map<number, string>();
  if (hasData) {
    labels.set(0, fmt(max));
    labels.set(height - 1, fmt(min));
    if (height >= MIDDLE_LABEL_MIN_HEIGHT && max !== min) {
      const mid = Math.floor((height - 1) / 2);
      labels.set(mid, fmt(max - ((max - min) * mid) / (height - 1)));
    }
  }
  const labelWidth = Math.max(1, ...[...labels.values()].map((l) => l.length));
  const pad = ' '.repeat(labelWidth);

  const lines: string[] = [];
  if (options.title !== undefined) lines.push(options.title);
  grid.forEach((cells, r) => {
    const label = labels.get(r);
    lines.push(`${(label ?? '').padStart(labelWidth)} ${label === undefined ? '|' : '+'}${cells.join('')}`);
  });
  lines.push(`${pad} +${'-'.repeat(width)}`);
  lines.push(`${pad}  ${xAxis(xStart, xStart + n - 1, width)} ${options.xLabel ?? 'epoch'}`);
  lines.push(`${pad}  ${series.map((s) => `${[...s.symbol][0] ?? '*'} ${s.name}`).join('   ')}`);
  const skipped = skippedText(series, xStart);
  if (!hasData) lines.push(`${pad}  no finite values to draw${skipped === '' ? '' : `: ${skipped}`}`);
  else if (skipped !== '') lines.push(`${pad}  skipped non-finite values: ${skipped}`);
  return lines.join('\n');
}

/** The first epoch at the left, the last right-aligned under the last column. */
function xAxis(first: number, last: number, width: number): string {
  const a = String(first);
  const b = String(last);
  if (first === last || a.length + 1 + b.length > width) return a.padEnd(width);
  return a + b.padStart(width - a.length);
}

/** "train_loss 3 (from epoch 5), val_loss 2 (from epoch 6)", or "" when every value is finite. */
function skippedText(series: readonly ChartSeries[], xStart: number): string {
  const parts: string[] = [];
  for (const s of series) {
    const bad = s.values.map((v, i) => ({ v, i })).filter(({ v }) => !Number.isFinite(v));
    const first = bad[0];
    if (first !== undefined) parts.push(`${s.name} ${bad.length} (from epoch ${xStart + first.i}: ${fmt(first.v)})`);
  }
  return parts.join(', ');
}

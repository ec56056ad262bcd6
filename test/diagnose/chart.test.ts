import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asciiChart } from '../../src/diagnose/index.js';

/** The plot rows: the part right of the y axis ("|", or "+" on a labelled row) of each line that has one, x axis excluded. */
function plotRows(chart: string): string[] {
  return chart
    .split('\n')
    .filter((l) => /^ *[\d.e-]* [|+]/.test(l) && !/^ *\+-+$/.test(l))
    .map((l) => l.slice(l.search(/[|+]/) + 1));
}

describe('asciiChart', () => {
  const train = Array.from({ length: 20 }, (_, e) => 0.1 + 2 * Math.exp(-e / 4));
  const val = Array.from({ length: 20 }, (_, e) => 0.4 + 2 * Math.exp(-e / 4));

  it('draws a plot area of the requested size with both symbols, min/max labels and an epoch axis', () => {
    const chart = asciiChart(
      [
        { name: 'train_loss', values: train, symbol: '*' },
        { name: 'val_loss', values: val, symbol: 'o' },
      ],
      { width: 40, height: 10, title: 'trial 3: loss' },
    );
    const lines = chart.split('\n');
    assert.equal(lines[0], 'trial 3: loss');
    const maxLabel = String(Number(Math.max(...val).toPrecision(3)));
    const minLabel = String(Number(Math.min(...train).toPrecision(3)));
    const rows = plotRows(chart);
    assert.equal(rows.length, 10);
    for (const r of rows) assert.equal(r.length, 40);
    assert.ok(lines[1]?.trimStart().startsWith(`${maxLabel} +`), lines[1]);
    assert.ok(lines[10]?.trimStart().startsWith(`${minLabel} +`), lines[10]);
    assert.ok(chart.includes('*') && chart.includes('o'));
    assert.equal(rows[0]?.[0], 'o', 'the highest value is top left');
    assert.equal(rows[9]?.[39], '*', 'the lowest value is bottom right');
    assert.match(chart, /\n\s+0 {37}19 epoch\n/);
    assert.match(chart, /\* train_loss {3}o val_loss$/);
  });

  it('skips NaN and infinite values and says so in a legend line', () => {
    const broken = [...train.slice(0, 5), NaN, Infinity, NaN];
    const chart = asciiChart([{ name: 'train_loss', values: broken, symbol: '#' }], { width: 16, height: 6 });
    const rows = plotRows(chart);
    assert.equal(rows.length, 6);
    assert.equal(rows.join('').replaceAll(' ', '').length, 5, 'only the five finite values are drawn');
    assert.match(chart, /skipped non-finite values: train_loss 3 \(from epoch 5: NaN\)$/);
  });

  it('copes with a constant series, a single value and no finite values', () => {
    const flat = asciiChart([{ name: 'lr', values: [0.1, 0.1, 0.1], symbol: '.' }], { width: 10, height: 4 });
    assert.equal((flat.match(/\./g) ?? []).length >= 3, true);
    const one = asciiChart([{ name: 'x', values: [2], symbol: 'x' }], { width: 5, height: 3 });
    assert.match(one, /x x$/m);
    const none = asciiChart([{ name: 'val_loss', values: [NaN, NaN], symbol: 'o' }], { width: 8, height: 3 });
    assert.match(none, /no finite values to draw: val_loss 2 \(from epoch 0: NaN\)$/);
  });

  it('rejects a plot area smaller than 2 × 2', () => {
    assert.throws(() => asciiChart([], { width: 1, height: 5 }), RangeError);
    assert.throws(() => asciiChart([], { width: 5, height: 0 }), RangeError);
  });
});

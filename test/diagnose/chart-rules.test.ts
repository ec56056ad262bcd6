// asciiChart line by line: where each value lands, the y labels, the epoch axis, the legend and the skipped values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asciiChart } from '../../src/diagnose/index.js';

const lines = (...args: Parameters<typeof asciiChart>): string[] => asciiChart(...args).split('\n');

describe('asciiChart, exactly', () => {
  it('spreads epochs over the columns, scales values over the rows, labels max, middle and min', () => {
    assert.deepEqual(
      lines([{ name: 'a', values: [3, 1, 0, 2, 9, 4, 8], symbol: '#' }], { width: 7, height: 6 }),
      ['  9 +    #  ', '    |      #', '5.4 +       ', '    |#    # ', '    | # #   ', '  0 +  #    ', '    +-------', '     0     6 epoch', '     # a'],
    );
  });

  it('draws later series over earlier ones, uses the first character of a symbol, and writes a title, xStart and xLabel', () => {
    assert.deepEqual(
      lines(
        [
          { name: 'a', values: [4, 2, 0], symbol: '*' },
          { name: 'b', values: [1, 3], symbol: 'ob' },
        ],
        { width: 5, height: 5, title: 'T', xStart: 98, xLabel: 'step' },
      ),
      ['T', '4 +*    ', '  |  o  ', '2 +  *  ', '  |o    ', '0 +    *', '  +-----', '   98    step', '   * a   o b'],
      'the axis holds only the first epoch when both do not fit',
    );
    assert.deepEqual(
      lines(
        [
          { name: 'a', values: [0, 10], symbol: '*' },
          { name: 'b', values: [0, 0.5], symbol: 'o' },
        ],
        { width: 2, height: 3 },
      ),
      ['10 + *', '   |  ', ' 0 +oo', '   +--', '    0  epoch', '    * a   o b'],
      'labels right-aligned to the longest',
    );
  });

  it('puts both epochs on the axis when they fit exactly, and no middle label below 5 rows', () => {
    assert.deepEqual(lines([{ name: 'a', values: [0, 3], symbol: 'x' }], { width: 3, height: 4 }), ['3 +  x', '  |   ', '  |   ', '0 +x  ', '  +---', '   0 1 epoch', '   x a']);
  });

  it('draws a constant series on the middle row, leaving its non-finite values out, and a missing symbol as *', () => {
    assert.deepEqual(lines([{ name: 'a', values: [1, NaN, 1, Infinity], symbol: '' }], { width: 4, height: 5 }), [
      '1 +    ',
      '  |    ',
      '  |* * ',
      '  |    ',
      '1 +    ',
      '  +----',
      '   0  3 epoch',
      '   * a',
      '   skipped non-finite values: a 2 (from epoch 1: NaN)',
    ]);
  });

  it('labels the middle row with its value between min and max when min is not 0', () => {
    assert.deepEqual(lines([{ name: 'a', values: [2, 6], symbol: 'x' }], { width: 2, height: 5 }), ['6 + x', '  |  ', '4 +  ', '  |  ', '2 +x ', '  +--', '   0  epoch', '   x a']);
  });

  it('draws a single value in the first column, on the upper middle row of an even height', () => {
    assert.deepEqual(lines([{ name: 'a', values: [5], symbol: 'x' }], { width: 3, height: 4 }), ['5 +   ', '  |x  ', '  |   ', '5 +   ', '  +---', '   0   epoch', '   x a']);
  });

  it('counts skipped values per series from xStart, and says when there is nothing to draw', () => {
    assert.deepEqual(
      lines(
        [
          { name: 'a', values: [1, -Infinity], symbol: 'x' },
          { name: 'b', values: [NaN, 2, NaN], symbol: 'y' },
        ],
        { width: 6, height: 2, xStart: 3 },
      ),
      ['2 +   y  ', '1 +x     ', '  +------', '   3    5 epoch', '   x a   y b', '   skipped non-finite values: a 1 (from epoch 4: -Infinity), b 2 (from epoch 3: NaN)'],
    );
    assert.deepEqual(lines([], { width: 3, height: 2 }), ['  |   ', '  |   ', '  +---', '   0   epoch', '   ', '   no finite values to draw']);
  });

  it('refuses a width or height that is not a whole number of at least 2, and accepts 2 × 2', () => {
    for (const [width, height] of [[2.5, 3], [3, 3.5], [1, 3], [3, 1]] as const) {
      assert.throws(() => asciiChart([], { width, height }), { name: 'RangeError', message: `asciiChart: width and height must be integers ≥ 2 (got ${width} × ${height})` });
    }
    assert.equal(lines([{ name: 'a', values: [1, 2], symbol: 'x' }], { width: 2, height: 2 })[0], '2 + x');
  });
});

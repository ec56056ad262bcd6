// Every form of metric line a training script may print, and the lines that are logs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter, parseMetricLine } from '../../../src/train/command/metrics.js';

describe('name=value lines', () => {
  it('reads numbers in every notation', () => {
    assert.deepEqual(parseMetricLine('val_loss=0.3'), { val_loss: 0.3 });
    assert.deepEqual(parseMetricLine('a=.5 b=5. c=+2 d=-1e-3 e=2E+2 f=-0'), { a: 0.5, b: 5, c: 2, d: -0.001, e: 200, f: -0 });
  });

  it('reads infinities with their sign, and NaN', () => {
    assert.deepEqual(parseMetricLine('val_loss=-inf'), { val_loss: -Infinity });
    assert.deepEqual(parseMetricLine('a=inf b=+inf c=Inf d=Infinity e=-Infinity f=infinity g=-infinity'), {
      a: Infinity,
      b: Infinity,
      c: Infinity,
      d: Infinity,
      e: -Infinity,
      f: Infinity,
      g: -Infinity,
    });
    assert.deepEqual(parseMetricLine('val_loss=nan train_loss=NaN x=-nan'), { val_loss: Number.NaN, train_loss: Number.NaN, x: Number.NaN });
  });

  it('takes names with dots, slashes and hyphens, commas between pairs, and the last of a repeated name', () => {
    assert.deepEqual(parseMetricLine('val/loss=1 metrics.val-acc=2 _x=3'), { 'val/loss': 1, 'metrics.val-acc': 2, _x: 3 });
    assert.deepEqual(parseMetricLine('epoch=1, val_loss=0.3, val_accuracy=0.9'), { val_loss: 0.3, val_accuracy: 0.9 });
    assert.deepEqual(parseMetricLine('val_loss=0.5 val_loss=0.25'), { val_loss: 0.25 });
    assert.deepEqual(parseMetricLine('epoch=2  val_loss=0.5\tval_accuracy=0.75 '), { val_loss: 0.5, val_accuracy: 0.75 }, 'any run of spaces or tabs');
  });

  it('leaves out the counters that number a report', () => {
    assert.deepEqual(parseMetricLine('epoch=1 step=2 iteration=3 _step=4 _runtime=5 _timestamp=6 loss=0.5'), { loss: 0.5 });
    assert.equal(parseMetricLine('epoch=1 step=20'), null, 'counters alone report nothing');
  });

  it('is a log when any word is not a pair, or a value is not a number', () => {
    for (const line of ['val_loss=0.3 done', 'val_loss=0.3x', 'val_loss=abc', '1x=2', 'val_loss =0.3', 'val_loss=', '=0.3', 'val_loss=0.3,,', 'lr=1e', 'x=inff']) {
      assert.equal(parseMetricLine(line), null, line);
    }
  });
});

describe('JSON lines', () => {
  it('reads numbers and the strings of NaN and the infinities; leaves other values and counters out', () => {
    assert.deepEqual(parseMetricLine('{"val_loss": 0.41, "epoch": 3, "step": 9, "name": "x", "ok": true, "n": null, "v": [1], "o": {"a": 1}, "s": "0.5"}'), { val_loss: 0.41 });
    assert.deepEqual(parseMetricLine('{"a": "nan", "b": "NaN", "c": "inf", "d": "-inf", "e": "Infinity", "f": "-Infinity", "g": "-infinity"}'), {
      a: Number.NaN,
      b: Number.NaN,
      c: Infinity,
      d: -Infinity,
      e: Infinity,
      f: -Infinity,
      g: -Infinity,
    });
    for (const s of ['"+inf"', '"-nan"', '"infinite"', '"xnan"', '"nan "', '"inf1"']) assert.equal(parseMetricLine(`{"a": ${s}}`), null, s);
  });

  it('takes the last of a repeated key, and reads a line padded with spaces', () => {
    assert.deepEqual(parseMetricLine('  {"val_loss": 1, "val_loss": 2}  '), { val_loss: 2 });
  });

  it('is a log when it does not parse, is not an object, or has no metric', () => {
    for (const line of ['{"val_loss": 0.3', '{val_loss: 0.3}', '{"epoch": 1}', '{}', '[1, 2]', '{"a": "b"}']) assert.equal(parseMetricLine(line), null, line);
    assert.equal(parseMetricLine('[{"val_loss": 1}]'), null);
    assert.equal(parseMetricLine('null'), null);
    assert.equal(parseMetricLine('3'), null);
  });
});

describe("Keras' progress lines", () => {
  it("renames loss, accuracy, acc and val_acc, keeps other names, reads nan", () => {
    assert.deepEqual(parseMetricLine('10/10 - 0s - loss: nan - acc: 0.5 - val_loss: inf - val_acc: 0.25 - lr: 0.001'), {
      train_loss: Number.NaN,
      train_accuracy: 0.5,
      val_loss: Infinity,
      val_accuracy: 0.25,
      lr: 0.001,
    });
    assert.deepEqual(parseMetricLine('val_mae: 0.5'), { val_mae: 0.5 }, 'a val_ metric alone is enough');
  });

  it('needs a loss or a val_ metric, and reads only values followed by " - " or the end', () => {
    assert.equal(parseMetricLine('accuracy: 0.9100'), null);
    assert.equal(parseMetricLine('step: 3 - accuracy: 0.9'), null);
    assert.deepEqual(parseMetricLine('loss: 0.5 - time: 3s - accuracy: 0.75'), { train_loss: 0.5, train_accuracy: 0.75 });
    assert.equal(parseMetricLine('total loss: 0.5s'), null);
    assert.equal(parseMetricLine('loss: abc - val_loss: x'), null, 'the names without numbers');
    assert.equal(parseMetricLine('12/32 [=====>......] - ETA: 1s - loss: 0.5120'), null, 'still counting down');
    assert.deepEqual(parseMetricLine('32/32 - BETA: 1 - loss: 0.5'), { BETA: 1, train_loss: 0.5 }, 'only the word ETA marks a countdown');
  });

  it('reads a coloured line, a redrawn bar and a line with backspaces', () => {
    assert.deepEqual(parseMetricLine('\x1b[1m32/32\x1b[0m \x1b[32m━━━━\x1b[0m - loss: 0.25 - val_loss: 0.5\x1b[0m'), { train_loss: 0.25, val_loss: 0.5 });
    assert.deepEqual(parseMetricLine('\x1b[32mval_loss=0.3\x1b[0m'), { val_loss: 0.3 });
    assert.deepEqual(parseMetricLine('\x08\x08\x08val_loss=0.5'), { val_loss: 0.5 });
  });
});

describe('other lines', () => {
  it('are logs', () => {
    for (const line of ['', '   ', 'Epoch 3/10', 'loading data: done', 'val_loss is 0.3']) assert.equal(parseMetricLine(line), null, JSON.stringify(line));
  });
});

describe('LineSplitter', () => {
  it('keeps an unfinished line until its end arrives, and flushes it once at the end', () => {
    const lines: string[] = [];
    const s = new LineSplitter();
    const on = (l: string): number => lines.push(l);
    s.push('val_loss=', on);
    assert.deepEqual(lines, []);
    s.push('0.3\n\nval', on);
    assert.deepEqual(lines, ['val_loss=0.3', '']);
    s.end(on);
    s.end(on);
    assert.deepEqual(lines, ['val_loss=0.3', '', 'val']);
    const empty: string[] = [];
    new LineSplitter().end((l) => empty.push(l));
    assert.deepEqual(empty, [], 'nothing pending: no line');
  });
});

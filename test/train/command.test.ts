import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandCommand } from '../../src/train/command/macros.js';
import { LineSplitter, parseMetricLine } from '../../src/train/command/metrics.js';

describe('command metrics from stdout lines', () => {
  it('reads JSON lines, leaving out counters and non-numbers', () => {
    assert.deepEqual(parseMetricLine('{"epoch": 3, "val_loss": 0.41, "note": "x", "val_accuracy": 0.9}'), {
      val_loss: 0.41,
      val_accuracy: 0.9,
    });
    assert.deepEqual(parseMetricLine('{"val_loss": "NaN"}'), { val_loss: Number.NaN });
  });

  it('reads name=value lines only when every word is a pair', () => {
    assert.deepEqual(parseMetricLine('epoch=3 val_loss=0.41 val_accuracy=9e-1'), { val_loss: 0.41, val_accuracy: 0.9 });
    assert.equal(parseMetricLine('using lr=0.01 for training'), null);
    assert.equal(parseMetricLine('epoch=3'), null);
  });

  it("reads Keras' end-of-epoch lines with hpsearch's names, and skips lines still counting down", () => {
    const line = '32/32 [==============================] - 1s 5ms/step - loss: 0.3120 - accuracy: 0.9100 - val_loss: 0.4107 - val_accuracy: 0.8800';
    assert.deepEqual(parseMetricLine(line), { train_loss: 0.312, train_accuracy: 0.91, val_loss: 0.4107, val_accuracy: 0.88 });
    assert.equal(parseMetricLine('12/32 [=====>......] - ETA: 1s - loss: 0.5120 - accuracy: 0.7100'), null);
    assert.equal(parseMetricLine('Epoch 3/10'), null);
    assert.equal(parseMetricLine('loading data: done'), null);
  });

  it('splits a stream into lines at newlines and carriage returns, whatever the chunks', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter();
    for (const chunk of ['{"a": 1}\n{"a"', ': 2}\r\nbar 1/3\rbar 3/3', '\nlast']) splitter.push(chunk, (l) => lines.push(l));
    splitter.end((l) => lines.push(l));
    assert.deepEqual(lines, ['{"a": 1}', '{"a": 2}', 'bar 1/3', 'bar 3/3', 'last']);
  });
});

describe('command macros', () => {
  const values = { params: { lr: 0.01, layers: 2, act: 'relu' }, program: 'train.py', argsJsonFile: '/tmp/p.json', env: { HOME: '/home/u' }, checkpointDir: '/ck/trial-3.tmp-1', startEpoch: 4 };

  it('expands ${args} and ${args_no_hyphens} into one word per parameter', () => {
    assert.deepEqual(expandCommand(['${env}', '${interpreter}', '${program}', '${args}'], values), [
      '/usr/bin/env',
      'python3',
      'train.py',
      '--lr=0.01',
      '--layers=2',
      '--act=relu',
    ]);
    assert.deepEqual(expandCommand(['run', '${args_no_hyphens}'], values), ['run', 'lr=0.01', 'layers=2', 'act=relu']);
  });

  it('expands the JSON forms and environment variables inside words', () => {
    assert.deepEqual(expandCommand(['--params=${args_json}', '${args_json_file}', '${envvar:HOME}/data', '${envvar:NONE}'], values), [
      '--params={"lr":0.01,"layers":2,"act":"relu"}',
      '/tmp/p.json',
      '/home/u/data',
      '',
    ]);
  });

  it('expands method pbt\'s ${checkpoint_dir} and ${start_epoch}', () => {
    assert.deepEqual(expandCommand(['--ckpt=${checkpoint_dir}/model.pt', '${start_epoch}'], values), ['--ckpt=/ck/trial-3.tmp-1/model.pt', '4']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Metrics } from '../../src/core/types.js';
import { divergence } from '../../src/train/loop/epochs.js';
import { train } from '../../src/train/tfjs-trainer.js';
import { tf } from '../../src/train/tf.js';
import { dataSpec, recorder, task } from './helpers.js';

/** The reported curve without the timing metrics. */
function curve(reports: Metrics[]): Metrics[] {
  return reports.map(({ seconds: _s, samples_per_second: _r, ...rest }) => rest);
}

function assertCurvesClose(a: Metrics[], b: Metrics[], tolerance: number): void {
  assert.equal(a.length, b.length);
  a.forEach((m, i) => {
    for (const [k, v] of Object.entries(m)) assert.ok(Math.abs(v - b[i]![k]!) <= tolerance, `epoch ${i} ${k}: ${v} vs ${b[i]![k]}`);
  });
}

const RICH = { batch_norm: true, dropout: 0.2, optimizer: 'momentum', learning_rate: 0.05, layers: '16,8', l2: 1e-3, l1: 1e-4 } as const;

describe('tfjs trainer', () => {
  it('reports every metric each epoch and returns test metrics, backend and parameter count', async () => {
    const ctx = recorder();
    const result = await train(task({ epochs: 2 }), ctx);
    assert.equal(ctx.reports.length, 2);
    for (const r of ctx.reports) {
      for (const k of ['train_loss', 'train_accuracy', 'val_loss', 'val_accuracy', 'lr', 'seconds', 'samples_per_second', 'update_ratio']) {
        assert.ok(Number.isFinite(r[k]), `${k} = ${r[k]}`);
      }
      assert.ok(r['update_ratio']! > 0 && r['update_ratio']! < 1);
    }
    assert.equal(result.attrs['backend'], 'wasm');
    assert.equal(result.attrs['parameters'], 4 * 16 + 16 + 16 * 3 + 3);
    assert.equal(result.attrs['epochs_trained'], 2);
    assert.equal(typeof result.attrs['test_accuracy'], 'number');
    assert.equal(result.metrics['val_accuracy'], ctx.reports[1]!['val_accuracy']);
  });

  it('is deterministic: the same seed gives the same curve (with dropout and batch norm), another seed another', async () => {
    const a = recorder(11);
    const b = recorder(11);
    const c = recorder(12);
    await train(task(RICH, { seed: 11 }), a);
    await train(task(RICH, { seed: 11 }), b);
    await train(task(RICH, { seed: 12 }), c);
    assertCurvesClose(curve(a.reports), curve(b.reports), 1e-5);
    assert.notDeepEqual(curve(a.reports), curve(c.reports));
  });

  it('leaks no tensor, whether a trial completes, is stopped, or fails', async () => {
    const before = tf.memory().numTensors;
    await train(task({ ...RICH, epochs: 2 }, { early: { type: 'patience', metric: 'val_loss', patience: 3, min_delta: 0, restore_best: true } }), recorder());
    await train(task({ optimizer: 'adam' }), recorder(7, 2));
    await assert.rejects(train(task({ model: 'cnn' }), recorder()), /model cnn needs image data/);
    assert.equal(tf.memory().numTensors, before);
  });

  it('ends cleanly when asked to stop: no report for the unfinished epoch', async () => {
    const ctx = recorder(7, 3);
    const result = await train(task({ epochs: 5, batch_size: 16 }), ctx);
    assert.equal(ctx.reports.length, 0);
    assert.equal(result.attrs['epochs_trained'], 0);
    assert.equal(result.diverged, undefined);
  });

  for (const optimizer of ['adam', 'sgd'] as const) {
    it(`α = 10 (${optimizer}) ends the trial as diverged within one epoch, with the reason`, async () => {
      const ctx = recorder();
      const result = await train(task({ optimizer, learning_rate: 10, epochs: 5 }), ctx);
      assert.equal(ctx.reports.length, 1);
      assert.match(result.diverged ?? '', /^(training loss is (NaN|Infinity)|a mini-batch loss of [\d.e+]+) at epoch 0 (exceeds 10 × the initial loss [\d.]+ )?\(learning rate 10\)$/);
      assert.equal(result.attrs['test_loss'], undefined);
    });
  }

  it('divergence: a non-finite epoch loss, or a mini-batch loss above factor × the initial loss', () => {
    assert.equal(divergence({ trainLoss: 0.5, worstBatchLoss: 9.9 }, 1, 10, 0, 0.1), undefined);
    assert.equal(divergence({ trainLoss: NaN, worstBatchLoss: NaN }, 1, 10, 2, 0.1), 'training loss is NaN at epoch 2 (learning rate 0.1)');
    assert.equal(
      divergence({ trainLoss: 3, worstBatchLoss: 25.123 }, 2.3026, 10, 0, 1),
      'a mini-batch loss of 25.12 at epoch 0 exceeds 10 × the initial loss 2.303 (learning rate 1)',
    );
  });

  it('restore_best ends with the best epoch’s weights', async () => {
    // lr is maximised (not a loss) and decays, so the best epoch is the first one.
    const settings = { lr_schedule: 'exponential', lr_decay_rate: 0.5, learning_rate: 0.05, epochs: 3 } as const;
    const ctx = recorder();
    const restored = await train(task(settings, { early: { type: 'patience', metric: 'lr', patience: 5, min_delta: 0, restore_best: true } }), ctx);
    assert.equal(restored.attrs['best_epoch'], 0);
    assert.equal(restored.metrics['train_loss'], ctx.reports[0]!['train_loss']);
    const once = await train(task({ ...settings, epochs: 1 }), recorder());
    assert.ok(Math.abs(restored.metrics['test_loss']! - once.metrics['test_loss']!) < 1e-6);
    const full = await train(task(settings), recorder());
    assert.notEqual(full.metrics['test_loss'], restored.metrics['test_loss']);
  });

  it('trains a CNN on mnist digits on wasm', async () => {
    const data = dataSpec({ source: 'mnist', kind: null, samples: 300, preprocess: 'per_channel', split: { train: 0.8, val: 0.2, test: 0 } });
    const ctx = recorder();
    const result = await train(task({ model: 'cnn', filters: '4', batch_norm: true, learning_rate: 0.01, epochs: 3 }, { data }), ctx);
    assert.equal(result.attrs['backend'], 'wasm');
    assert.ok(ctx.reports[2]!['train_loss']! < ctx.reports[0]!['train_loss']!);
    assert.ok(ctx.reports[2]!['val_accuracy']! > 0.5, `val_accuracy ${ctx.reports[2]!['val_accuracy']}`);
  });

  it('fails with a clear message without data, or with unknown settings', async () => {
    await assert.rejects(train({ ...task(), data: null }, recorder()), /needs a data: section/);
    await assert.rejects(train(task({}, { params: { optimiser: 'adam' } }), recorder()), /unknown training setting 'optimiser'/);
  });
});

/**
 * What the trainer reports per epoch: train_* in evaluation mode on a fixed training subset
 * as large as the validation split, running_* as trained; and the plateau schedule watching
 * val_loss.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { train } from '../../src/train/tfjs-trainer.js';
import { tempDir } from '../helpers.js';
import { dataSpec, recorder, task } from './helpers.js';

describe('per-epoch training figures', () => {
  it('measure train_accuracy without dropout on as many rows as the validation split, beside the running figures', async () => {
    const ctx = recorder();
    // 300 points split 0.7/0.15/0.15: 45 validation rows.
    await train(task({ dropout: 0.8, hidden_units: 32, epochs: 6, optimizer: 'adam', learning_rate: 0.01 }), ctx);
    for (const m of ctx.reports) {
      for (const name of ['train_loss', 'train_accuracy', 'running_loss', 'running_accuracy', 'val_loss', 'val_accuracy']) assert.equal(typeof m[name], 'number', name);
      const correct = m['train_accuracy']! * 45;
      assert.ok(Math.abs(correct - Math.round(correct)) < 1e-4, `train_accuracy ${m['train_accuracy']} is not a fraction of 45 rows`);
    }
    const last = ctx.reports[ctx.reports.length - 1]!;
    assert.ok(last['train_accuracy']! > last['running_accuracy']! + 0.05, `train ${last['train_accuracy']} vs running ${last['running_accuracy']} (dropout 0.8)`);
  });

  it('plateau halves α when val_loss stops improving, though train_loss keeps falling', async () => {
    // Validation rows are training rows with the other label: the better the fit, the worse val_loss.
    const dir = tempDir();
    const rows: string[] = ['a,b,label'];
    const split: string[] = [];
    for (let i = 0; i < 60; i++) {
      const label = i % 2;
      const x = `${(label === 0 ? -1 : 1) + ((i * 37) % 11) / 20},${((i * 53) % 7) / 10}`;
      rows.push(`${x},${label}`);
      split.push('train');
      if (i < 20) {
        rows.push(`${x},${1 - label}`);
        split.push('val');
      }
    }
    writeFileSync(join(dir, 'd.csv'), rows.join('\n'));
    writeFileSync(join(dir, 'split.txt'), split.join('\n'));
    const data = dataSpec({ source: 'csv', path: join(dir, 'd.csv'), label: 'label', split_file: join(dir, 'split.txt') });
    const ctx = recorder();
    await train(task({ epochs: 6, batch_size: 10, optimizer: 'adam', learning_rate: 0.02, lr_schedule: 'plateau', lr_patience: 1, lr_factor: 0.5 }, { data }), ctx);
    const losses = ctx.reports.map((m) => m['train_loss']!);
    assert.ok(losses[losses.length - 1]! < losses[0]!, `train_loss ${losses.join(', ')}`);
    const rates = ctx.reports.map((m) => m['lr']!);
    assert.ok(rates[rates.length - 1]! < 0.02, `lr stayed ${rates.join(', ')} (val_loss ${ctx.reports.map((m) => m['val_loss']).join(', ')})`);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LR_SCHEDULES } from '../../src/train/identifiers.js';
import { createSchedule } from '../../src/train/optim/schedules.js';
import type { ScheduleConfig } from '../../src/train/optim/schedules.js';
import { train } from '../../src/train/tfjs-trainer.js';
import { recorder, task } from './helpers.js';

const BASE: ScheduleConfig = {
  lr_schedule: 'none',
  learning_rate: 0.1,
  lr_drop: 0.5,
  lr_every: 2,
  lr_decay_rate: 0.9,
  lr_decay: 0.5,
  lr_patience: 2,
  lr_factor: 0.1,
};

function close(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) < 1e-12 * Math.max(1, expected[i]!), `epoch ${i}: ${a} ≠ ${expected[i]}`));
}

const EXPECTED: Record<Exclude<(typeof LR_SCHEDULES)[number], 'plateau'>, number[]> = {
  none: [0.1, 0.1, 0.1, 0.1, 0.1],
  step: [0.1, 0.1, 0.05, 0.05, 0.025],
  exponential: [0.1, 0.09, 0.081, 0.0729, 0.06561],
  inverse_time: [0.1, 0.1 / 1.5, 0.1 / 2, 0.1 / 2.5, 0.1 / 3],
  inverse_sqrt: [0.1, 0.1 / Math.SQRT2, 0.1 / Math.sqrt(3), 0.05, 0.1 / Math.sqrt(5)],
};

describe('learning-rate schedules', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} gives the expected sequence`, () => {
      const s = createSchedule({ ...BASE, lr_schedule: name as ScheduleConfig['lr_schedule'] });
      close([0, 1, 2, 3, 4].map((e) => s.rate(e)), expected);
    });
  }

  it('plateau multiplies by lr_factor after lr_patience epochs without improvement', () => {
    const s = createSchedule({ ...BASE, lr_schedule: 'plateau' });
    const rates: number[] = [];
    for (const [epoch, valLoss] of [1.0, 0.9, 0.95, 0.93, 0.92, 0.91, 0.8, 0.85].entries()) {
      rates.push(s.rate(epoch));
      s.observe(valLoss);
    }
    rates.push(s.rate(8));
    close(rates, [0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001, 0.001]);
  });

  for (const schedule of LR_SCHEDULES) {
    it(`${schedule}: a trial records the schedule's rate every epoch and trains`, async () => {
      const ctx = recorder();
      const settings = { lr_schedule: schedule, learning_rate: 0.02, lr_every: 1, lr_patience: 1, epochs: 4 };
      await train(task(settings), ctx);
      const expected = createSchedule({ ...BASE, ...settings, lr_drop: 0.5, lr_decay_rate: 0.95, lr_decay: 0.1, lr_factor: 0.5 });
      const lrs = ctx.reports.map((r) => r['lr']!);
      if (schedule !== 'plateau') close(lrs, [0, 1, 2, 3].map((e) => expected.rate(e)));
      else assert.equal(lrs[0], 0.02);
      assert.ok(ctx.reports[3]!['train_loss']! < ctx.reports[0]!['train_loss']!);
    });
  }
});

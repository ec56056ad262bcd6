/**
 * Learning-rate schedules, by 0-based epoch (α₀ is `learning_rate`):
 *
 *   none          α₀
 *   step          α₀·lr_drop^⌊epoch / lr_every⌋
 *   exponential   α₀·lr_decay_rate^epoch
 *   inverse_time  α₀ / (1 + lr_decay·epoch)
 *   inverse_sqrt  α₀ / √(epoch + 1)
 *   plateau       α multiplied by lr_factor whenever the validation loss has not improved
 *                 for lr_patience epochs (then the count restarts)
 */
import type { LR_SCHEDULES } from '../identifiers.js';

export type ScheduleName = (typeof LR_SCHEDULES)[number];

export interface ScheduleConfig {
  lr_schedule: ScheduleName;
  learning_rate: number;
  lr_drop: number;
  lr_every: number;
  lr_decay_rate: number;
  lr_decay: number;
  lr_patience: number;
  lr_factor: number;
}

/** A schedule: the rate for an epoch, and (for plateau) what the epoch's validation loss was. */
export interface Schedule {
  /** The learning rate of `epoch` (0-based); epochs are asked in increasing order. */
  rate(epoch: number): number;
  /** Tells the schedule the validation loss at the end of an epoch. */
  observe(valLoss: number): void;
}

class Plateau implements Schedule {
  private lr: number;
  private best = Infinity;
  private wait = 0;
  constructor(private readonly c: ScheduleConfig) {
    this.lr = c.learning_rate;
  }
  rate(): number {
    return this.lr;
  }
  observe(valLoss: number): void {
    if (valLoss < this.best) {
      this.best = valLoss;
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait >= this.c.lr_patience) {
      this.lr *= this.c.lr_factor;
      this.wait = 0;
    }
  }
}

/** The schedule of `c`. */
export function createSchedule(c: ScheduleConfig): Schedule {
  const a0 = c.learning_rate;
  const fixed = (f: (epoch: number) => number): Schedule => ({ rate: f, observe: () => undefined });
  switch (c.lr_schedule) {
    case 'none':
      return fixed(() => a0);
    case 'step':
      return fixed((e) => a0 * Math.pow(c.lr_drop, Math.floor(e / c.lr_every)));
    case 'exponential':
      return fixed((e) => a0 * Math.pow(c.lr_decay_rate, e));
    case 'inverse_time':
      return fixed((e) => a0 / (1 + c.lr_decay * e));
    case 'inverse_sqrt':
      return fixed((e) => a0 / Math.sqrt(e + 1));
    case 'plateau':
      return new Plateau(c);
  }
}

import cliProgress from 'cli-progress';
import type { EpochRecord, FrozenTrial } from '../../core/types.js';
import { isBetter } from '../../core/types.js';
import type { StudyEvents, StudyStartInfo } from '../../study/events.js';
import { fmt } from '../output.js';
import { finishLine, startLine } from './lines.js';

/**
 * Progress bars on a terminal: one for the study (trials done of total, best so far, ETA)
 * and one per slot (trial, epoch k of E, current metric). Events that deserve a line (a
 * finished trial) are printed above the bars.
 */
export class BarProgress implements StudyEvents {
  private readonly multi: cliProgress.MultiBar;
  private study: cliProgress.SingleBar | null = null;
  private readonly slots = new Map<number, cliProgress.SingleBar>();
  private readonly slotOf = new Map<number, number>();
  private metric = '';
  private direction: 'minimize' | 'maximize' = 'maximize';
  private best: number | null = null;
  private done = 0;

  constructor(stream: NodeJS.WriteStream) {
    this.multi = new cliProgress.MultiBar(
      { stream, clearOnComplete: false, hideCursor: true, format: '{label} |{bar}| {value}/{total} {info}', autopadding: true },
      cliProgress.Presets.shades_classic,
    );
  }

  studyStarted(info: StudyStartInfo): void {
    this.metric = info.study.metric;
    this.direction = info.study.direction;
    this.done = info.finishedBefore;
    this.multi.log(`${startLine(info)}\n`);
    this.study = this.multi.create(info.cap ?? 0, this.done, { label: 'study ', info: '' }, {
      format: '{label} |{bar}| {value}/{total} trials, ETA {eta_formatted} {info}',
    });
  }

  trialStarted(trial: FrozenTrial, slot: number): void {
    let bar = this.slots.get(slot);
    if (bar === undefined) {
      bar = this.multi.create(1, 0, { label: `slot ${slot}`, info: '' });
      this.slots.set(slot, bar);
    }
    this.slotOf.set(trial.number, slot);
    bar.setTotal(1);
    bar.update(0, { label: `trial ${trial.number}`.padEnd(6), info: 'starting' });
  }

  epoch(trialNumber: number, epoch: EpochRecord, totalEpochs: number | null): void {
    const bar = this.slots.get(this.slotOf.get(trialNumber) ?? -1);
    if (bar === undefined) return;
    if (totalEpochs !== null) bar.setTotal(totalEpochs);
    const v = epoch.metrics[this.metric];
    bar.update(epoch.epoch + 1, { info: `epoch ${epoch.epoch + 1}${totalEpochs === null ? '' : `/${totalEpochs}`} ${this.metric}=${fmt(v)}` });
  }

  trialFinished(trial: FrozenTrial, seconds: number): void {
    this.done += 1;
    if (trial.state === 'complete' && isBetter(trial.value, this.best, this.direction)) this.best = trial.value;
    this.multi.log(`${finishLine(trial, this.metric, seconds)}\n`);
    this.study?.update(this.done, { info: `best ${this.metric}=${fmt(this.best)}` });
    this.slotOf.delete(trial.number);
  }

  info(message: string): void {
    this.multi.log(`${message}\n`);
  }

  stop(): void {
    this.multi.stop();
  }
}

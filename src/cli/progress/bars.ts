import cliProgress from 'cli-progress';
import type { EpochRecord, FrozenTrial } from '../../core/types.js';
import { isBetter, isFinished } from '../../core/types.js';
import type { StageRanges } from '../../search/sampler.js';
import type { StudyEvents, StudyStartInfo } from '../../study/events.js';
import { fmt } from '../output.js';
import type { ProgressView } from './view.js';
import { finishLine, StageAnnouncer, startLine } from './lines.js';

const STUDY_FORMAT = '{label} |{bar}| {value}/{total} trials  {best}  ETA {left}';
const SLOT_FORMAT = '{label} |{bar}| {info}';
/** Erases the terminal row the cursor is on. */
const ERASE_ROW = '\u001b[2K';

/**
 * Progress bars on a terminal: one for the study (trials done of total, best value so far,
 * ETA) and one per slot (its trial, epoch k of E, the current value of the study's metric).
 * Lines worth keeping (the start, each finished trial, warnings) are printed above the bars.
 */
export class BarProgress implements StudyEvents, ProgressView {
  private readonly multi: cliProgress.MultiBar;
  private readonly stream: NodeJS.WriteStream;
  private study: cliProgress.SingleBar | null = null;
  private readonly slots = new Map<number, cliProgress.SingleBar>();
  private readonly slotOf = new Map<number, number>();
  private metric = '';
  private readonly stages = new StageAnnouncer();
  private direction: 'minimize' | 'maximize' = 'maximize';
  private best: number | null = null;
  private done = 0;
  private cap: number | null = null;
  /** Trials finished by this run, and when it started: the rate behind the ETA. */
  private doneHere = 0;
  private readonly started = Date.now();

  constructor(stream: NodeJS.WriteStream) {
    this.stream = stream;
    this.multi = new cliProgress.MultiBar(
      // gracefulExit off: the run command handles signals (and stops the bars itself).
      // linewrap off: a bar row wider than the terminal is cut, not wrapped (a wrapped row, or
      // the terminal's ^C echo at its end, would shift every later redraw by a row).
      {
        stream,
        clearOnComplete: false,
        hideCursor: true,
        autopadding: true,
        barsize: 24,
        etaBuffer: 20,
        fps: 10,
        gracefulExit: false,
        linewrap: false,
        forceRedraw: true, // a row moved down by a logged line is redrawn even if unchanged
      },
      cliProgress.Presets.shades_classic,
    );
  }

  studyStarted(info: StudyStartInfo): void {
    this.metric = info.study.metric;
    this.direction = info.study.direction;
    this.done = info.finishedBefore;
    this.best = info.bestBefore ?? null;
    this.cap = info.cap;
    this.log(startLine(info));
    this.study = this.multi.create(info.cap ?? 0, this.done, { label: 'study ', best: this.bestText(), left: this.eta() }, { format: STUDY_FORMAT });
    for (let slot = 0; slot < info.slots; slot++) this.slotBar(slot);
  }

  trialStarted(trial: FrozenTrial, slot: number): void {
    const bar = this.slotBar(slot);
    this.slotOf.set(trial.number, slot);
    bar.setTotal(1);
    const attempt = trial.attempt > 1 ? ` (attempt ${trial.attempt})` : '';
    bar.update(0, { info: `trial ${trial.number}${attempt}  starting` });
  }

  epoch(trialNumber: number, epoch: EpochRecord, totalEpochs: number | null): void {
    const slot = this.slotOf.get(trialNumber);
    const bar = slot === undefined ? undefined : this.slots.get(slot);
    if (bar === undefined) return;
    const k = epoch.epoch + 1;
    bar.setTotal(totalEpochs ?? k);
    const value = epoch.metrics[this.metric];
    const metric = value === undefined ? '' : `  ${this.metric}=${fmt(value)}`;
    bar.update(k, { info: `trial ${trialNumber}  epoch ${k}${totalEpochs === null ? '' : `/${totalEpochs}`}${metric}` });
    this.study?.update(this.done, { left: this.eta() });
  }

  trialFinished(trial: FrozenTrial, seconds: number): void {
    if (isFinished(trial.state)) {
      this.done += 1;
      this.doneHere += 1;
    }
    if (trial.state === 'complete' && isBetter(trial.value, this.best, this.direction)) this.best = trial.value;
    this.log(finishLine(trial, this.metric, seconds));
    this.study?.update(this.done, { best: this.bestText(), left: this.eta() });
    const slot = this.slotOf.get(trial.number);
    this.slotOf.delete(trial.number);
    if (slot !== undefined) this.slots.get(slot)?.update(0, { info: `idle (trial ${trial.number} ${trial.state})` });
  }

  stageDecided(stage: StageRanges): void {
    const line = this.stages.line(stage);
    if (line !== null) this.log(line);
  }

  info(message: string): void {
    this.log(message);
  }

  warn(message: string): void {
    this.log(message);
  }

  /** Leaves the study bar on screen; the slot bars go. Safe to call more than once. */
  stop(): void {
    if (!this.multi.isActive) return;
    for (const bar of this.slots.values()) this.multi.remove(bar);
    this.slots.clear();
    this.multi.stop();
  }

  /**
   * A line above the bars, drawn at once (lines buffered until the next redraw would be lost
   * at the end). It goes where the bars were, so each terminal row it takes is erased first:
   * the line is cut into rows of the terminal's width. Without bars on screen (before the
   * first, after stop) it is written plainly: a redraw then would start a timer no stop clears.
   */
  private log(line: string): void {
    if (!this.multi.isActive) {
      this.stream.write(`${line}\n`);
      return;
    }
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    let rows = '';
    for (let at = 0; at < line.length || at === 0; at += width) rows += `${ERASE_ROW}${line.slice(at, at + width)}\n`;
    this.multi.log(rows);
    this.multi.update();
  }

  /** Time left at this run's rate so far: trials remaining ÷ trials finished per second. */
  private eta(): string {
    if (this.cap === null || this.doneHere === 0) return '–';
    const rate = this.doneHere / ((Date.now() - this.started) / 1000);
    const s = Math.max(0, Math.round((this.cap - this.done) / rate));
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
    return `${Math.floor(s / 3600)}h ${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
  }

  private bestText(): string {
    return `best ${this.metric}=${this.best === null ? '–' : fmt(this.best)}`;
  }

  private slotBar(slot: number): cliProgress.SingleBar {
    let bar = this.slots.get(slot);
    if (bar === undefined) {
      bar = this.multi.create(1, 0, { label: `slot ${slot}`.padEnd(6), info: 'idle' }, { format: SLOT_FORMAT });
      this.slots.set(slot, bar);
    }
    return bar;
  }
}

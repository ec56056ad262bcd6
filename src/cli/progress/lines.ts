import type { EpochRecord, FrozenTrial, Params } from '../../core/types.js';
import type { MethodChoice, StageRanges } from '../../search/index.js';
import type { StudyEvents, StudyStartInfo } from '../../study/events.js';
import { counted, fmt } from '../output.js';
import { lastFiniteText, shownValue } from '../trial-rows.js';
import type { ProgressView } from './view.js';

/** `name=value` pairs of a trial's parameters, compact. */
export function paramText(params: Params): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : String(v)}`)
    .join(' ');
}

/** `study NAME: [resumed with K finished, ][up to ]N trials[, M search (auto: WHY)], EXECUTOR[, backend NOTE]`. */
export function startLine(info: StudyStartInfo): string {
  const cap = info.cap === null ? 'unbounded' : `${info.atMost === true ? 'up to ' : ''}${counted(info.cap, 'trial')}`;
  const resumed = info.resumed ? `resumed with ${info.finishedBefore} finished, ` : '';
  const backend = info.backendNote ?? info.backend;
  const choice = info.choice === undefined ? '' : `, ${choiceText(info.choice)}`;
  return `study ${info.study.name}: ${resumed}${cap}${choice}, ${info.executor}${backend === null ? '' : `, backend ${backend}`}`;
}

/** `gp search (auto: 2 numeric parameters, run_cap 30)`. */
export function choiceText(choice: MethodChoice): string {
  return `${choice.method} search (auto: ${choice.reason})`;
}

/** `trial N STATE[: metric=V] (S s)[: reason]`. */
export function finishLine(trial: FrozenTrial, metric: string, seconds: number): string {
  const value = shownValue(trial) === null ? '' : `: ${metric}=${fmt(trial.value)}`;
  const last = lastFiniteText(trial);
  const reason = (trial.error === null ? '' : `: ${trial.error}`) + (last === null ? '' : ` (${last})`);
  return `trial ${trial.number} ${trial.state}${value} (${seconds.toFixed(1)} s)${reason}`;
}

/** `stage K decided: trials A–B …`. */
export function stageLine(stage: StageRanges): string {
  return `stage ${stage.stage} decided: trials ${stage.trials[0]}–${stage.trials[1]} (hpsearch studies shows its ranges)`;
}

/**
 * Each stage's line once: several slots may see the same new stage (each asks for its next
 * trial), and a resumed run may learn of stages decided before it.
 */
export class StageAnnouncer {
  private readonly seen = new Set<number>();

  /** The stage's line the first time it is seen, else null. */
  line(stage: StageRanges): string | null {
    if (this.seen.has(stage.stage)) return null;
    this.seen.add(stage.stage);
    return stageLine(stage);
  }
}

/**
 * Progress as one plain line per event, for logs and CI (no bars, no cursor movement):
 * `trial N started …` and `trial N STATE: metric=V (S s)[: reason]`.
 */
export class LineProgress implements StudyEvents, ProgressView {
  private metric = '';
  private readonly stages = new StageAnnouncer();

  constructor(private readonly write: (line: string) => void) {}

  studyStarted(info: StudyStartInfo): void {
    this.metric = info.study.metric;
    this.write(startLine(info));
  }

  trialStarted(trial: FrozenTrial, slot: number): void {
    const attempt = trial.attempt > 1 ? `, attempt ${trial.attempt}` : '';
    const params = paramText(trial.params);
    this.write(`trial ${trial.number} started (slot ${slot}${attempt})${params === '' ? '' : `: ${params}`}`);
  }

  epoch(_trial: number, _epoch: EpochRecord): void {
    // One line per trial event only: epochs would flood a CI log.
  }

  trialFinished(trial: FrozenTrial, seconds: number): void {
    this.write(finishLine(trial, this.metric, seconds));
  }

  stageDecided(stage: StageRanges): void {
    const line = this.stages.line(stage);
    if (line !== null) this.write(line);
  }

  info(message: string): void {
    this.write(message);
  }

  warn(message: string): void {
    this.write(message);
  }

  stop(): void {
    // Nothing to tidy: every line is complete.
  }
}

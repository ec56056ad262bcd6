import type { DataSpec, EarlyTerminate, SettingValue, TrainerKind } from './spec.js';
import type { Attrs, Direction, EpochRecord, Metrics, Params } from './types.js';

/**
 * Everything a slot needs to train one trial. Plain data: it crosses thread and process
 * boundaries as a structured clone.
 */
export interface TrialTask {
  study: string;
  trial: number;
  attempt: number;
  seed: number;
  params: Params;
  trainer: TrainerKind;
  /** Absolute path of the module trainer's file. */
  module: string | null;
  data: DataSpec | null;
  /** Fixed settings of `train:`; `params` override them. */
  train: Record<string, SettingValue>;
  early_terminate: EarlyTerminate | null;
  metric: { name: string; goal: Direction };
  /** Measure `inference_ms` after training (a study objective names it): six forward passes over 1000 rows, skipped otherwise. */
  measure_inference?: boolean;
  /** A warm start: the kept model's directory, and how many leading layers stay frozen. */
  init_from?: { dir: string; freeze: number };
  /** Absolute path of the user's model module (`train.model: ./model.js`); absent: mlp/cnn. */
  user_model?: string;
  /** Where the trainer writes the trial's model when it completes (absent: nowhere). */
  keep?: KeepTarget;
  /** method: pbt — the trial trains one segment of a member, from a checkpoint to a checkpoint. */
  segment?: SegmentTask;
}

/** One segment of a population member: epochs [start_epoch, train.epochs). */
export interface SegmentTask {
  /** Epochs trained before this segment (the first epoch it trains, 0-based). */
  start_epoch: number;
  /** Absolute folder of the checkpoint to start from (null: from the initialiser). */
  from: string | null;
  /** Absolute folder the trainer writes its checkpoint to when the segment completes. */
  to: string;
}

/** A kept model's place: `dir` absolute, `name` relative to the storage's folder (attr `model`). */
export interface KeepTarget {
  dir: string;
  name: string;
}

/** What a trainer is given while it trains. */
export interface TrainContext {
  readonly seed: number;
  /**
   * Called once per epoch with that epoch's metrics. Resolves when the orchestrator has
   * judged the epoch (pruning, stop rules); a trainer awaits it before its next epoch, so a
   * stopped trial trains no epoch past its verdict (shouldStop() then says whether to go on).
   */
  report(metrics: Metrics): Promise<void>;
  /** True once the orchestrator asked the trial to stop (pruning, signal, timeout). */
  shouldStop(): boolean;
  /** Epochs already trained (a pbt segment's start; 0 otherwise): the first epoch's index. */
  readonly startEpoch?: number;
}

/** What a trainer returns: its final metrics, and attributes such as backend or test accuracy. */
export interface TrainResult {
  metrics: Metrics;
  attrs: Attrs;
  /**
   * Set when the trainer itself ended the trial early as diverged (non-finite loss, or a
   * loss far above the initial one), with the reason in the playbook's words.
   */
  diverged?: string;
}

export type TrainFunction = (task: TrialTask, ctx: TrainContext) => Promise<TrainResult>;

/** How a dispatched trial ended, as seen by the orchestrator. */
export type TrialOutcome =
  | { kind: 'finished'; result: TrainResult; stopReason: string | null }
  | { kind: 'failed'; error: string };

/** A trial running in a slot. */
export interface RunningTrial {
  /** Asks the trainer to end after its current batch or epoch (a message; never a kill). */
  stop(reason: string): void;
  /**
   * Ends the trial at once: its worker is killed and the slot gets a fresh one. The outcome
   * resolves as failed with `reason`. For a trial that ignored `stop` (a second Ctrl-C, the
   * end of a grace period). A no-op once the outcome is known.
   */
  terminate(reason: string): void;
  readonly outcome: Promise<TrialOutcome>;
}

/** What the slots found when they started: the backend the trainer will use. */
export interface ExecutorInfo {
  /** The backend a trial reports in attrs.backend (e.g. "wasm"); null for the module trainer. */
  backend: string | null;
  /** One line for users: what was tried and why it fell back (null when nothing to say). */
  note: string | null;
}

/** Runs trials in slots (pool/). The study loop knows nothing of threads or processes. */
export interface TrialExecutor {
  readonly slots: number;
  /** A human-readable name of what runs the trials ("2 worker threads", "1 child process", ...). */
  readonly description: string;
  /**
   * Starts the slots' workers and loads the trainer (and its backend) in them. Rejects with
   * the trainer's error when that fails (e.g. a forced backend that cannot load). Optional to
   * call: `start` prepares a slot itself; calling it again returns the same answer.
   */
  prepare(): Promise<ExecutorInfo>;
  /** Runs `task` on a free slot; at most `slots` trials run at once. */
  start(task: TrialTask, onEpoch: (epoch: EpochRecord) => void): RunningTrial;
  /** Kills every worker; running trials end as failed. */
  close(): Promise<void>;
}

import type { Distribution } from '../core/distributions.js';
import type { Attrs, Direction, EpochRecord, FrozenTrial, JsonValue, Params, TrialState } from '../core/types.js';

export type { FrozenTrial };

export interface StudyRecord {
  id: number;
  name: string;
  specText: string;
  specHash: string;
  /** The validated spec as canonical JSON (what the hash covers). */
  specJson: string;
  direction: Direction;
  metric: string;
  seed: number;
  /** ISO-8601. */
  created: string;
  attrs: Attrs;
}

export interface StudySummary extends StudyRecord {
  counts: Record<TrialState, number>;
  best: number | null;
}


export interface NewStudy {
  name: string;
  specText: string;
  specHash: string;
  specJson: string;
  direction: Direction;
  metric: string;
  seed: number;
}

export interface NewTrial {
  params: Params;
  distributions: Record<string, Distribution>;
  seed: number;
  attrs?: Attrs;
}

export interface TrialFinish {
  state: Extract<TrialState, 'complete' | 'pruned' | 'diverged' | 'failed' | 'interrupted'>;
  value: number | null;
  error: string | null;
  attrs?: Attrs;
}

/**
 * Where studies live. Promise-returning so that a networked implementation drops in;
 * every record returned is a copy. A finished trial (complete, pruned, diverged, failed)
 * can no longer change.
 */
export interface Storage {
  /** Where the data lives (a path, or ":memory:"). */
  readonly location: string;

  createStudy(study: NewStudy): Promise<StudyRecord>;
  getStudy(name: string): Promise<StudyRecord | null>;
  listStudies(): Promise<StudySummary[]>;
  /** Replaces the stored spec (allowed spec changes on resume). */
  updateStudySpec(studyId: number, spec: Pick<NewStudy, 'specText' | 'specHash' | 'specJson'>): Promise<void>;
  setStudyAttr(studyId: number, key: string, value: JsonValue): Promise<void>;

  /**
   * Allocates the next trial number atomically and inserts the trial as `running`, owned
   * by `worker`. `build` is called inside the allocation with the number. Returns null when
   * the study already has `cap` trials (cap null: unbounded).
   */
  createTrial(
    studyId: number,
    options: { cap: number | null; worker: string; build: (number: number) => NewTrial },
  ): Promise<FrozenTrial | null>;
  /**
   * Takes an unfinished trial (interrupted, waiting, or running whose owner is in
   * `orphanOwners` or whose heartbeat is older than `staleBefore`) to run it again:
   * state running, attempt + 1, epochs of the previous attempt removed. Returns null when
   * there is none (or another process took it first).
   */
  claimUnfinishedTrial(
    studyId: number,
    options: { worker: string; staleBefore: string | null; orphanOwners: readonly string[]; maxAttempts: number | null },
  ): Promise<FrozenTrial | null>;
  appendEpochs(studyId: number, trialNumber: number, epochs: readonly EpochRecord[]): Promise<void>;
  /** Refreshes the heartbeat of running trials owned by `worker`. */
  heartbeat(studyId: number, trialNumbers: readonly number[], worker: string): Promise<void>;
  finishTrial(studyId: number, trialNumber: number, finish: TrialFinish): Promise<FrozenTrial>;
  setTrialAttrs(studyId: number, trialNumber: number, attrs: Attrs): Promise<void>;

  getTrial(studyId: number, trialNumber: number): Promise<FrozenTrial | null>;
  listTrials(studyId: number, filter?: { states?: readonly TrialState[] }): Promise<FrozenTrial[]>;
  getEpochs(studyId: number, trialNumber: number): Promise<EpochRecord[]>;
  /** Every trial's curve, by trial number. */
  getStudyEpochs(studyId: number): Promise<Map<number, EpochRecord[]>>;

  close(): Promise<void>;
}

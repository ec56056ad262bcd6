import type { Distribution } from '../core/distributions.js';
import type { Attrs, Direction, EpochRecord, FrozenTrial, JsonValue, Params, TrialState } from '../core/types.js';
import type { StudyEpochsFilter, TopTrialsQuery, TrialsFilter } from './ranking.js';

export type { FrozenTrial };
export type { StudyEpochsFilter, TopTrialsQuery, TrialsFilter } from './ranking.js';

export interface NewStudy {
  name: string;
  specText: string;
  specHash: string;
  /** The validated spec as canonical JSON (what the hash covers). */
  specJson: string;
  direction: Direction;
  metric: string;
  seed: number;
}

/** A study as stored: what it was created with, plus its id, creation time and attributes. */
export interface StudyRecord extends NewStudy {
  id: number;
  /** ISO-8601. */
  created: string;
  attrs: Attrs;
}

export interface StudySummary extends StudyRecord {
  /** Trials per state; every state is present (0 when none). */
  counts: Record<TrialState, number>;
  /** The best value among `complete` trials for the study's direction (NaN and null ignored); null when none. */
  best: number | null;
}

export interface NewTrial {
  params: Params;
  distributions: Record<string, Distribution>;
  seed: number;
  attrs?: Attrs;
}

/**
 * Who writes to a running trial: the worker that created or claimed it, and which attempt
 * it runs. A write guarded by it is refused once the trial has been taken over.
 */
export interface TrialOwner {
  worker: string;
  attempt: number;
}

/** A trial's attempt count and times, as another storage recorded them. */
export type TrialTimes = Pick<FrozenTrial, 'attempt' | 'started' | 'finished' | 'heartbeat'>;

export interface TrialFinish {
  state: Extract<TrialState, 'complete' | 'pruned' | 'diverged' | 'failed' | 'interrupted'>;
  value: number | null;
  error: string | null;
  attrs?: Attrs;
  /**
   * The attempt's epochs not yet stored (its last ones), stored with the finish, with
   * appendEpochs' checks (ownership, repeated epochs): one write where there were two (a
   * journal: one line under its lock, PostgreSQL: one statement). Both or neither are stored.
   */
  epochs?: readonly EpochRecord[];
}

/**
 * Where studies live. Promise-returning so that a networked implementation drops in;
 * every record returned is a copy (and inputs are copied: mutating either side later
 * changes nothing stored). A finished trial (complete, pruned, diverged, failed) can no
 * longer change: finishTrial, setTrialAttrs and appendEpochs on it reject with
 * TrialFinishedError. `interrupted` is not finished.
 *
 * Errors: StorageError (exit 4) for the storage itself (SQLite's errors, with the path);
 * NotFoundError (exit 3) for an unknown study id (every study-scoped method) or trial
 * number (except getTrial, which returns null). Metric values and trial values may be NaN
 * or ±Infinity and come back exactly.
 *
 * Ownership: appendEpochs and finishTrial take an optional `owner`. With it, the write
 * happens only while the trial is running, owned by `owner.worker`, at `owner.attempt`
 * (checked atomically with the write); otherwise it rejects with TrialOwnershipError (a
 * StorageError) and stores nothing, so a process whose trial was claimed by another cannot
 * mix its epochs into the new attempt or record over it. A trial finished by the same
 * worker and attempt still rejects with TrialFinishedError. Without `owner`, nothing about
 * ownership is checked.
 */
export interface Storage {
  /** Where the data lives (a path, or ":memory:"). */
  readonly location: string;

  /** Rejects with StudyExistsError (a StorageError) when the name is taken, e.g. by a racing process. */
  createStudy(study: NewStudy): Promise<StudyRecord>;
  getStudy(name: string): Promise<StudyRecord | null>;
  /** Every study, by id. */
  listStudies(): Promise<StudySummary[]>;
  /** Replaces the stored spec (allowed spec changes on resume). */
  updateStudySpec(studyId: number, spec: Pick<NewStudy, 'specText' | 'specHash' | 'specJson'>): Promise<void>;
  /** Sets one key of the study's attrs (others kept). */
  setStudyAttr(studyId: number, key: string, value: JsonValue): Promise<void>;

  /**
   * Allocates the next trial number atomically and inserts the trial as `running`, owned
   * by `worker`, with attempt 1 and started = heartbeat = now. `build` is called inside the
   * allocation with the number (not at all when the cap is reached; if it throws, nothing is
   * created and the error propagates). Returns null when the study already has `cap` trials
   * of any state (cap null: unbounded). Safe across processes sharing one database.
   * `lookahead` (default 0): `build` may also be called for up to that many numbers after
   * the next one, and the trial stored is the one built for the number that is next when
   * the write happens, so that a storage that allocates without a lock (PostgreSQL) does not
   * lose the number to a worker that wrote first; give it only when `build` is cheap and
   * has no effect beyond its result. A storage that allocates under a lock ignores it.
   */
  createTrial(
    studyId: number,
    options: { cap: number | null; worker: string; build: (number: number) => NewTrial; lookahead?: number },
  ): Promise<FrozenTrial | null>;
  /**
   * Takes an unfinished trial (interrupted, waiting, or running whose owner is in
   * `orphanOwners` or whose heartbeat is older than `staleBefore`, compared as ISO strings),
   * the lowest-numbered first, skipping trials whose attempts that were not interrupted
   * (attempt − the `interruptions` attr, core/attempts.ts) reach `maxAttempts` (when given),
   * to run it again: state running, attempt + 1, worker, started = heartbeat = now; value,
   * error and finished cleared; epochs of the previous attempt removed; params, seed and
   * attrs kept. Returns null when there is none (or another process took it first).
   */
  claimUnfinishedTrial(
    studyId: number,
    options: { worker: string; staleBefore: string | null; orphanOwners: readonly string[]; maxAttempts: number | null },
  ): Promise<FrozenTrial | null>;
  /**
   * Records a batch of epochs in one transaction (batch them: one call per epoch is slow).
   * An epoch index already recorded for the trial (or twice in the batch) rejects with
   * DuplicateEpochError and writes nothing of the batch. With `owner`, rejects with
   * TrialOwnershipError (writing nothing) unless the trial is running under that owner and
   * attempt.
   */
  appendEpochs(studyId: number, trialNumber: number, epochs: readonly EpochRecord[], owner?: TrialOwner): Promise<void>;
  /** Refreshes the heartbeat of running trials owned by `worker`. */
  heartbeat(studyId: number, trialNumbers: readonly number[], worker: string): Promise<void>;
  /**
   * Sets state, value, error and finished = now; merges `finish.attrs`. Returns the trial.
   * With `owner`, rejects with TrialOwnershipError (changing nothing) unless the trial is
   * running under that owner and attempt.
   */
  finishTrial(studyId: number, trialNumber: number, finish: TrialFinish, owner?: TrialOwner): Promise<FrozenTrial>;
  /** Merges `attrs` into the trial's (last write wins per key). */
  setTrialAttrs(studyId: number, trialNumber: number, attrs: Attrs): Promise<void>;
  /** For a copy (store/copy.ts): sets the trial's attempt count and times to those recorded elsewhere. */
  restoreTrialTimes(studyId: number, trialNumber: number, times: TrialTimes): Promise<void>;

  getTrial(studyId: number, trialNumber: number): Promise<FrozenTrial | null>;
  /** The study's trials ordered by number, optionally only those in `states`, without the attrs in `omitAttrs`. */
  listTrials(studyId: number, filter?: TrialsFilter): Promise<FrozenTrial[]>;
  getEpochs(studyId: number, trialNumber: number): Promise<EpochRecord[]>;
  /**
   * Every trial's curve, by trial number, in one query; a trial without epochs maps to [].
   * With `filter.states`, only the trials in those states; with `filter.metrics`, each
   * record keeps only those metrics and an epoch with none of them is left out.
   */
  getStudyEpochs(studyId: number, filter?: StudyEpochsFilter): Promise<Map<number, EpochRecord[]>>;
  /**
   * The `limit` best `complete` trials for `direction`, best first, in rankByValue's order
   * (numeric values, ±Infinity included, by value, ties by number; then NaN and null values
   * by number). Answered from an index: the other trials are not read.
   */
  topTrials(studyId: number, query: TopTrialsQuery): Promise<FrozenTrial[]>;

  /**
   * The storage's clock (ISO-8601): the time it stamps heartbeats with. Staleness is judged
   * against it (a heartbeat older than currentTime() − window), never against the caller's clock,
   * so a host whose clock is wrong neither steals live trials nor keeps dead ones.
   */
  currentTime(): Promise<string>;

  /** A consistency check of the stored data: "ok", or the problems found, one a line. */
  integrityCheck(): Promise<string>;

  /** Idempotent; any later call rejects. */
  close(): Promise<void>;
}

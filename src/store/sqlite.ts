/**
 * Storage in one SQLite file through better-sqlite3. WAL (readers never block the
 * writer), busy timeout, foreign keys on, every write in a BEGIN IMMEDIATE transaction (a
 * writer takes the lock before reading, so concurrent processes queue on the busy timeout
 * instead of failing with "database is locked"), versioned migrations (sqlite-schema.ts).
 * synchronous=NORMAL: in WAL mode a crash of the process loses nothing committed; only a
 * power cut may lose the last transactions, never consistency.
 */
import { StorageError } from '../core/errors.js';
import type { Attrs, EpochRecord, FrozenTrial, JsonValue, TrialState } from '../core/types.js';
import { assertMutable, assertOwner, checkEpochs, emptyCounts, nowIso, studyNotFound, TRIAL_ATTRS_KEPT_ON_CLAIM, trialNotFound } from './common.js';
import { encodeJson, encodeReal, splitMetrics } from './encode.js';
import { DuplicateEpochError, StudyExistsError } from './errors.js';
import type { Db } from './sqlite-open.js';
import { openDatabase, sqliteCode, toStorageError } from './sqlite-open.js';
import { openReadOnly } from './sqlite-guard.js';
import type { Migration } from './sqlite-schema.js';
import { MIGRATIONS } from './sqlite-schema.js';
import type { TrialRow } from './sqlite-rows.js';
import { byTrial, epochAt, paramRowOf, paramRows, toEpoch, toStudy, toTrial, trialRowOf } from './sqlite-rows.js';
import type { Statements } from './sqlite-statements.js';
import { prepareStatements } from './sqlite-statements.js';
import type { NewStudy, NewTrial, Storage, StudyRecord, StudySummary, TrialFinish, TrialOwner, TrialTimes } from './storage.js';
import type { StudyEpochsFilter, TopTrialsQuery, TrialsFilter } from './ranking.js';
import { narrowedEpochs, rankedRows } from './sqlite-ranking.js';

export interface SqliteOptions {
  /** How long a writer waits for the lock (ms); at least 5000. */
  busyTimeoutMs?: number;
  /** The clock (tests). */
  now?: () => Date;
  /** The migration list (tests of the migration machinery). */
  migrations?: readonly Migration[];
  /** Queries: open an existing database read-only; never create, migrate or write. */
  readOnly?: boolean;
}

export class SqliteStorage implements Storage {
  readonly location: string;
  private readonly db: Db;
  private readonly q: Statements;
  private readonly now: () => Date;
  private readonly readOnly: boolean;
  private readonly cleanup: () => void;
  private closed = false;

  constructor(path: string, options: SqliteOptions = {}) {
    this.location = path;
    this.now = options.now ?? (() => new Date());
    const busyTimeoutMs = Math.max(5000, options.busyTimeoutMs ?? 10_000);
    const migrations = options.migrations ?? MIGRATIONS;
    this.readOnly = options.readOnly === true;
    if (this.readOnly) {
      ({ db: this.db, cleanup: this.cleanup } = openReadOnly(path, busyTimeoutMs, migrations.length));
    } else {
      this.db = openDatabase(path, busyTimeoutMs, migrations);
      this.cleanup = () => undefined;
    }
    try {
      this.q = prepareStatements(this.db);
    } catch (error) {
      this.db.close();
      this.cleanup();
      throw toStorageError(error, path, true);
    }
  }

  /** Runs `fn` now, mapping errors; a settled Promise either way. */
  private run<T>(fn: () => T): Promise<T> {
    try {
      if (this.closed) throw new StorageError(`${this.location}: the storage is closed`);
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(toStorageError(error, this.location));
    }
  }

  /** A write: `fn` in one BEGIN IMMEDIATE transaction. */
  private write<T>(fn: () => T): Promise<T> {
    return this.run(() => this.db.transaction(fn).immediate());
  }

  /** A consistent read: `fn` in one deferred (read-only) transaction. */
  private read<T>(fn: () => T): Promise<T> {
    return this.run(() => this.db.transaction(fn).deferred());
  }

  private studyRow(studyId: number) {
    const row = this.q.studyById.get(studyId);
    if (row === undefined) throw studyNotFound(studyId);
    return row;
  }

  private trialRow(studyId: number, trialNumber: number): TrialRow {
    const row = this.q.trialByNumber.get(studyId, trialNumber);
    if (row === undefined) {
      this.studyRow(studyId);
      throw trialNotFound(studyId, trialNumber);
    }
    return row;
  }

  private assemble(row: TrialRow): FrozenTrial {
    return toTrial(row, this.q.paramsOfTrial.all(row.id), this.q.attrsOfTrial.all(row.id));
  }

  private setAttrs(trialId: number, attrs: Attrs): void {
    for (const [key, value] of Object.entries(attrs)) this.q.upsertAttr.run(trialId, key, encodeJson(value));
  }

  createStudy(study: NewStudy): Promise<StudyRecord> {
    return this.write(() => {
      try {
        const { lastInsertRowid } = this.q.insertStudy.run(
          study.name, study.specText, study.specHash, study.specJson, study.direction, study.metric, study.seed,
          nowIso(this.now),
        );
        return toStudy(this.studyRow(Number(lastInsertRowid)));
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE') throw new StudyExistsError(study.name, this.location);
        throw error;
      }
    });
  }

  getStudy(name: string): Promise<StudyRecord | null> {
    return this.read(() => {
      const row = this.q.studyByName.get(name);
      return row === undefined ? null : toStudy(row);
    });
  }

  listStudies(): Promise<StudySummary[]> {
    return this.read(() => {
      const counts = new Map<number, Record<TrialState, number>>();
      for (const { study_id, state, n } of this.q.stateCounts.all()) {
        const c = counts.get(study_id) ?? emptyCounts();
        c[state as TrialState] = n;
        counts.set(study_id, c);
      }
      const ranges = new Map(this.q.completeRange.all().map((r) => [r.study_id, r]));
      return this.q.allStudies.all().map((row) => {
        const study = toStudy(row);
        const range = ranges.get(study.id);
        const best = range === undefined ? null : study.direction === 'minimize' ? range.lo : range.hi;
        return { ...study, counts: counts.get(study.id) ?? emptyCounts(), best };
      });
    });
  }

  updateStudySpec(studyId: number, spec: Pick<NewStudy, 'specText' | 'specHash' | 'specJson'>): Promise<void> {
    return this.write(() => {
      this.studyRow(studyId);
      this.q.updateSpec.run(spec.specText, spec.specHash, spec.specJson, studyId);
    });
  }

  setStudyAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    return this.write(() => {
      const attrs = toStudy(this.studyRow(studyId)).attrs;
      attrs[key] = value;
      this.q.updateStudyAttrs.run(encodeJson(attrs), studyId);
    });
  }

  createTrial(
    studyId: number,
    options: { cap: number | null; worker: string; build: (number: number) => NewTrial },
  ): Promise<FrozenTrial | null> {
    return this.write(() => {
      this.studyRow(studyId);
      const { count, next } = this.q.trialAllocation.get(studyId)!;
      if (options.cap !== null && count >= options.cap) return null;
      const built = options.build(next);
      const now = nowIso(this.now);
      const id = Number(this.q.insertTrial.run(studyId, next, built.seed, now, now, options.worker).lastInsertRowid);
      for (const p of paramRows(built)) this.q.insertParam.run(id, p.name, p.value, p.distribution);
      this.setAttrs(id, built.attrs ?? {});
      return this.assemble(this.q.trialById.get(id)!);
    });
  }

  claimUnfinishedTrial(
    studyId: number,
    options: { worker: string; staleBefore: string | null; orphanOwners: readonly string[]; maxAttempts: number | null },
  ): Promise<FrozenTrial | null> {
    return this.write(() => {
      this.studyRow(studyId);
      const found = this.q.claimable.get({
        study: studyId,
        staleBefore: options.staleBefore,
        orphans: JSON.stringify(options.orphanOwners),
        maxAttempts: options.maxAttempts,
      });
      if (found === undefined) return null;
      const now = nowIso(this.now);
      this.q.claim.run(options.worker, now, now, found.id);
      this.q.deleteEpochs.run(found.id);
      this.q.deleteAttemptAttrs.run(found.id, JSON.stringify(TRIAL_ATTRS_KEPT_ON_CLAIM));
      return this.assemble(this.q.trialById.get(found.id)!);
    });
  }

  appendEpochs(studyId: number, trialNumber: number, epochs: readonly EpochRecord[], owner?: TrialOwner): Promise<void> {
    return this.write(() => {
      const trial = this.trialRow(studyId, trialNumber);
      assertOwner(studyId, trialNumber, { ...trial, state: trial.state as TrialState }, owner, 'record epochs of');
      assertMutable(studyId, trialNumber, trial.state as TrialState, 'record epochs of');
      this.insertEpochs(studyId, trialNumber, trial.id, epochs);
    });
  }

  /** Inserts `epochs` (inside the caller's transaction: a repeated epoch rolls all of it back). */
  private insertEpochs(studyId: number, trialNumber: number, trialId: number, epochs: readonly EpochRecord[]): void {
    const repeated = checkEpochs(trialNumber, epochs, undefined, false); // splitMetrics checks the metrics
    if (repeated !== null) throw new DuplicateEpochError(studyId, trialNumber, repeated);
    const insert = this.q.insertEpoch;
    try {
      for (const e of epochs) {
        const { standard, extra } = splitMetrics(e.metrics);
        insert.run(trialId, e.epoch, ...standard, extra);
      }
    } catch (error) {
      if (sqliteCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new DuplicateEpochError(studyId, trialNumber, null);
      throw error;
    }
  }

  heartbeat(studyId: number, trialNumbers: readonly number[], worker: string): Promise<void> {
    return this.write(() => {
      this.q.heartbeat.run(nowIso(this.now), studyId, JSON.stringify(trialNumbers), worker);
    });
  }

  finishTrial(studyId: number, trialNumber: number, finish: TrialFinish, owner?: TrialOwner): Promise<FrozenTrial> {
    return this.write(() => {
      const trial = this.trialRow(studyId, trialNumber);
      assertOwner(studyId, trialNumber, { ...trial, state: trial.state as TrialState }, owner, `mark ${finish.state}`);
      assertMutable(studyId, trialNumber, trial.state as TrialState, `mark ${finish.state}`);
      if (finish.epochs !== undefined) this.insertEpochs(studyId, trialNumber, trial.id, finish.epochs);
      this.q.finish.run(finish.state, encodeReal(finish.value), finish.error, nowIso(this.now), trial.id);
      this.setAttrs(trial.id, finish.attrs ?? {});
      return this.assemble(this.q.trialById.get(trial.id)!);
    });
  }

  setTrialAttrs(studyId: number, trialNumber: number, attrs: Attrs): Promise<void> {
    return this.write(() => {
      const trial = this.trialRow(studyId, trialNumber);
      assertMutable(studyId, trialNumber, trial.state as TrialState, 'set attributes of');
      this.setAttrs(trial.id, attrs);
    });
  }

  restoreTrialTimes(studyId: number, trialNumber: number, times: TrialTimes): Promise<void> {
    return this.write(() => {
      const trial = this.trialRow(studyId, trialNumber);
      this.q.restoreTimes.run(times.attempt, times.started, times.finished, times.heartbeat, trial.id);
    });
  }

  getTrial(studyId: number, trialNumber: number): Promise<FrozenTrial | null> {
    return this.read(() => {
      const row = this.q.trialByNumber.get(studyId, trialNumber);
      if (row === undefined) this.studyRow(studyId);
      return row === undefined ? null : this.assemble(row);
    });
  }

  listTrials(studyId: number, filter: TrialsFilter = {}): Promise<FrozenTrial[]> {
    return this.read(() => {
      this.studyRow(studyId);
      const states = filter.states === undefined ? null : JSON.stringify(filter.states);
      const rows = this.q.trialsOfStudy.all(studyId, states, states).map(trialRowOf);
      const params = byTrial(this.q.paramsOfStudy.all(studyId).map(paramRowOf));
      const attrs = byTrial(this.q.attrsOfStudy.all(studyId, JSON.stringify(filter.omitAttrs ?? [])));
      return rows.map((row) => toTrial(row, params.get(row.id) ?? [], attrs.get(row.id) ?? []));
    });
  }

  getEpochs(studyId: number, trialNumber: number): Promise<EpochRecord[]> {
    return this.read(() => this.q.epochsOfTrial.all(this.trialRow(studyId, trialNumber).id).map(toEpoch));
  }

  getStudyEpochs(studyId: number, filter: StudyEpochsFilter = {}): Promise<Map<number, EpochRecord[]>> {
    return this.read(() => {
      this.studyRow(studyId);
      const { metrics } = filter;
      if (metrics !== undefined) return narrowedEpochs(this.db, studyId, { ...filter, metrics });
      const out = new Map<number, EpochRecord[]>();
      const states = filter.states === undefined ? null : JSON.stringify(filter.states);
      for (const row of this.q.epochsOfStudy.all(studyId, states, states)) {
        const number = row[0];
        let curve = out.get(number);
        if (curve === undefined) out.set(number, (curve = []));
        if (row[1] !== null) curve.push(epochAt(row, 1));
      }
      return out;
    });
  }

  topTrials(studyId: number, query: TopTrialsQuery): Promise<FrozenTrial[]> {
    return this.read(() => {
      this.studyRow(studyId);
      return rankedRows(this.q, studyId, query).map((row) => this.assemble(row));
    });
  }

  currentTime(): Promise<string> {
    return this.run(() => nowIso(this.now));
  }

  /** `PRAGMA integrity_check`: "ok", or the problems found, one a line. */
  integrityCheck(): Promise<string> {
    return this.run(() => {
      const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
      return rows.map((r) => r.integrity_check).join('\n');
    });
  }

  /** The connection's settings, as SQLite reports them (diagnostics and tests). */
  connectionSettings(): Promise<{ journalMode: string; foreignKeys: boolean; busyTimeoutMs: number; schemaVersion: number }> {
    return this.run(() => ({
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      foreignKeys: this.db.pragma('foreign_keys', { simple: true }) === 1,
      busyTimeoutMs: Number(this.db.pragma('busy_timeout', { simple: true })),
      schemaVersion: Number(this.db.pragma('user_version', { simple: true })),
    }));
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.run(() => {
      if (!this.readOnly) this.db.pragma('optimize');
      this.db.close();
      this.cleanup();
      this.closed = true;
    });
  }
}

/**
 * Storage in a PostgreSQL database through node-postgres (`pg`), for studies that several
 * machines work on at once. The same tables and behaviour as SQLite (one conformance suite);
 * what differs is how processes on different hosts are kept apart:
 * - a trial number is taken by one conditional insert (unique per study, under the cap),
 *   and a claim takes its trial with FOR UPDATE SKIP LOCKED, so two workers never take the
 *   same one; no lock outlives its statement (pg-allocate.ts);
 * - every time (created, started, heartbeat, finished, and currentTime) is the server's
 *   now(), so staleness is judged by one clock;
 * - a batch of epochs is one statement (one round trip), guarded by the trial's owner;
 * - a lost connection is retried with backoff for `retryMs` a whole outage (pg-client.ts),
 *   and a write cut off as it committed is recognised when it is tried again.
 * `location` is the URL with its password masked.
 */
import type { Attrs, EpochRecord, FrozenTrial, JsonValue, TrialState } from '../core/types.js';
import { assertMutable, assertOwner, checkEpochs, emptyCounts, studyNotFound, trialNotFound } from './common.js';
import { encodeJson, splitMetrics } from './encode.js';
import { keepMetrics, type StudyEpochsFilter, type TopTrialsQuery, type TrialsFilter } from './ranking.js';
import { DuplicateEpochError, StudyExistsError } from './errors.js';
import { PgAllocations } from './pg-allocate.js';
import { PgClient } from './pg-client.js';
import { sqlState } from './pg-errors.js';
import type { PgMigration } from './pg-schema.js';
import { migratePg, PG_MIGRATIONS } from './pg-schema.js';
import { SQL } from './pg-sql.js';
import { maskPassword } from './pg-location.js';
import type { PgSettings } from './pg-url.js';
import { pgSettings } from './pg-url.js';
import type { AttrRow, EpochCells, ParamRow, StudyRow, TrialRow } from './sqlite-rows.js';
import { byTrial, toEpoch, toStudy, toTrial } from './sqlite-rows.js';
import type { NewStudy, NewTrial, Storage, StudyRecord, StudySummary, TrialFinish, TrialOwner, TrialTimes } from './storage.js';

export interface PgOptions {
  /** How long an operation keeps retrying while the server cannot be reached (ms); default 60 000. */
  retryMs?: number;
  /** Connections in the pool; default 4. */
  poolSize?: number;
  /** The migration list (tests of the migration machinery). */
  migrations?: readonly PgMigration[];
  /** Refuse a database without hpsearch's tables (NotFoundError) instead of creating them. */
  mustExist?: boolean;
  /** Told when the server cannot be reached (and for how long it is retried), and when it is back. */
  notify?: (line: string) => void;
}

type Q = <R extends object = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;

type EpochRow = { epoch: number; train_loss: unknown; train_accuracy: unknown; val_loss: unknown; val_accuracy: unknown; lr: unknown; seconds: unknown; extra: string | null };

/** A trial's parameters and attributes returned with its row as json arrays of their rows (null when there is no row). */
type Assembled = { params: ParamRow[] | null; attrs: AttrRow[] | null };

function cells(r: EpochRow): EpochCells {
  return [r.epoch, r.train_loss, r.train_accuracy, r.val_loss, r.val_accuracy, r.lr, r.seconds, r.extra];
}

export class PgStorage implements Storage {
  readonly location: string;
  private readonly db: PgClient;
  private readonly allocations: PgAllocations;

  private constructor(url: string, settings: PgSettings, options: PgOptions) {
    this.location = maskPassword(url);
    this.db = new PgClient(this.location, settings, {
      retryMs: options.retryMs ?? 60_000,
      max: options.poolSize ?? 4,
      ...(options.notify === undefined ? {} : { notify: options.notify }),
    });
    this.allocations = new PgAllocations(this.db);
  }

  /**
   * Connects, refuses a newer schema or another application's tables, and migrates. With
   * sslmode=prefer (as libpq) a server without TLS is used in the clear.
   */
  static async open(url: string, options: PgOptions = {}): Promise<PgStorage> {
    const settings = pgSettings(url);
    try {
      return await PgStorage.connect(url, settings, options);
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      if (settings.sslMode !== 'prefer' || !/does not support SSL/i.test(String(cause))) throw error;
      return PgStorage.connect(url, { ...settings, config: { ...settings.config, ssl: false } }, options);
    }
  }

  private static async connect(url: string, settings: PgSettings, options: PgOptions): Promise<PgStorage> {
    const storage = new PgStorage(url, settings, options);
    try {
      await storage.db.transaction((q) => migratePg(q, storage.location, options.migrations ?? PG_MIGRATIONS, options.mustExist === true));
      return storage;
    } catch (error) {
      await storage.db.close();
      throw storage.db.toStorageError(error);
    }
  }

  private read<T>(fn: (q: Q) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  private async studyRow(q: Q, studyId: number): Promise<StudyRow> {
    const [row] = await q<StudyRow>(SQL.studyById, [studyId]);
    if (row === undefined) throw studyNotFound(studyId);
    return row;
  }

  private async trialRow(q: Q, studyId: number, trialNumber: number): Promise<TrialRow> {
    const [row] = await q<TrialRow>(SQL.trialByNumber, [studyId, trialNumber]);
    if (row !== undefined) return row;
    await this.studyRow(q, studyId);
    throw trialNotFound(studyId, trialNumber);
  }

  private async assemble(q: Q, row: TrialRow): Promise<FrozenTrial> {
    const [params, attrs] = [await q<ParamRow>(SQL.paramsOfTrial, [row.id]), await q<AttrRow>(SQL.attrsOfTrial, [row.id])];
    return toTrial(row, params, attrs);
  }

  async createStudy(study: NewStudy): Promise<StudyRecord> {
    try {
      const [row] = await this.db.query<StudyRow>(SQL.insertStudy, [
        study.name, study.specText, study.specHash, study.specJson, study.direction, study.metric, study.seed,
      ]);
      return toStudy(row!);
    } catch (error) {
      if (sqlState((error as { cause?: unknown }).cause ?? error) === '23505') throw new StudyExistsError(study.name, this.location);
      throw error;
    }
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    const [row] = await this.db.query<StudyRow>(SQL.studyByName, [name]);
    return row === undefined ? null : toStudy(row);
  }

  listStudies(): Promise<StudySummary[]> {
    return this.read(async (q) => {
      const counts = new Map<number, Record<TrialState, number>>();
      for (const { study_id, state, n } of await q<{ study_id: number; state: TrialState; n: number }>(SQL.stateCounts)) {
        const c = counts.get(study_id) ?? emptyCounts();
        c[state] = n;
        counts.set(study_id, c);
      }
      const ranges = new Map((await q<{ study_id: number; lo: number; hi: number }>(SQL.completeRange)).map((r) => [r.study_id, r]));
      return (await q<StudyRow>(SQL.allStudies)).map((row) => {
        const study = toStudy(row);
        const range = ranges.get(study.id);
        const best = range === undefined ? null : study.direction === 'minimize' ? range.lo : range.hi;
        return { ...study, counts: counts.get(study.id) ?? emptyCounts(), best };
      });
    });
  }

  async updateStudySpec(studyId: number, spec: Pick<NewStudy, 'specText' | 'specHash' | 'specJson'>): Promise<void> {
    const rows = await this.db.query(SQL.updateSpec, [spec.specText, spec.specHash, spec.specJson, studyId]);
    if (rows.length === 0) throw studyNotFound(studyId);
  }

  async setStudyAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    // Read, merge, and write only if no one wrote in between (else again): no lock is held across round trips.
    for (;;) {
      const [row] = await this.db.query<StudyRow>(SQL.studyById, [studyId]);
      if (row === undefined) throw studyNotFound(studyId);
      const attrs = toStudy(row).attrs;
      attrs[key] = value;
      if ((await this.db.query(SQL.updateStudyAttrs, [encodeJson(attrs), studyId, row.attrs])).length > 0) return;
    }
  }

  createTrial(
    studyId: number,
    options: { cap: number | null; worker: string; build: (number: number) => NewTrial; lookahead?: number },
  ): Promise<FrozenTrial | null> {
    return this.allocations.createTrial(studyId, options);
  }

  claimUnfinishedTrial(
    studyId: number,
    options: { worker: string; staleBefore: string | null; orphanOwners: readonly string[]; maxAttempts: number | null },
  ): Promise<FrozenTrial | null> {
    return this.allocations.claim(studyId, options);
  }

  async appendEpochs(studyId: number, trialNumber: number, epochs: readonly EpochRecord[], owner?: TrialOwner): Promise<void> {
    const repeated = checkEpochs(trialNumber, epochs, undefined, false); // splitMetrics checks the metrics
    const columns = epochColumns(epochs);
    type Owned = { state: TrialState; worker: string | null; attempt: number };
    let row: Owned | undefined;
    if (repeated !== null) {
      // Refused whole; the trial's own checks (ownership first) still speak first, as in SQLite.
      row = (await this.read((q) => this.trialRow(q, studyId, trialNumber))) as Owned;
    } else {
      try {
        // A retry after a try cut off as it committed finds that try's rows: they are these.
        [row] = (await this.db.write<Owned>(SQL.appendEpochs, [studyId, trialNumber, owner?.worker ?? null, owner?.attempt ?? null, ...columns], SQL.appendEpochsAgain)).rows;
      } catch (error) {
        if (sqlState((error as { cause?: unknown }).cause) === '23505') throw new DuplicateEpochError(studyId, trialNumber, null);
        throw error;
      }
      if (row === undefined) {
        // No trial when the statement ran (NotFoundError now, unless another process has just made one).
        const now = (await this.read((q) => this.trialRow(q, studyId, trialNumber))) as Owned;
        assertOwner(studyId, trialNumber, now, owner, 'record epochs of');
        throw trialNotFound(studyId, trialNumber);
      }
    }
    // The statement wrote nothing exactly when one of these throws.
    assertOwner(studyId, trialNumber, row, owner, 'record epochs of');
    assertMutable(studyId, trialNumber, row.state, 'record epochs of');
    if (repeated !== null) throw new DuplicateEpochError(studyId, trialNumber, repeated);
  }

  async heartbeat(studyId: number, trialNumbers: readonly number[], worker: string): Promise<void> {
    await this.db.query(SQL.heartbeat, [studyId, [...trialNumbers], worker]);
  }

  async finishTrial(studyId: number, trialNumber: number, finish: TrialFinish, owner?: TrialOwner): Promise<FrozenTrial> {
    try {
      const epochs = finish.epochs ?? [];
      // An epoch repeated among them: appendEpochs refuses it, with the checks in its order.
      if (checkEpochs(trialNumber, epochs, undefined, false) !== null) await this.appendEpochs(studyId, trialNumber, epochs, owner);
      return await this.finishOnce(studyId, trialNumber, finish, owner);
    } finally {
      this.allocations.release(studyId, trialNumber);
    }
  }

  private async finishOnce(studyId: number, trialNumber: number, finish: TrialFinish, owner?: TrialOwner): Promise<FrozenTrial> {
    const attrs = Object.entries(finish.attrs ?? {}).map(([key, value]) => ({ key, value: encodeJson(value) }));
    type Finished = Partial<TrialRow> & Assembled & { was_state: TrialState; was_worker: string | null; was_attempt: number; count: number; next: number };
    let written: { rows: Finished[]; retried: boolean };
    try {
      written = await this.db.write<Finished>(SQL.finishOne, [
        studyId, trialNumber, finish.state, finish.value, finish.error, owner?.worker ?? null, owner?.attempt ?? null,
        attrs.map((a) => a.key), attrs.map((a) => a.value), ...epochColumns(finish.epochs ?? []),
      ]);
    } catch (error) {
      if (sqlState((error as { cause?: unknown }).cause) === '23505') throw new DuplicateEpochError(studyId, trialNumber, null);
      throw error;
    }
    const { rows, retried } = written;
    const [row] = rows;
    if (row === undefined) {
      await this.read((q) => this.trialRow(q, studyId, trialNumber)); // throws NotFoundError
      throw trialNotFound(studyId, trialNumber);
    }
    this.allocations.hint(studyId, { count: row.count, next: row.next });
    const was = { state: row.was_state, worker: row.was_worker, attempt: row.was_attempt };
    const mine = owner === undefined || (was.worker === owner.worker && was.attempt === owner.attempt);
    if (retried && (row.id === null || row.id === undefined) && was.state === finish.state && mine) {
      // A try cut off as it committed stored this very finish.
      const stored = await this.getTrial(studyId, trialNumber);
      if (stored !== null) return stored;
    }
    // The statement wrote nothing exactly when one of these throws.
    assertOwner(studyId, trialNumber, was, owner, `mark ${finish.state}`);
    assertMutable(studyId, trialNumber, was.state, `mark ${finish.state}`);
    if (row.id === null || row.id === undefined) throw new Error(`trial ${trialNumber} of study ${studyId}: the finish wrote nothing`);
    const trialId = row.id;
    const merged = new Map(row.attrs!.map((a) => [a.key, a]));
    for (const a of attrs) merged.set(a.key, { ...a, trial_id: trialId });
    return toTrial(row as TrialRow, row.params!, [...merged.values()]);
  }

  async setTrialAttrs(studyId: number, trialNumber: number, attrs: Attrs): Promise<void> {
    const entries = Object.entries(attrs);
    const [row] = await this.db.query<{ state: TrialState }>(SQL.setTrialAttrs, [
      studyId, trialNumber, entries.map(([k]) => k), entries.map(([, v]) => encodeJson(v)),
    ]);
    if (row === undefined) {
      await this.read((q) => this.trialRow(q, studyId, trialNumber)); // throws NotFoundError
      throw trialNotFound(studyId, trialNumber);
    }
    assertMutable(studyId, trialNumber, row.state, 'set attributes of');
  }

  async restoreTrialTimes(studyId: number, trialNumber: number, times: TrialTimes): Promise<void> {
    // One statement: no lock is held across round trips.
    const rows = await this.db.query<{ id: number }>(SQL.restoreTimes, [studyId, trialNumber, times.attempt, times.started, times.finished, times.heartbeat]);
    if (rows.length === 0) {
      await this.read((q) => this.trialRow(q, studyId, trialNumber)); // throws NotFoundError
      throw trialNotFound(studyId, trialNumber);
    }
  }

  getTrial(studyId: number, trialNumber: number): Promise<FrozenTrial | null> {
    return this.read(async (q) => {
      const [row] = await q<TrialRow>(SQL.trialByNumber, [studyId, trialNumber]);
      if (row === undefined) await this.studyRow(q, studyId);
      return row === undefined ? null : this.assemble(q, row);
    });
  }

  async listTrials(studyId: number, filter: TrialsFilter = {}): Promise<FrozenTrial[]> {
    const omit = [...(filter.omitAttrs ?? [])];
    if (filter.states !== undefined) {
      // Trials of some states (an orphan scan reads the unfinished few, every second in every
      // worker): one statement, the rows with their parameters and attributes.
      const rows = await this.db.query<Partial<TrialRow> & Assembled & { study: number }>(SQL.trialsInStates, [studyId, [...filter.states], omit]);
      if (rows[0]!.study === 0) throw studyNotFound(studyId);
      return rows.filter((r) => r.id !== null && r.id !== undefined).map((r) => toTrial(r as TrialRow, r.params ?? [], r.attrs ?? []));
    }
    return this.read(async (q) => {
      await this.studyRow(q, studyId);
      const rows = await q<TrialRow>(SQL.trialsOfStudy, [studyId]);
      const params = byTrial(await q<ParamRow>(SQL.paramsOfStudy, [studyId]));
      const attrs = byTrial(await q<AttrRow>(SQL.attrsOfStudy, [studyId, omit]));
      return rows.map((row) => toTrial(row, params.get(row.id) ?? [], attrs.get(row.id) ?? []));
    });
  }

  getEpochs(studyId: number, trialNumber: number): Promise<EpochRecord[]> {
    return this.read(async (q) => {
      const trial = await this.trialRow(q, studyId, trialNumber);
      return (await q<EpochRow>(SQL.epochsOfTrial, [trial.id])).map((r) => toEpoch(cells(r)));
    });
  }

  topTrials(studyId: number, query: TopTrialsQuery): Promise<FrozenTrial[]> {
    return this.read(async (q) => {
      await this.studyRow(q, studyId);
      const limit = Math.max(0, Math.floor(query.limit));
      if (limit === 0) return [];
      const rows = await q<TrialRow>(query.direction === 'minimize' ? SQL.rankMinimize : SQL.rankMaximize, [studyId, limit]);
      if (rows.length < limit) rows.push(...(await q<TrialRow>(SQL.rankUnvalued, [studyId, limit - rows.length])));
      const out: FrozenTrial[] = [];
      for (const row of rows) out.push(await this.assemble(q, row));
      return out;
    });
  }

  getStudyEpochs(studyId: number, filter: StudyEpochsFilter = {}): Promise<Map<number, EpochRecord[]>> {
    return this.read(async (q) => {
      await this.studyRow(q, studyId);
      const states = filter.states === undefined ? null : [...filter.states];
      const out = new Map<number, EpochRecord[]>();
      for (const r of await q<EpochRow & { number: number }>(SQL.epochsOfStudy, [studyId, states])) {
        let curve = out.get(r.number);
        if (curve === undefined) out.set(r.number, (curve = []));
        if (r.epoch !== null) curve.push(toEpoch(cells(r)));
      }
      if (filter.metrics !== undefined) {
        const keep = new Set(filter.metrics);
        for (const [number, curve] of out) out.set(number, keepMetrics(curve, keep));
      }
      return out;
    });
  }

  async currentTime(): Promise<string> {
    const [row] = await this.db.query<{ now: string }>(SQL.now);
    return row!.now;
  }

  /** "ok", or the rows that break rules the constraints do not state, one a line. */
  async integrityCheck(): Promise<string> {
    const problems = await this.db.query<{ problem: string }>(SQL.integrity);
    return problems.length === 0 ? 'ok' : problems.map((p) => p.problem).join('\n');
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** appendEpochs' and finishOne's epoch parameters: the epoch numbers, each metric column, the other metrics as JSON. */
function epochColumns(epochs: readonly EpochRecord[]): unknown[][] {
  const columns: unknown[][] = [[], [], [], [], [], [], [], []];
  for (const e of epochs) {
    const { standard, extra } = splitMetrics(e.metrics);
    columns[0]!.push(e.epoch);
    standard.forEach((v, i) => columns[i + 1]!.push(v));
    columns[7]!.push(extra);
  }
  return columns;
}

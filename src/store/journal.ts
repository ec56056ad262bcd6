/**
 * Storage in an append-only journal file on a shared file system (`journal:/shared/study.log`),
 * for clusters without a database server: any number of processes on any number of hosts
 * read and write one file. Each process keeps the study state in memory (a MemoryStorage,
 * so the rules are the memory storage's) and replays the lines other processes appended
 * since the byte offset it has read. A write takes the lock file (journal-lock.ts), catches
 * up, applies the operation to the state (which checks it: trial numbers, the cap,
 * ownership — atomic, as no one else writes meanwhile), appends one line with an fsync and
 * releases the lock.
 */
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StorageError, errorMessage } from '../core/errors.js';
import type { Attrs, EpochRecord, FrozenTrial, JsonValue } from '../core/types.js';
import { decodeJson, encodeJson } from './encode.js';
import { StudyExistsError } from './errors.js';
import { JOURNAL_VERSION, appendAt, checkHeader, headerLine, readLines, withFile } from './journal-file.js';
import type { Chunk } from './journal-file.js';
import { acquireLock, releaseLock } from './journal-lock.js';
import type { HeldLock, LockOptions } from './journal-lock.js';
import { journalLocation } from './journal-location.js';
import type { JournalLine, JournalOp } from './journal-ops.js';
import { applyOp } from './journal-ops.js';
import { MemoryStorage } from './memory.js';
import type { StudyEpochsFilter, TopTrialsQuery, TrialsFilter } from './ranking.js';
import type { NewStudy, NewTrial, Storage, StudyRecord, StudySummary, TrialFinish, TrialOwner, TrialTimes } from './storage.js';

export interface JournalOptions extends LockOptions {
  /** Queries: nothing is created or written, not even the lock file. */
  readOnly?: boolean;
}

/** A host clock this far from the file server's (the lock file's mtime) is corrected to it. */
const SKEW_MS = 1_000;

export class JournalStorage implements Storage {
  readonly location: string;
  private readonly lockPath: string;
  private state!: MemoryStorage;
  /** The time the state's clock reads: the time of the line being applied. */
  private opTimeMs = 0;
  private lastAtMs = 0;
  private offset = 0;
  private lineNo = 0;
  /** The journal's format version, from its header (JOURNAL_VERSION until it is read). */
  private version = JOURNAL_VERSION;
  private problems: string[] = [];
  private skewMs = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly options: JournalOptions,
  ) {
    this.location = journalLocation(path);
    this.lockPath = `${path}.lock`;
    this.reset();
  }

  /** Opens (a writable open creates it, with its directory) and replays the journal at `path`. */
  static async open(path: string, options: JournalOptions = {}): Promise<JournalStorage> {
    const storage = new JournalStorage(path, options);
    if (options.readOnly !== true) await storage.create();
    await storage.serial(() => storage.refresh());
    return storage;
  }

  private reset(): void {
    this.state = new MemoryStorage({ now: () => new Date(this.opTimeMs) });
    this.offset = 0;
    this.lineNo = 0;
    this.problems = [];
  }

  private async create(): Promise<void> {
    if (withFileSize(this.path) > 0) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
    } catch (error) {
      throw new StorageError(`${this.path}: cannot create its directory: ${errorMessage(error)}`, { cause: error });
    }
    await this.locked(() => {
      if (!existsSync(this.path)) {
        const fd = openSync(this.path, 'wx');
        closeSync(fd);
      }
      withFile(this.path, 'r+', (fd) => {
        const chunk = readLines(fd, 0);
        if (chunk.size === 0) writeSync(fd, headerLine(new Date()));
      });
      return Promise.resolve();
    });
  }

  /** Runs `fn` after every earlier operation of this process has ended (one at a time, in order). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed) throw new StorageError(`${this.location}: the storage is closed`);
      return fn();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async locked<T>(fn: (lock: HeldLock) => Promise<T>): Promise<T> {
    const lock = await acquireLock(this.lockPath, this.options);
    try {
      return await fn(lock);
    } finally {
      releaseLock(lock);
    }
  }

  /** Applies the complete lines of `chunk` (read from this.offset). */
  private async replay(chunk: Chunk): Promise<void> {
    for (const line of chunk.lines) {
      this.lineNo++;
      if (this.lineNo === 1) {
        this.version = checkHeader(this.path, line);
        continue;
      }
      try {
        const op = decodeJson(line) as unknown as JournalLine;
        this.opTimeMs = Date.parse(op.at);
        this.lastAtMs = Math.max(this.lastAtMs, this.opTimeMs);
        await applyOp(this.state, op);
      } catch (error) {
        this.problems.push(`${this.path}:${this.lineNo}: ${errorMessage(error)}`);
      }
    }
    this.offset = chunk.end;
  }

  /** Reads what other processes appended since the last read. */
  private async refresh(): Promise<void> {
    if (!existsSync(this.path)) throw new StorageError(`${this.path}: the journal is gone`);
    const chunk = withFile(this.path, 'r', (fd) => readLines(fd, this.offset));
    // A file with content but not one whole line is no journal of ours (ours start with a header line).
    if (this.lineNo === 0 && chunk.lines.length === 0 && chunk.size > 0) checkHeader(this.path, '');
    await this.replay(chunk);
  }

  private read<T>(fn: (state: MemoryStorage) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      await this.refresh();
      return fn(this.state);
    });
  }

  /** The time stamped on a line written under `lock`: this host's clock (or the file server's, when they differ by over a second), never before the last line. */
  private stamp(lock: HeldLock): number {
    const skew = lock.takenAtMs - Date.now();
    this.skewMs = Math.abs(skew) > SKEW_MS ? skew : 0;
    return Math.max(Date.now() + this.skewMs, this.lastAtMs);
  }

  /**
   * Under the lock, with the state caught up and its clock set: `run` applies the operation
   * to the state and returns the result and the line to append (null: nothing changed).
   */
  private mutate<T>(run: (state: MemoryStorage) => Promise<[T, JournalOp | null]>): Promise<T> {
    return this.serial(async () => {
      if (this.options.readOnly === true) throw new StorageError(`${this.location}: opened read-only`);
      // Catch up before taking the lock: with many writers most lines are other processes',
      // and replaying them under the lock would make every writer wait for it.
      await this.refresh();
      return this.locked(async (lock) => {
        const fd = openOrThrow(this.path);
        try {
          const chunk = readLines(fd, this.offset);
          await this.replay(chunk);
          this.opTimeMs = this.stamp(lock);
          const [result, op] = await run(this.state);
          if (op === null) return result;
          const at = new Date(this.opTimeMs).toISOString();
          try {
            this.offset = appendAt(fd, chunk.end, chunk.size, `${encodeJson({ ...op, at })}\n`);
          } catch (error) {
            this.reset(); // the state holds a change the file does not: replay from the start next time
            throw new StorageError(`${this.path}: cannot append to the journal: ${errorMessage(error)}`, { cause: error });
          }
          this.lineNo++;
          this.lastAtMs = this.opTimeMs;
          return result;
        } finally {
          closeSync(fd);
        }
      });
    });
  }

  /** A change whose line is the operation itself. */
  private change(op: JournalOp): Promise<void> {
    return this.mutate(async (state) => [await applyOp(state, op), op]);
  }

  async createStudy(study: NewStudy): Promise<StudyRecord> {
    const { name, specText, specHash, specJson, direction, metric, seed } = study;
    const copy: NewStudy = { name, specText, specHash, specJson, direction, metric, seed };
    try {
      return await this.mutate(async (state) => [await state.createStudy(copy), { op: 'createStudy', study: copy }]);
    } catch (error) {
      throw error instanceof StudyExistsError ? new StudyExistsError(name, this.location) : error;
    }
  }

  getStudy(name: string): Promise<StudyRecord | null> {
    return this.read((s) => s.getStudy(name));
  }

  listStudies(): Promise<StudySummary[]> {
    return this.read((s) => s.listStudies());
  }

  updateStudySpec(studyId: number, spec: Pick<NewStudy, 'specText' | 'specHash' | 'specJson'>): Promise<void> {
    return this.change({ op: 'updateStudySpec', studyId, spec: { specText: spec.specText, specHash: spec.specHash, specJson: spec.specJson } });
  }

  setStudyAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    return this.change({ op: 'setStudyAttr', studyId, key, value });
  }

  createTrial(studyId: number, options: { cap: number | null; worker: string; build: (number: number) => NewTrial }): Promise<FrozenTrial | null> {
    return this.mutate(async (state) => {
      let built: NewTrial | null = null;
      const trial = await state.createTrial(studyId, { cap: options.cap, worker: options.worker, build: (n) => (built = options.build(n)) });
      if (trial === null || built === null) return [null, null];
      return [trial, { op: 'createTrial', studyId, worker: options.worker, number: trial.number, trial: built }];
    });
  }

  claimUnfinishedTrial(
    studyId: number,
    options: { worker: string; staleBefore: string | null; orphanOwners: readonly string[]; maxAttempts: number | null },
  ): Promise<FrozenTrial | null> {
    const { worker, staleBefore, orphanOwners, maxAttempts } = options;
    return this.mutate(async (state) => {
      const trial = await state.claimUnfinishedTrial(studyId, { worker, staleBefore, orphanOwners: [...orphanOwners], maxAttempts });
      return trial === null ? [null, null] : [trial, { op: 'claim', studyId, worker, staleBefore, orphanOwners: [...orphanOwners], maxAttempts, number: trial.number }];
    });
  }

  appendEpochs(studyId: number, trialNumber: number, epochs: readonly EpochRecord[], owner?: TrialOwner): Promise<void> {
    return this.change({ op: 'appendEpochs', studyId, trialNumber, epochs, ...(owner === undefined ? {} : { owner }) });
  }

  heartbeat(studyId: number, trialNumbers: readonly number[], worker: string): Promise<void> {
    return this.change({ op: 'heartbeat', studyId, trialNumbers, worker });
  }

  async finishTrial(studyId: number, trialNumber: number, finish: TrialFinish, owner?: TrialOwner): Promise<FrozenTrial> {
    const { epochs = [], ...rest } = finish;
    // A version-1 journal's readers know no epochs in a finish line: there they get a line of their own.
    const inLine = epochs.length > 0 && this.version >= 2;
    if (!inLine && epochs.length > 0) await this.appendEpochs(studyId, trialNumber, epochs, owner);
    const written: TrialFinish = inLine ? finish : rest;
    const op: JournalOp = { op: 'finishTrial', studyId, trialNumber, finish: written, ...(owner === undefined ? {} : { owner }) };
    return this.mutate(async (state) => [await state.finishTrial(studyId, trialNumber, written, owner), op]);
  }

  setTrialAttrs(studyId: number, trialNumber: number, attrs: Attrs): Promise<void> {
    return this.change({ op: 'setTrialAttrs', studyId, trialNumber, attrs });
  }

  restoreTrialTimes(studyId: number, trialNumber: number, times: TrialTimes): Promise<void> {
    const { attempt, started, finished, heartbeat } = times;
    return this.change({ op: 'restoreTrialTimes', studyId, trialNumber, times: { attempt, started, finished, heartbeat } });
  }

  getTrial(studyId: number, trialNumber: number): Promise<FrozenTrial | null> {
    return this.read((s) => s.getTrial(studyId, trialNumber));
  }

  listTrials(studyId: number, filter?: TrialsFilter): Promise<FrozenTrial[]> {
    return this.read((s) => s.listTrials(studyId, filter));
  }

  getEpochs(studyId: number, trialNumber: number): Promise<EpochRecord[]> {
    return this.read((s) => s.getEpochs(studyId, trialNumber));
  }

  getStudyEpochs(studyId: number, filter?: StudyEpochsFilter): Promise<Map<number, EpochRecord[]>> {
    return this.read((s) => s.getStudyEpochs(studyId, filter));
  }

  topTrials(studyId: number, query: TopTrialsQuery): Promise<FrozenTrial[]> {
    return this.read((s) => s.topTrials(studyId, query));
  }

  currentTime(): Promise<string> {
    return Promise.resolve(new Date(Date.now() + this.skewMs).toISOString());
  }

  integrityCheck(): Promise<string> {
    return this.read(() => Promise.resolve(this.problems.length === 0 ? 'ok' : this.problems.join('\n')));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    await this.state.close();
  }
}

function withFileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function openOrThrow(path: string): number {
  try {
    return openSync(path, 'r+');
  } catch (error) {
    throw new StorageError(`${path}: cannot open the journal for writing: ${errorMessage(error)}`, { cause: error });
  }
}

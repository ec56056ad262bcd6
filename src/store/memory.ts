/** Storage in the process's memory (`:memory:`): for tests and throw-away studies. */
import { deathsOf } from '../core/attempts.js';
import { StorageError } from '../core/errors.js';
import type { Attrs, EpochRecord, FrozenTrial, JsonValue } from '../core/types.js';
import { rankByValue } from '../core/types.js';
import {
  assertMutable,
  assertOwner,
  bestValue,
  checkEpochs,
  emptyCounts,
  nowIso,
  studyNotFound,
  TRIAL_ATTRS_KEPT_ON_CLAIM,
  trialNotFound,
} from './common.js';
import { DuplicateEpochError, StudyExistsError } from './errors.js';
import { clonePlain } from './clone.js';
import { keepMetrics } from './ranking.js';
import type { StudyEpochsFilter, TopTrialsQuery, TrialsFilter } from './ranking.js';
import type { NewStudy, NewTrial, Storage, StudyRecord, StudySummary, TrialFinish, TrialOwner, TrialTimes } from './storage.js';

interface TrialEntry {
  trial: FrozenTrial;
  epochs: EpochRecord[];
}

interface StudyEntry {
  study: StudyRecord;
  trials: TrialEntry[];
}

const copy = clonePlain;

export class MemoryStorage implements Storage {
  readonly location = ':memory:';
  private readonly studies = new Map<number, StudyEntry>();
  private nextStudyId = 1;
  private closed = false;
  private readonly now: () => Date;

  constructor(options: { now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
  }

  /** Runs `fn` now; its result or throw becomes a settled Promise. */
  private run<T>(fn: () => T): Promise<T> {
    try {
      if (this.closed) throw new StorageError(`${this.location}: the storage is closed`);
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private entry(studyId: number): StudyEntry {
    const s = this.studies.get(studyId);
    if (s === undefined) throw studyNotFound(studyId);
    return s;
  }

  private trialEntry(studyId: number, trialNumber: number): TrialEntry {
    const t = this.entry(studyId).trials[trialNumber];
    if (t === undefined) throw trialNotFound(studyId, trialNumber);
    return t;
  }

  createStudy(study: NewStudy): Promise<StudyRecord> {
    return this.run(() => {
      for (const s of this.studies.values()) if (s.study.name === study.name) throw new StudyExistsError(study.name, this.location);
      const record: StudyRecord = {
        id: this.nextStudyId++,
        name: study.name,
        specText: study.specText,
        specHash: study.specHash,
        specJson: study.specJson,
        direction: study.direction,
        metric: study.metric,
        seed: study.seed,
        created: nowIso(this.now),
        attrs: {},
      };
      this.studies.set(record.id, { study: record, trials: [] });
      return copy(record);
    });
  }

  getStudy(name: string): Promise<StudyRecord | null> {
    return this.run(() => {
      for (const s of this.studies.values()) if (s.study.name === name) return copy(s.study);
      return null;
    });
  }

  listStudies(): Promise<StudySummary[]> {
    return this.run(() => {
      const out: StudySummary[] = [];
      for (const { study, trials } of this.studies.values()) {
        const counts = emptyCounts();
        for (const t of trials) counts[t.trial.state]++;
        const complete = trials.filter((t) => t.trial.state === 'complete').map((t) => t.trial.value);
        out.push({ ...copy(study), counts, best: bestValue(complete, study.direction) });
      }
      return out.sort((a, b) => a.id - b.id);
    });
  }

  updateStudySpec(studyId: number, spec: Pick<NewStudy, 'specText' | 'specHash' | 'specJson'>): Promise<void> {
    return this.run(() => {
      const { study } = this.entry(studyId);
      study.specText = spec.specText;
      study.specHash = spec.specHash;
      study.specJson = spec.specJson;
    });
  }

  setStudyAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    return this.run(() => {
      this.entry(studyId).study.attrs[key] = copy(value);
    });
  }

  createTrial(
    studyId: number,
    options: { cap: number | null; worker: string; build: (number: number) => NewTrial },
  ): Promise<FrozenTrial | null> {
    return this.run(() => {
      const { trials } = this.entry(studyId);
      if (options.cap !== null && trials.length >= options.cap) return null;
      const number = trials.length;
      const built = copy(options.build(number));
      const now = nowIso(this.now);
      const trial: FrozenTrial = {
        studyId,
        number,
        state: 'running',
        params: built.params,
        distributions: built.distributions,
        value: null,
        seed: built.seed,
        attempt: 1,
        started: now,
        finished: null,
        heartbeat: now,
        worker: options.worker,
        error: null,
        attrs: built.attrs ?? {},
      };
      trials.push({ trial, epochs: [] });
      return copy(trial);
    });
  }

  claimUnfinishedTrial(
    studyId: number,
    options: { worker: string; staleBefore: string | null; orphanOwners: readonly string[]; maxAttempts: number | null },
  ): Promise<FrozenTrial | null> {
    return this.run(() => {
      const { staleBefore, orphanOwners, maxAttempts } = options;
      const found = this.entry(studyId).trials.find(({ trial: t }) => {
        if (maxAttempts !== null && deathsOf(t) >= maxAttempts) return false;
        if (t.state === 'interrupted' || t.state === 'waiting') return true;
        if (t.state !== 'running') return false;
        if (t.worker !== null && orphanOwners.includes(t.worker)) return true;
        return staleBefore !== null && (t.heartbeat === null || t.heartbeat < staleBefore);
      });
      if (found === undefined) return null;
      const now = nowIso(this.now);
      Object.assign(found.trial, {
        state: 'running',
        attempt: found.trial.attempt + 1,
        worker: options.worker,
        started: now,
        heartbeat: now,
        finished: null,
        value: null,
        error: null,
      } satisfies Partial<FrozenTrial>);
      found.epochs = [];
      found.trial.attrs = Object.fromEntries(Object.entries(found.trial.attrs).filter(([k]) => TRIAL_ATTRS_KEPT_ON_CLAIM.includes(k)));
      return copy(found.trial);
    });
  }

  appendEpochs(studyId: number, trialNumber: number, epochs: readonly EpochRecord[], owner?: TrialOwner): Promise<void> {
    return this.run(() => {
      const entry = this.trialEntry(studyId, trialNumber);
      assertOwner(studyId, trialNumber, entry.trial, owner, 'record epochs of');
      assertMutable(studyId, trialNumber, entry.trial.state, 'record epochs of');
      this.addEpochs(studyId, entry, epochs);
    });
  }

  /** Adds `epochs` to the trial, or throws (having added none) when one is there already. */
  private addEpochs(studyId: number, entry: TrialEntry, epochs: readonly EpochRecord[]): void {
    const repeated = checkEpochs(entry.trial.number, epochs, new Set(entry.epochs.map((e) => e.epoch)));
    if (repeated !== null) throw new DuplicateEpochError(studyId, entry.trial.number, repeated);
    entry.epochs.push(...copy(epochs));
    entry.epochs.sort((a, b) => a.epoch - b.epoch);
  }

  heartbeat(studyId: number, trialNumbers: readonly number[], worker: string): Promise<void> {
    return this.run(() => {
      const { trials } = this.entry(studyId);
      const now = nowIso(this.now);
      for (const n of trialNumbers) {
        const t = trials[n]?.trial;
        if (t !== undefined && t.state === 'running' && t.worker === worker) t.heartbeat = now;
      }
    });
  }

  finishTrial(studyId: number, trialNumber: number, finish: TrialFinish, owner?: TrialOwner): Promise<FrozenTrial> {
    return this.run(() => {
      const entry = this.trialEntry(studyId, trialNumber);
      const { trial } = entry;
      assertOwner(studyId, trialNumber, trial, owner, `mark ${finish.state}`);
      assertMutable(studyId, trialNumber, trial.state, `mark ${finish.state}`);
      if (finish.epochs !== undefined) this.addEpochs(studyId, entry, finish.epochs);
      trial.state = finish.state;
      trial.value = finish.value;
      trial.error = finish.error;
      trial.finished = nowIso(this.now);
      Object.assign(trial.attrs, copy(finish.attrs ?? {}));
      return copy(trial);
    });
  }

  setTrialAttrs(studyId: number, trialNumber: number, attrs: Attrs): Promise<void> {
    return this.run(() => {
      const { trial } = this.trialEntry(studyId, trialNumber);
      assertMutable(studyId, trialNumber, trial.state, 'set attributes of');
      Object.assign(trial.attrs, copy(attrs));
    });
  }

  restoreTrialTimes(studyId: number, trialNumber: number, times: TrialTimes): Promise<void> {
    return this.run(() => {
      const { trial } = this.trialEntry(studyId, trialNumber);
      Object.assign(trial, { attempt: times.attempt, started: times.started, finished: times.finished, heartbeat: times.heartbeat });
    });
  }

  getTrial(studyId: number, trialNumber: number): Promise<FrozenTrial | null> {
    return this.run(() => {
      const t = this.entry(studyId).trials[trialNumber];
      return t === undefined ? null : copy(t.trial);
    });
  }

  listTrials(studyId: number, filter: TrialsFilter = {}): Promise<FrozenTrial[]> {
    return this.run(() => {
      const { states, omitAttrs = [] } = filter;
      const trials = this.entry(studyId).trials.map((t) => t.trial);
      const listed = copy(states === undefined ? trials : trials.filter((t) => states.includes(t.state)));
      for (const t of listed) for (const key of omitAttrs) delete t.attrs[key];
      return listed;
    });
  }

  getEpochs(studyId: number, trialNumber: number): Promise<EpochRecord[]> {
    return this.run(() => {
      return copy(this.trialEntry(studyId, trialNumber).epochs);
    });
  }

  getStudyEpochs(studyId: number, filter: StudyEpochsFilter = {}): Promise<Map<number, EpochRecord[]>> {
    return this.run(() => {
      const out = new Map<number, EpochRecord[]>();
      const keep = filter.metrics === undefined ? undefined : new Set(filter.metrics);
      for (const t of this.entry(studyId).trials) {
        if (filter.states !== undefined && !filter.states.includes(t.trial.state)) continue;
        out.set(t.trial.number, copy(keep === undefined ? t.epochs : keepMetrics(t.epochs, keep)));
      }
      return out;
    });
  }

  topTrials(studyId: number, query: TopTrialsQuery): Promise<FrozenTrial[]> {
    return this.run(() => {
      const complete = this.entry(studyId).trials.map((t) => t.trial).filter((t) => t.state === 'complete');
      return copy(rankByValue(complete, query.direction).slice(0, Math.max(0, query.limit)));
    });
  }

  integrityCheck(): Promise<string> {
    return this.run(() => 'ok');
  }

  currentTime(): Promise<string> {
    return this.run(() => nowIso(this.now));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

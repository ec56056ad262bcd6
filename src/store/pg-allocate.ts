/**
 * How PgStorage hands out trials (new ones, and unfinished ones to re-run), each in single
 * statements so that no lock is held while the process waits (a stopped process stalls no
 * one), and how it makes good a hand-out whose answer a lost connection swallowed. Every
 * trial handed out is held until its finish is written; a trial stored as running under
 * this process's owner that it does not hold is one such lost hand-out, and the next
 * hand-out after a lost connection takes it back (a fresh attempt) instead of waiting for
 * it to look stale. Hand-outs are one at a time, so none is mistaken for another's.
 */
import type { FrozenTrial } from '../core/types.js';
import { studyNotFound, TRIAL_ATTRS_KEPT_ON_CLAIM } from './common.js';
import { encodeJson } from './encode.js';
import type { PgClient } from './pg-client.js';
import { SQL } from './pg-sql.js';
import type { AttrRow, ParamRow, TrialRow } from './sqlite-rows.js';
import { paramRows, toTrial } from './sqlite-rows.js';
import type { NewTrial } from './storage.js';

/** A claimed trial's row with its parameters and attributes as json arrays (nulls when none was claimed). */
type Claimed = Partial<TrialRow> & { params: ParamRow[] | null; attrs: AttrRow[] | null; study: number };

/** A study's trial count and next trial number, as one statement saw them. */
export interface Allocation {
  count: number;
  next: number;
}

export interface ClaimOptions {
  worker: string;
  staleBefore: string | null;
  orphanOwners: readonly string[];
  maxAttempts: number | null;
}

export class PgAllocations {
  /** Per study, the trials handed out and not yet finished. */
  private readonly held = new Map<number, Set<number>>();
  private queue: Promise<unknown> = Promise.resolve();
  /** PgClient.losses when lost hand-outs were last looked for. */
  private reconciled = 0;
  /** Per study, the allocation a finish saw last: the next creation's first guess (used once). */
  private readonly hints = new Map<number, Allocation>();

  constructor(private readonly db: PgClient) {}

  createTrial(studyId: number, options: { cap: number | null; worker: string; build: (number: number) => NewTrial; lookahead?: number }): Promise<FrozenTrial | null> {
    return this.serial(studyId, options.worker, async () => {
      let seen: Allocation | null = null;
      for (;;) {
        // The count and next number: read, or as the insert that lost a race saw them.
        const current: Allocation = seen ?? this.takeHint(studyId) ?? (await this.allocation(studyId));
        const { count, next } = current;
        if (options.cap !== null && count >= options.cap) return null;
        const built = candidates(current, options);
        const cells = candidateCells(built);
        const { rows, retried } = await this.db.write<Partial<TrialRow> & Allocation>(
          SQL.insertTrial,
          [studyId, next, built.map((b) => b.trial.seed), options.worker, ...cells, options.cap],
          SQL.insertTrialAgain,
        );
        const row: Partial<TrialRow> & Allocation = rows[0]!;
        const id = row.id;
        const taken = row.number === undefined ? undefined : built[row.number - next];
        if (id !== null && id !== undefined && taken !== undefined) {
          // The trial as inserted, decoded from what was written (a copy), without reading it back.
          return toTrial(row as TrialRow, taken.params.map((p) => ({ ...p, trial_id: id })), taken.attrs.map((a) => ({ ...a, trial_id: id })));
        }
        // Other processes took the numbers (or a cut-off try of this one did): again, with the count the insert saw.
        seen = { count: row.count, next: row.next };
        if (retried) {
          const lost = await this.reclaim(studyId, options.worker);
          if (lost !== null) return lost;
          seen = null; // counted before the reclaim: count again
        }
      }
    });
  }

  /**
   * The study's count and next number as a statement just saw them (a finish): the next
   * creation tries it instead of reading them, one round trip fewer. A guess grown stale
   * costs nothing more: the insert that misses answers with the count it saw, and the cap
   * is safe, as the count only grows.
   */
  hint(studyId: number, seen: Allocation): void {
    this.hints.set(studyId, seen);
  }

  private takeHint(studyId: number): Allocation | undefined {
    const seen = this.hints.get(studyId);
    this.hints.delete(studyId);
    return seen;
  }

  /** The study's trial count and next number; NotFoundError when there is no such study. */
  private async allocation(studyId: number): Promise<Allocation> {
    const [row] = await this.db.query<Allocation & { study: number }>(SQL.allocation, [studyId]);
    if (row!.study === 0) throw studyNotFound(studyId);
    return { count: row!.count, next: row!.next };
  }

  claim(studyId: number, options: ClaimOptions): Promise<FrozenTrial | null> {
    return this.serial(studyId, options.worker, async () => {
      const [row] = await this.db.query<Claimed>(SQL.claimOne, [
        studyId, options.worker, [...TRIAL_ATTRS_KEPT_ON_CLAIM], options.maxAttempts, [...options.orphanOwners], options.staleBefore,
      ]);
      return claimed(studyId, row);
    });
  }

  /** The trial's finish was written (or refused): it is no longer held. */
  release(studyId: number, trialNumber: number): void {
    this.held.get(studyId)?.delete(trialNumber);
  }

  /** `fn` after every earlier hand-out has ended; first, after a lost connection, takes back a lost hand-out. */
  private serial(studyId: number, worker: string, fn: () => Promise<FrozenTrial | null>): Promise<FrozenTrial | null> {
    const run = this.queue.then(async () => {
      const seen = this.db.losses;
      const lost = seen === this.reconciled ? null : await this.reclaim(studyId, worker);
      this.reconciled = seen;
      const trial = lost ?? (await fn());
      if (trial !== null) this.holding(studyId).add(trial.number);
      return trial;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async reclaim(studyId: number, worker: string): Promise<FrozenTrial | null> {
    const [row] = await this.db.query<Claimed>(SQL.reclaimOwn, [studyId, worker, [...TRIAL_ATTRS_KEPT_ON_CLAIM], [...this.holding(studyId)]]);
    return claimed(studyId, row);
  }

  private holding(studyId: number): Set<number> {
    let numbers = this.held.get(studyId);
    if (numbers === undefined) this.held.set(studyId, (numbers = new Set()));
    return numbers;
  }
}

function claimed(studyId: number, row: Claimed | undefined): FrozenTrial | null {
  if (row!.study === 0) throw studyNotFound(studyId);
  return row!.id === null || row!.id === undefined ? null : toTrial(row as TrialRow, row!.params!, row!.attrs!);
}

/** A trial built for one candidate number, with its rows as written. */
interface Candidate {
  trial: NewTrial;
  params: ReturnType<typeof paramRows>;
  attrs: { key: string; value: string }[];
}

/**
 * The trials built for the next number and, with `lookahead`, the numbers after it (never
 * past the cap); a build that throws for a later number ends the list there (the first's
 * error propagates).
 */
function candidates(at: Allocation, options: { cap: number | null; build: (number: number) => NewTrial; lookahead?: number }): Candidate[] {
  const room = options.cap === null ? Infinity : options.cap - at.count;
  const wanted = Math.max(1, Math.min(1 + Math.max(0, Math.floor(options.lookahead ?? 0)), room));
  const out: Candidate[] = [];
  for (let k = 0; k < wanted; k++) {
    let trial: NewTrial;
    try {
      trial = options.build(at.next + k);
    } catch (error) {
      if (k === 0) throw error;
      break;
    }
    out.push({ trial, params: paramRows(trial), attrs: Object.entries(trial.attrs ?? {}).map(([key, value]) => ({ key, value: encodeJson(value) })) });
  }
  return out;
}

/** The candidates' parameter and attribute rows as the statement's arrays, each row tagged with its candidate's index. */
function candidateCells(built: readonly Candidate[]): unknown[][] {
  const params = built.flatMap((c, k) => c.params.map((p) => ({ k, ...p })));
  const attrs = built.flatMap((c, k) => c.attrs.map((a) => ({ k, ...a })));
  return [
    params.map((p) => p.k), params.map((p) => p.name), params.map((p) => p.value), params.map((p) => p.distribution),
    attrs.map((a) => a.k), attrs.map((a) => a.key), attrs.map((a) => a.value),
  ];
}

import type { Storage, TrialOwner } from '../store/storage.js';
import { TrialOwnershipError } from '../store/errors.js';
import type { EpochRecord } from '../core/types.js';

/** The queue's key of one attempt's rows (unguarded rows: the trial number alone). */
function keyOf(trialNumber: number, owner: TrialOwner | undefined): string {
  return owner === undefined ? `${trialNumber}` : `${trialNumber}\u0000${owner.attempt}\u0000${owner.worker}`;
}

/** Rows queued for one attempt of one trial, written with that attempt's ownership guard (if any). */
interface Batch {
  trialNumber: number;
  owner: TrialOwner | undefined;
  rows: EpochRecord[];
}

/**
 * Batches epoch rows from every running trial into few write transactions: rows are
 * flushed when `maxRows` are queued, after `maxDelayMs`, or when a trial ends. Rows added
 * with their trial's owner (worker and attempt) are written guarded by it, so a trial that
 * another process has taken over refuses them (TrialOwnershipError) instead of mixing them
 * into the new attempt. A failed write never rejects a flush (a background flush has no one to
 * tell): it is kept for its trial, and {@link takeFailure} hands it to whoever records that
 * trial's end.
 */
export class EpochWriter {
  /** Keyed by trial number, worker and attempt. */
  private queue = new Map<string, Batch>();
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private pending: Promise<void> = Promise.resolve();
  private readonly failures = new Map<number, Error>();

  constructor(
    private readonly storage: Storage,
    private readonly studyId: number,
    private readonly maxRows = 256,
    private readonly maxDelayMs = 200,
  ) {}

  /**
   * Queues one epoch of `trialNumber`, to be written as `owner` (who runs that attempt; the
   * study loop always gives it). Without `owner` the rows are written unguarded.
   */
  add(trialNumber: number, epoch: EpochRecord, owner?: TrialOwner): void {
    const key = keyOf(trialNumber, owner);
    let batch = this.queue.get(key);
    if (batch === undefined) {
      batch = { trialNumber, owner: owner === undefined ? undefined : { worker: owner.worker, attempt: owner.attempt }, rows: [] };
      this.queue.set(key, batch);
    }
    batch.rows.push(epoch);
    this.queued += 1;
    if (this.queued >= this.maxRows) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.maxDelayMs);
  }

  /** Writes everything queued so far; resolves when it is stored or has failed. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batches = [...this.queue.values()];
    this.queue = new Map();
    this.queued = 0;
    this.pending = this.pending.then(async () => {
      for (const { trialNumber, owner, rows } of batches) {
        try {
          await this.storage.appendEpochs(this.studyId, trialNumber, rows, owner);
        } catch (error) {
          if (!this.failures.has(trialNumber)) this.failures.set(trialNumber, error instanceof Error ? error : new Error(String(error)));
        }
      }
    });
    return this.pending;
  }

  /**
   * Ends the writing of a trial's epochs: waits for the writes under way and takes the
   * trial's rows not yet written out of the queue, for its finish to store
   * (`TrialFinish.epochs`: one write where there were two). When an earlier write of them
   * failed (the storage was out of reach for longer than it retries), the rows storage lacks
   * among `epochs` (all the attempt's) are the tail instead, so that no trial is finished
   * with a hole in its curve. `failure`: a refusal for ownership seen on the way, or what
   * kept it from reading which rows are stored.
   */
  async settle(trialNumber: number, epochs: readonly EpochRecord[], owner: TrialOwner): Promise<{ failure: Error | null; tail: EpochRecord[] }> {
    const tail = this.take(trialNumber, owner);
    await this.pending;
    const failure = this.takeFailure(trialNumber);
    if (failure === null) return { failure: null, tail };
    if (failure instanceof TrialOwnershipError) return { failure, tail: [] };
    try {
      const stored = new Set((await this.storage.getEpochs(this.studyId, trialNumber)).map((e) => e.epoch));
      return { failure: null, tail: epochs.filter((e) => !stored.has(e.epoch)) };
    } catch (error) {
      return { failure: error instanceof Error ? error : new Error(String(error)), tail: [] };
    }
  }

  /** Removes from the queue, and returns, the rows of `trialNumber` queued as `owner`. */
  private take(trialNumber: number, owner: TrialOwner): EpochRecord[] {
    const key = keyOf(trialNumber, owner);
    const batch = this.queue.get(key);
    if (batch === undefined) return [];
    this.queue.delete(key);
    this.queued -= batch.rows.length;
    if (this.queue.size === 0 && this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    return batch.rows;
  }

  /** The first write failure of a trial's epochs since the last call, if any. */
  takeFailure(trialNumber: number): Error | null {
    const failure = this.failures.get(trialNumber) ?? null;
    this.failures.delete(trialNumber);
    return failure;
  }
}

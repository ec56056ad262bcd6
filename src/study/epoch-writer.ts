import type { Storage, TrialOwner } from '../store/storage.js';
import { TrialOwnershipError } from '../store/errors.js';
import type { EpochRecord } from '../core/types.js';

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
    const key = owner === undefined ? `${trialNumber}` : `${trialNumber}\u0000${owner.attempt}\u0000${owner.worker}`;
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
   * Flushes, and when a write of the trial's epochs failed (the storage was out of reach
   * for longer than it retries), writes again those of `epochs` (all the attempt's) that
   * storage lacks, so that no trial is finished with a hole in its curve. Returns the
   * failure that remains: null when every epoch is stored.
   */
  async settle(trialNumber: number, epochs: readonly EpochRecord[], owner: TrialOwner): Promise<Error | null> {
    await this.flush();
    const failure = this.takeFailure(trialNumber);
    if (failure === null || failure instanceof TrialOwnershipError) return failure;
    try {
      const stored = new Set((await this.storage.getEpochs(this.studyId, trialNumber)).map((e) => e.epoch));
      const missing = epochs.filter((e) => !stored.has(e.epoch));
      if (missing.length > 0) await this.storage.appendEpochs(this.studyId, trialNumber, missing, owner);
      return null;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** The first write failure of a trial's epochs since the last call, if any. */
  takeFailure(trialNumber: number): Error | null {
    const failure = this.failures.get(trialNumber) ?? null;
    this.failures.delete(trialNumber);
    return failure;
  }
}

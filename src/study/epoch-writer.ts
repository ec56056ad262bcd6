import type { Storage } from '../store/storage.js';
import type { EpochRecord } from '../core/types.js';

/**
 * Batches epoch rows from every running trial into few write transactions: rows are
 * flushed when `maxRows` are queued, after `maxDelayMs`, or when a trial ends. A failed
 * write never rejects a flush (a background flush has no one to tell): it is kept for its
 * trial, and {@link takeFailure} hands it to whoever records that trial's end.
 */
export class EpochWriter {
  private queue = new Map<number, EpochRecord[]>();
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

  add(trialNumber: number, epoch: EpochRecord): void {
    let rows = this.queue.get(trialNumber);
    if (rows === undefined) this.queue.set(trialNumber, (rows = []));
    rows.push(epoch);
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
    const batch = this.queue;
    this.queue = new Map();
    this.queued = 0;
    this.pending = this.pending.then(async () => {
      for (const [trial, rows] of batch) {
        try {
          await this.storage.appendEpochs(this.studyId, trial, rows);
        } catch (error) {
          if (!this.failures.has(trial)) this.failures.set(trial, error instanceof Error ? error : new Error(String(error)));
        }
      }
    });
    return this.pending;
  }

  /** The first write failure of a trial's epochs since the last call, if any. */
  takeFailure(trialNumber: number): Error | null {
    const failure = this.failures.get(trialNumber) ?? null;
    this.failures.delete(trialNumber);
    return failure;
  }
}

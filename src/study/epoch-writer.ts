import type { Storage } from '../store/storage.js';
import type { EpochRecord } from '../core/types.js';

/**
 * Batches epoch rows from every running trial into few write transactions: rows are
 * flushed when `maxRows` are queued, after `maxDelayMs`, or when a trial ends.
 */
export class EpochWriter {
  private queue = new Map<number, EpochRecord[]>();
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private pending: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

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

  /** Writes everything queued so far; resolves when it is stored. Rethrows a write failure. */
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
          this.failure ??= error instanceof Error ? error : new Error(String(error));
        }
      }
    });
    return this.pending.then(() => {
      if (this.failure !== null) throw this.failure;
    });
  }
}

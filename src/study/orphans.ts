import { deathsOf } from '../core/attempts.js';
import type { FrozenTrial } from '../core/types.js';
import type { Storage, StudyRecord } from '../store/storage.js';
import { ownerIsGone } from './owner.js';

/** What a scan needs to know of the run. */
export interface ScanContext {
  storage: Storage;
  study: StudyRecord;
  maxAttempts: number;
}

/**
 * What the study holds to take over: the owners of `running` trials that are gone (a
 * process of this host that no longer exists), and whether any unfinished trial may be
 * claimed (interrupted or waiting, or running under a gone owner or with a stale
 * heartbeat). Finding them reads every unfinished trial, so a run rescans at most every
 * `everyMs` (and when asked for a fresh look); in between it uses what it found last, and
 * a claim that found nothing says so (`nothingLeft`), so that a run whose study has nothing
 * to take over spends no round trip a trial on claims. A scan also ends as failed the
 * orphaned trials that used up their attempts, so the study can finish.
 */
export class OrphanScan {
  private last = Number.NEGATIVE_INFINITY;
  private owners: string[] = [];
  private claimable = true;
  /** The storage's clock minus this host's (ms), and when it was last read (performance.now()). */
  private offset = 0;
  private clockRead = Number.NEGATIVE_INFINITY;

  constructor(private readonly everyMs = 1_000) {}

  /**
   * The storage's time now (ms since the epoch), as staleness is judged by: its clock is
   * read at most every `everyMs` (a round trip), and this host's clock carries it between.
   */
  async storageNow(storage: Storage): Promise<number> {
    const now = performance.now();
    if (now - this.clockRead >= this.everyMs) {
      const sent = Date.now();
      const theirs = Date.parse(await storage.currentTime());
      this.offset = theirs - (sent + Date.now()) / 2;
      this.clockRead = now;
    }
    return Date.now() + this.offset;
  }

  /** The owners gone, and whether a claim may find a trial (false only when the last scan, or a claim since, found none). */
  async scan(ctx: ScanContext, staleBefore: string, fresh: boolean): Promise<{ owners: string[]; claimable: boolean }> {
    const now = performance.now();
    if (fresh || now - this.last >= this.everyMs) {
      this.last = now;
      const unfinished = await ctx.storage.listTrials(ctx.study.id, { states: ['running', 'interrupted', 'waiting'] });
      const running = unfinished.filter((t) => t.state === 'running');
      this.owners = [...new Set(running.map((t) => t.worker ?? ''))].filter((w) => w !== '' && ownerIsGone(w));
      const stale = (t: FrozenTrial): boolean => t.heartbeat === null || t.heartbeat < staleBefore;
      this.claimable = unfinished.some((t) => t.state !== 'running' || this.owners.includes(t.worker ?? '') || stale(t));
      await abandonExhausted(ctx, running, this.owners, staleBefore);
    }
    return { owners: this.owners, claimable: this.claimable };
  }

  /** A claim found no trial: none is claimable until the next scan shows one. */
  nothingLeft(): void {
    this.claimable = false;
  }
}

/** Orphaned trials that used up their attempts end as failed. */
async function abandonExhausted(
  ctx: ScanContext,
  running: readonly FrozenTrial[],
  orphanOwners: readonly string[],
  staleBefore: string,
): Promise<void> {
  for (const t of running) {
    const orphan = orphanOwners.includes(t.worker ?? '') || (t.heartbeat !== null && t.heartbeat < staleBefore);
    if (orphan && deathsOf(t) >= ctx.maxAttempts) {
      await ctx.storage
        .finishTrial(ctx.study.id, t.number, {
          state: 'failed',
          value: null,
          error: `its worker died ${deathsOf(t)} time(s); gave up after max_retries`,
        })
        .catch(() => undefined);
    }
  }
}

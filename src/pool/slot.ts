import type { RunningTrial, TrialOutcome, TrialTask } from '../core/trainer.js';
import type { EpochRecord } from '../core/types.js';
import { MEMORY_POLL_MS, type FromWorker, type PrepareReply, type PrepareRequest } from './protocol.js';
import type { SpawnWorker, WorkerHandle } from './worker-handle.js';

/** When a slot replaces its worker, and how long a trial may take. */
export interface SlotLimits {
  /** Replace the worker after this many trials. */
  maxTrials: number | null;
  /** Replace the worker after a trial that left it above this much memory, MB. */
  maxMemoryMb: number | null;
  /** A trial running longer is failed and its worker killed, seconds. */
  timeoutSeconds: number | null;
}

/** A worker of the slot, and what the slot knows of it. */
interface Live {
  handle: WorkerHandle;
  ready: boolean;
  trials: number;
  preparing: { resolve(reply: PrepareReply): void; reject(error: Error): void } | null;
}

/** The trial the slot runs. */
interface Active {
  live: Live;
  onEpoch(epoch: EpochRecord): void;
  settle(outcome: TrialOutcome): void;
  /** Starts the trial_timeout clock (once its worker is ready). */
  startClock(): void;
  /** Why the trial was asked to stop; null while it may go on. */
  stopReason: string | null;
  /** An epoch is being judged: a stop asked meanwhile goes out with its verdict. */
  judging: boolean;
  /** The epoch whose verdict said stop: later ones (a trainer that did not wait) are dropped. */
  stoppedAt: EpochRecord | null;
  /** How many epochs came after `stoppedAt`. */
  dropped: number;
}

/**
 * A trainer that reported past its stop verdict (a loop that did not await `report`) ends with
 * the figures of the verdict's epoch, the last one stored, and the reason the slot gave.
 */
function atVerdict(active: Active, outcome: TrialOutcome): TrialOutcome {
  if (outcome.kind !== 'finished' || active.stopReason === null) return outcome;
  const { stoppedAt } = active;
  const metrics = stoppedAt !== null && active.dropped > 0 ? { ...outcome.result.metrics, ...stoppedAt.metrics } : outcome.result.metrics;
  return { ...outcome, result: { ...outcome.result, metrics }, stopReason: active.stopReason };
}

/**
 * One slot: a long-lived worker (thread or process) that runs one trial at a time. The slot
 * replaces its worker after `maxTrials` trials, after a trial that left it above
 * `maxMemoryMb`, when a trial times out or is terminated (the worker is killed), and when
 * the worker dies (a crash, process.exit, out of memory): that trial ends as failed with the
 * reason, and the next trial gets the fresh worker.
 */
export class Slot {
  private live: Live | null = null;
  private active: Active | null = null;
  private closed = false;
  private readonly handles = new Set<WorkerHandle>();

  constructor(
    readonly index: number,
    private readonly spawn: SpawnWorker,
    private readonly limits: SlotLimits,
  ) {}

  /** Whether a trial runs in this slot. */
  get busy(): boolean {
    return this.active !== null;
  }

  /** Loads the trainer in the slot's worker (see prepareTrainer). */
  prepare(request: PrepareRequest): Promise<PrepareReply> {
    const live = this.current();
    return new Promise((resolve, reject) => {
      live.preparing = { resolve, reject };
      live.handle.send({ type: 'prepare', request });
    });
  }

  run(task: TrialTask, onEpoch: (epoch: EpochRecord) => void): RunningTrial {
    if (this.active !== null) throw new Error(`slot ${this.index} already runs a trial`);
    const live = this.current();
    let resolveOutcome: (outcome: TrialOutcome) => void = () => undefined;
    const outcome = new Promise<TrialOutcome>((resolve) => (resolveOutcome = resolve));
    let timer: NodeJS.Timeout | undefined;
    let watch: NodeJS.Timeout | undefined;
    const seconds = this.limits.timeoutSeconds;
    const active: Active = {
      live,
      onEpoch,
      settle: (result) => {
        if (this.active !== active) return;
        this.active = null;
        clearTimeout(timer);
        clearInterval(watch);
        resolveOutcome(result);
      },
      startClock: () => {
        if (seconds !== null && timer === undefined) {
          timer = setTimeout(() => this.kill(active, `timeout after ${seconds} s`), seconds * 1000);
        }
      },
      stopReason: null,
      judging: false,
      stoppedAt: null,
      dropped: 0,
    };
    this.active = active;
    // Measured from outside too (a process's RSS; a silent thread's share of it), which a trial busy on its thread cannot delay.
    if (this.limits.maxMemoryMb !== null && live.handle.memoryMb !== undefined) {
      watch = setInterval(() => this.checkMemory(active, live.handle.memoryMb?.() ?? null), MEMORY_POLL_MS);
    }
    live.handle.send({ type: 'run', task });
    // The clock starts when the trial reaches a ready worker: a worker's start-up is not the trial's.
    if (live.ready) active.startClock();
    return {
      stop: (reason) => {
        if (this.active !== active || active.stopReason !== null) return;
        active.stopReason = reason;
        if (!active.judging) live.handle.send({ type: 'stop', reason });
      },
      terminate: (reason) => this.kill(active, reason),
      outcome,
    };
  }

  /** Kills the slot's workers; a running trial ends as failed. */
  async close(): Promise<void> {
    this.closed = true;
    this.live = null;
    this.active?.settle({ kind: 'failed', error: 'the pool was closed' });
    await Promise.all([...this.handles].map((h) => h.kill().catch(() => undefined)));
  }

  private current(): Live {
    if (this.closed) throw new Error('the pool is closed');
    this.live ??= this.start();
    return this.live;
  }

  private start(): Live {
    const live: Live = {
      handle: this.spawn({
        message: (message) => this.onMessage(live, message),
        exit: (reason) => this.onExit(live, reason),
      }),
      ready: false,
      trials: 0,
      preparing: null,
    };
    this.handles.add(live.handle);
    return live;
  }

  private onMessage(live: Live, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        live.ready = true;
        if (this.active?.live === live) this.active.startClock();
        break;
      case 'prepared':
        live.preparing?.resolve(message.reply);
        live.preparing = null;
        break;
      case 'epoch':
        this.judge(live, message.epoch);
        break;
      case 'done': {
        if (this.active?.live !== live) break;
        live.trials += 1;
        this.active.settle(atVerdict(this.active, message.outcome));
        const { maxTrials, maxMemoryMb } = this.limits;
        if ((maxTrials !== null && live.trials >= maxTrials) || (maxMemoryMb !== null && message.memoryMb > maxMemoryMb)) {
          this.retire(live);
        }
        break;
      }
      case 'memory':
        if (this.active?.live === live) this.checkMemory(this.active, message.memoryMb);
        break;
      case 'crash':
        break; // the exit that follows carries it
    }
  }

  private onExit(live: Live, reason: string): void {
    this.handles.delete(live.handle);
    live.preparing?.reject(new Error(`a worker died while loading the trainer: ${reason}`));
    live.preparing = null;
    if (this.active?.live === live) this.active.settle({ kind: 'failed', error: reason });
    if (this.live === live) {
      // A worker that had started is replaced at once; one that died while starting is
      // replaced when the next trial needs it (no respawn loop on a broken install).
      this.live = live.ready && !this.closed ? this.start() : null;
    }
  }

  /** Hands an epoch to the study and answers its worker, which waits, with the verdict. */
  private judge(live: Live, epoch: EpochRecord): void {
    const active = this.active?.live === live ? this.active : null;
    if (active !== null && active.stoppedAt !== null) {
      active.dropped += 1;
    } else if (active !== null) {
      active.judging = true;
      try {
        active.onEpoch(epoch);
      } finally {
        active.judging = false;
      }
      if (active.stopReason !== null) active.stoppedAt = epoch;
    }
    live.handle.send({ type: 'verdict', epoch: epoch.epoch, stop: active === null ? 'the trial has ended' : active.stopReason });
  }

  /** Fails the trial, with the figure, when its worker's memory passes max_rss_mb. */
  private checkMemory(active: Active, memoryMb: number | null): void {
    const limit = this.limits.maxMemoryMb;
    if (limit === null || memoryMb === null || memoryMb <= limit) return;
    // Rounded up: 160.3 MB over a limit of 160 reads 161, never "used 160 MB, over max_rss_mb 160".
    this.kill(active, `out of memory: the worker used ${Math.ceil(memoryMb)} MB, over max_rss_mb ${limit}`);
  }

  /** Fails the trial with `reason` and kills its worker (a timeout, or a trial that ignored stop). */
  private kill(active: Active, reason: string): void {
    if (this.active !== active) return;
    active.settle({ kind: 'failed', error: reason });
    this.retire(active.live);
  }

  /** Replaces a worker: a fresh one takes its place now, and it is killed. */
  private retire(live: Live): void {
    if (this.live === live) this.live = this.closed ? null : this.start();
    void live.handle.kill().catch(() => undefined);
  }
}

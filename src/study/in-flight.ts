import type { RunningTrial } from '../core/trainer.js';

interface Entry {
  handle: RunningTrial;
  /** The run asked it to stop, or killed it, because the run is being interrupted. */
  interrupted: boolean;
}

/** How long a trial asked to stop may take to end before its worker is killed. */
export function killDelayMs(graceMs: number): number {
  return Math.min(5_000, Math.max(500, graceMs));
}

/**
 * The trials a run has in flight, and how an interrupted run stops them. After the first
 * signal (`drain`) nothing new starts and running trials may finish within the grace period;
 * then they are asked to stop (the trainer ends after its current batch or epoch); a trial
 * still running a little later (the grace period again, between 0.5 and 5 s) has its worker
 * killed. `now` (a second signal) kills them all at once.
 */
export class InFlight {
  private readonly trials = new Map<number, Entry>();
  private draining = false;
  private stopSent = false;
  private haltedBy: string | null = null;
  private readonly timers: NodeJS.Timeout[] = [];

  /** Whether the run is being interrupted: nothing new may start. */
  get stopping(): boolean {
    return this.draining;
  }

  get size(): number {
    return this.trials.size;
  }

  numbers(): number[] {
    return [...this.trials.keys()];
  }

  add(number: number, handle: RunningTrial): void {
    const entry: Entry = { handle, interrupted: false };
    this.trials.set(number, entry);
    if (this.stopSent) this.stop(entry);
  }

  /** Forgets a trial that ended; whether the run had stopped or killed it (an interruption). */
  remove(number: number): boolean {
    const entry = this.trials.get(number);
    this.trials.delete(number);
    return entry?.interrupted ?? false;
  }

  /** The first signal: start nothing new; stop running trials after `graceMs`. */
  drain(graceMs: number): void {
    if (this.draining) return;
    this.draining = true;
    this.timers.push(
      setTimeout(() => {
        this.stopSent = true;
        for (const entry of this.trials.values()) this.stop(entry);
        const killMs = killDelayMs(graceMs);
        this.timers.push(
          setTimeout(() => this.killAll(`it did not stop within ${killMs / 1000} s of being asked`), killMs).unref(),
        );
      }, graceMs).unref(),
    );
  }

  /**
   * The run stops itself (a full disk): nothing new starts, running trials are asked to stop
   * now, and `halted` keeps the reason for the summary.
   */
  halt(reason: string): void {
    this.haltedBy ??= reason;
    this.drain(0);
  }

  /** Why the run stopped itself (halt); null when it was not. */
  get halted(): string | null {
    return this.haltedBy;
  }

  /** A second signal: kill every running trial's worker now. */
  now(): void {
    this.draining = true;
    this.stopSent = true;
    this.killAll('killed by a second signal');
  }

  /** Cancels the pending stop and kill timers (the run is over). */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private stop(entry: Entry): void {
    entry.interrupted = true;
    entry.handle.stop('interrupted');
  }

  private killAll(reason: string): void {
    for (const entry of this.trials.values()) {
      entry.interrupted = true;
      entry.handle.terminate(reason);
    }
  }
}

/**
 * Warm timing helpers for the bench: warm-up runs, then the median of timed runs.
 *
 * The default clock is the process's CPU time (user + system): the wasm backend computes on
 * one thread, and on a machine shared with other jobs CPU time is far steadier than wall
 * time, which also counts the time the scheduler gives to others. Use `clock: 'wall'` for
 * anything that waits or runs in parallel.
 */

/** Which clock a measurement uses. */
export type Clock = 'cpu' | 'wall';

/** How long to measure one function. */
export interface TimingOptions {
  /** Untimed runs first (default 3). */
  warmup?: number;
  /** At least this many timed runs (default 5). */
  minRuns?: number;
  /** At most this many timed runs (default 200). */
  maxRuns?: number;
  /** Stop adding runs (beyond minRuns) after this much measured time, in ms (default 1500). */
  budgetMs?: number;
  /** Default 'cpu' (see the file comment). */
  clock?: Clock;
}

/** The median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  if (s.length === 0) return Number.NaN;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Milliseconds one call of `f` takes on `clock`. */
export function timeOnce(f: () => void, clock: Clock = 'cpu'): number {
  const now = clock === 'cpu' ? cpuMs : () => performance.now();
  const start = now();
  f();
  return now() - start;
}

/**
 * Medians, in ms, of several functions measured in alternation (A, B, A, B, …), so that a
 * ratio between them is not skewed by load that changes during the measurement.
 */
export function interleavedMedians(fns: ReadonlyArray<() => void>, options: TimingOptions = {}): number[] {
  const { warmup = 3, minRuns = 5, maxRuns = 200, budgetMs = 1500, clock = 'cpu' } = options;
  for (let i = 0; i < warmup; i++) for (const f of fns) f();
  const times = fns.map(() => [] as number[]);
  let spent = 0;
  for (let run = 0; run < maxRuns && (run < minRuns || spent < budgetMs); run++) {
    fns.forEach((f, i) => {
      const ms = timeOnce(f, clock);
      times[i]!.push(ms);
      spent += ms;
    });
  }
  return times.map(median);
}

/** Median time of `f` in ms (see {@link interleavedMedians}). */
export function medianMs(f: () => void, options: TimingOptions = {}): number {
  return interleavedMedians([f], options)[0]!;
}

/**
 * How much a second copy of a workload adds: over `rounds` rounds, the first copy alone, then
 * both at once (`run` gets how many copies to start and resolves with the slower one's wall ms),
 * back to back; the median of the rounds' 2 × alone ÷ both, so drift weighs on both arms alike.
 */
export async function pairSpeedup(run: (copies: 1 | 2) => Promise<number>, rounds: number): Promise<number> {
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const alone = await run(1);
    const both = await run(2);
    ratios.push((2 * alone) / both);
  }
  return median(ratios);
}

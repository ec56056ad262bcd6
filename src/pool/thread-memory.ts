import { readFileSync } from 'node:fs';
import { MEMORY_POLL_MS } from './protocol.js';

const MB = 1024 * 1024;
/** A running trial whose last memory report is older than this has not yielded: judged from outside. */
export const OVERDUE_MS = 2 * MEMORY_POLL_MS;
/**
 * Resident memory a thread holds that its reports (heap + external) never count: code, stacks,
 * compiled WebAssembly, native allocations. Growth charged from outside is reduced by this
 * much, so the figure stays comparable with the reports (a tfjs trial loading its data reads
 * about 40 MB above its next report without it).
 */
export const NATIVE_ALLOWANCE_MB = 64;

/** One worker thread as its spawner tells the watch about it. */
export interface ThreadGauge {
  /** The thread said who it is (its Linux thread id; null elsewhere). */
  identify(tid: number | null): void;
  /** It reported `figure` MB; without a figure: a trial starts, measured from here. */
  reported(figure?: number): void;
  /** Its memory judged from outside (see ThreadMemoryWatch.outsideMb). */
  outsideMb(): number | null;
  /** It is gone. */
  remove(): void;
}

/** What the watch knows of one worker thread. */
interface WatchedThread {
  /** The thread's Linux thread id (its page faults are in /proc/self/task/TID/stat); null elsewhere. */
  tid: number | null;
  /** Its last reported memory (heap + external), MB. */
  figure: number;
  /** When it reported, ms (performance.now). */
  at: number;
  /** The process memory no report explained then, MB. */
  unexplainedAt: number;
  /** Every thread's minor page faults then (the main thread's under the process id). */
  faultsAt: Map<number, number>;
}

/** A thread's minor page faults so far (field 10 of /proc/self/task/TID/stat); null when unreadable. */
function minorFaults(tid: number | null): number | null {
  if (tid === null) return null;
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const value = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** The most memory one page fault can make resident, bytes: a huge page where THP is always on. */
function faultBytes(): number {
  let page = 4096;
  try {
    // statm counts pages; libuv's rss is pages × the page size.
    const pages = Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]);
    if (pages > 0) page = 2 ** Math.round(Math.log2(process.memoryUsage.rss() / pages));
    if (/\[always\]/.test(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))) {
      page = Math.max(page, Number(readFileSync('/sys/kernel/mm/transparent_hugepage/hpage_pmd_size', 'utf8')));
    }
  } catch {
    // not Linux, or no THP: keep what was found
  }
  return page;
}

/**
 * Measures the worker threads of this process from the main thread, for a trial that
 * allocates without yielding (its own reports stop coming). Node cannot read another
 * thread's heap, so the watch keeps the process's RSS apart from what the reports explain
 * (every thread's last figure, and the main thread's heap and buffers). A thread whose
 * report is overdue is charged with its share of the unexplained growth since it last
 * reported: the share of the page faults taken since then (by every thread, the main one
 * included) that were its own, never more than its faults could have made resident, less
 * NATIVE_ALLOWANCE_MB. A long synchronous epoch that allocates little takes few faults, so
 * it is not charged with what another thread allocates.
 */
export class ThreadMemoryWatch {
  private readonly threads = new Set<WatchedThread>();
  private readonly pageBytes = faultBytes();

  /** Watches a new thread. */
  add(): ThreadGauge {
    const thread: WatchedThread = { tid: null, figure: 0, at: performance.now(), unexplainedAt: 0, faultsAt: new Map() };
    this.threads.add(thread);
    this.reported(thread, 0);
    return {
      identify: (tid) => {
        thread.tid = tid;
        this.reported(thread, thread.figure);
      },
      reported: (figure) => this.reported(thread, figure ?? thread.figure),
      outsideMb: () => this.outsideMb(thread),
      remove: () => this.threads.delete(thread),
    };
  }

  private reported(thread: WatchedThread, figure: number): void {
    thread.figure = figure;
    thread.at = performance.now();
    thread.unexplainedAt = this.unexplained();
    thread.faultsAt = this.faults();
  }

  /**
   * The thread's memory judged from outside, MB: its last figure plus what it was charged;
   * null while its reports come on time or where page faults cannot be read (not Linux).
   */
  private outsideMb(thread: WatchedThread): number | null {
    if (performance.now() - thread.at <= OVERDUE_MS || thread.tid === null) return null;
    const now = this.faults();
    const own = now.get(thread.tid);
    if (own === undefined) return null;
    let all = 0;
    // A thread started since then counts with all its faults.
    for (const [tid, count] of now) all += count - (thread.faultsAt.get(tid) ?? 0);
    const mine = own - (thread.faultsAt.get(thread.tid) ?? 0);
    if (mine <= 0 || all <= 0) return thread.figure;
    const growth = this.unexplained() - thread.unexplainedAt;
    const charged = Math.min((growth * mine) / all, (mine * this.pageBytes) / MB);
    return thread.figure + Math.max(0, charged - NATIVE_ALLOWANCE_MB);
  }

  /** The minor page faults of the main thread and of every watched thread that can be read. */
  private faults(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const tid of [process.pid, ...[...this.threads].map((t) => t.tid)]) {
      const count = tid === null ? null : minorFaults(tid);
      if (tid !== null && count !== null) counts.set(tid, count);
    }
    return counts;
  }

  /** The process's resident memory that no report accounts for, MB. */
  private unexplained(): number {
    const main = process.memoryUsage();
    let reported = (main.heapTotal + main.external) / MB;
    for (const thread of this.threads) reported += thread.figure;
    return main.rss / MB - reported;
  }
}

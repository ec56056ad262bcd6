// method: pbt — who trains next, and from whose weights. A member of the population trains in
// segments of perturbation_interval epochs, each segment one trial; after a segment, a member
// in the bottom quantile exploits (takes the checkpoint of) one in the top quantile and explores
// its parameters. Pure: the same segments and the same random draw give the same answer.
import { isFinished, type Direction, type Params, type TrialState } from '../core/types.js';
import type { Uniform } from './pbt-explore.js';

/** One stored segment of a member: a trial that trained epochs [start, end). */
export interface Segment {
  trial: number;
  member: number;
  start: number;
  end: number;
  state: TrialState;
  value: number | null;
  params: Params;
}

export interface PopulationOptions {
  population: number;
  /** Epochs of a segment. */
  interval: number;
  /** Epochs a member trains in all. */
  epochs: number;
  quantile_fraction: number;
  synch: boolean;
  direction: Direction;
}

/** What the next trial of the study is. */
export type NextSegment =
  | { kind: 'new'; member: number; start: number; end: number }
  /** The member goes on from its own last checkpoint (`from`). */
  | { kind: 'continue'; member: number; start: number; end: number; from: Segment }
  /** The member takes `from` (another member's segment): weights, optimizer state, epoch count. */
  | { kind: 'exploit'; member: number; start: number; end: number; from: Segment; own: Segment }
  /** Nothing may start until a running segment ends. */
  | { kind: 'wait' }
  /** Every member has trained its epochs (or ended failed). */
  | { kind: 'done' };

/** The segments of each member, by member number, in trial order. */
export function byMember(segments: readonly Segment[]): Map<number, Segment[]> {
  const out = new Map<number, Segment[]>();
  for (const s of [...segments].sort((a, b) => a.trial - b.trial)) {
    const list = out.get(s.member) ?? [];
    list.push(s);
    out.set(s.member, list);
  }
  return out;
}

const finished = (s: Segment): boolean => isFinished(s.state);
const scored = (s: Segment): boolean => s.state === 'complete' && s.value !== null && !Number.isNaN(s.value);

/** The members' segments ranked best first (only scored ones). */
export function rank(scores: readonly Segment[], direction: Direction): Segment[] {
  const sign = direction === 'maximize' ? -1 : 1;
  return scores.filter(scored).sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.member - b.member);
}

/** How many members each quantile holds among `n` scored: ⌈n·q⌉, at most half, at least 1. */
export function quantileSize(n: number, fraction: number): number {
  return Math.max(1, Math.min(Math.ceil(n * fraction), Math.floor(n / 2)));
}

/** The next segment to run given every segment so far (see NextSegment). */
export function nextSegment(segments: readonly Segment[], options: PopulationOptions, rng: Uniform): NextSegment {
  const members = byMember(segments);
  for (let m = 0; m < options.population; m++) {
    if (!members.has(m)) return { kind: 'new', member: m, start: 0, end: Math.min(options.epochs, options.interval) };
  }
  const latest = (m: number): Segment => (members.get(m) as Segment[]).at(-1) as Segment;
  const live = [...members.keys()].filter((m) => latest(m).state !== 'failed');
  const ready = live
    .filter((m) => finished(latest(m)) && latest(m).end < options.epochs)
    .filter((m) => !options.synch || live.every((k) => (members.get(k) as Segment[]).some((s) => finished(s) && s.end >= latest(m).end)))
    .sort((a, b) => latest(a).end - latest(b).end || a - b);
  for (const m of ready) {
    const decision = decide(m, latest(m), members, live, options, rng);
    if (decision !== null) return decision;
  }
  return segments.some((s) => !finished(s)) ? { kind: 'wait' } : { kind: 'done' };
}

/** The next segment of member `m` whose last segment is `own`; null when it can go on no more. */
function decide(m: number, own: Segment, members: Map<number, Segment[]>, live: number[], options: PopulationOptions, rng: Uniform): NextSegment | null {
  // Judged against each member's latest result (synch: its result at the same epoch).
  const scores = live
    .map((k) => {
      const done = (members.get(k) as Segment[]).filter(finished);
      return options.synch ? done.find((s) => s.end === own.end) : done.at(-1);
    })
    .filter((s): s is Segment => s !== undefined);
  const ranked = rank(scores, options.direction);
  const size = quantileSize(ranked.length, options.quantile_fraction);
  const u = rng.uniform();
  if (own.state !== 'complete') {
    // Diverged or pruned: its weights are unusable, so it must take another member's.
    const donors = ranked.filter((s) => s.member !== m && s.end < options.epochs).slice(0, size);
    const donor = donors[Math.min(donors.length - 1, Math.floor(u * donors.length))];
    return donor === undefined ? null : exploit(m, donor, own, options);
  }
  const at = ranked.findIndex((s) => s.member === m);
  if (ranked.length < 2 || at < 0 || at < ranked.length - size) return { kind: 'continue', member: m, start: own.end, end: endOf(own.end, options), from: own };
  const donor = ranked[Math.min(size - 1, Math.floor(u * size))] as Segment;
  // Asynchronous: never go back in epochs to copy a member that is behind.
  if (donor.member === m || donor.end < own.end || donor.end >= options.epochs) return { kind: 'continue', member: m, start: own.end, end: endOf(own.end, options), from: own };
  return exploit(m, donor, own, options);
}

function exploit(m: number, donor: Segment, own: Segment, options: PopulationOptions): NextSegment {
  return { kind: 'exploit', member: m, start: donor.end, end: endOf(donor.end, options), from: donor, own };
}

function endOf(start: number, options: PopulationOptions): number {
  return Math.min(options.epochs, start + options.interval);
}

/**
 * The segments whose checkpoints some member may still take: each member's latest finished
 * one (it goes on from there, others may exploit it), any an unfinished segment starts from
 * (`sources`: trial → the trial it starts from), and under synch every one at an epoch some
 * member has not yet gone past.
 */
export function neededCheckpoints(segments: readonly Segment[], sources: ReadonlyMap<number, number>, options: Pick<PopulationOptions, 'synch'>): Set<number> {
  const needed = new Set<number>();
  const members = byMember(segments);
  let slowest = Infinity;
  for (const list of members.values()) {
    const done = list.filter(finished);
    const last = done.at(-1);
    if (last !== undefined) needed.add(last.trial);
    const head = list.at(-1) as Segment;
    if (head.state !== 'failed') slowest = Math.min(slowest, finished(head) ? head.end : head.start);
  }
  for (const s of segments) {
    const from = sources.get(s.trial);
    if (!finished(s) && from !== undefined) needed.add(from);
    if (options.synch && finished(s) && s.end >= slowest) needed.add(s.trial);
  }
  return needed;
}

/**
 * The end of a run, shared by `run`, `worker` and `slurm --wait`: the summary printed, the
 * exit code, and the checks of the flags they have in common. Kept apart from the `run`
 * command so that a worker's start-up does not import what only `run` needs (the live
 * page, the preflight, the requirement gate).
 */
import { ExitCode, InterruptedError, StorageError, UsageError } from '../core/errors.js';
import { rankByValue, type FrozenTrial } from '../core/types.js';
import type { Storage } from '../store/storage.js';
import type { RunSummary } from '../study/run.js';
import { counted, err, out, printJson } from './output.js';
import { paretoTrials, severalObjectives } from './objectives.js';
import { trialJson, trialTable } from './trial-rows.js';

/**
 * After the summary: a run that stopped itself (a full disk) exits 4 with its reason, an
 * interrupted run exits 130/143, each saying how to go on (`again`: resume, rejoin); a run in
 * which no trial completed exits 1. True when some trial completed.
 */
export function endRun(summary: { result: RunSummary; signalCode: number }, again: string): boolean {
  const name = summary.result.study.name;
  if (summary.result.halted !== null) throw new StorageError(`study '${name}' stopped: ${summary.result.halted}`);
  if (summary.result.interrupted) throw new InterruptedError(`interrupted: rerun the same command to ${again} study '${name}'`, summary.signalCode);
  if (summary.result.trials.some((t) => t.state === 'complete')) return true;
  process.exitCode = ExitCode.checkFailed;
  err(`hpsearch: no trial of study '${name}' completed`);
  return false;
}

/** --grace SECONDS: how long running trials may go on after a first Ctrl-C (default 10). */
export function graceOf(value: unknown): number {
  if (value === undefined) return 10;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new UsageError('--grace must be a number of seconds ≥ 0');
  return value;
}

export function optionalPositiveInt(value: unknown, flag: string): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number ≥ 1`);
  return value;
}

interface Ranked {
  counts: Record<string, number>;
  objectives: ReturnType<typeof severalObjectives>;
  /** The complete trials, best first; a multi-objective study's are its Pareto front. */
  complete: FrozenTrial[];
}

function ranked(result: RunSummary): Ranked {
  const { study, trials } = result;
  const counts: Record<string, number> = {};
  for (const t of trials) counts[t.state] = (counts[t.state] ?? 0) + 1;
  const objectives = severalObjectives(study);
  const complete = objectives.length > 1 ? paretoTrials(trials, objectives) : rankByValue(
    trials.filter((t) => t.state === 'complete'),
    study.direction,
  );
  return { counts, objectives, complete };
}

/** How many of the complete trials the summary shows (a multi-objective study: its whole front). */
const TOP = 5;

/** The trials the end-of-run summary shows: none with --quiet (and no --json). */
function shownTrials(result: RunSummary, options: { json: boolean; quiet: boolean }): FrozenTrial[] {
  if (options.quiet && !options.json) return [];
  const { objectives, complete } = ranked(result);
  return objectives.length > 1 ? complete : complete.slice(0, TOP);
}

/**
 * Judges again the verdicts of the trials the summary shows, against the study as it is now
 * (as `trials` and `best` would), replacing them in `result`. Only those: a worker that ends
 * a study of thousands of trials should not read every curve of it to print five rows.
 */
export async function judgeShown(storage: Storage, result: RunSummary, options: { json: boolean; quiet: boolean }): Promise<void> {
  const shown = shownTrials(result, options);
  if (shown.length === 0) return;
  // The diagnosis rules are imported once the trials are done, not at a worker's start.
  const { withCurrentVerdicts } = await import('./verdicts.js');
  const judged = new Map((await withCurrentVerdicts(storage, result.study, shown)).map((t) => [t.number, t]));
  result.trials = result.trials.map((t) => judged.get(t.number) ?? t);
}

/** What `run --json` prints at the end (also the summary of `slurm --wait --json`). */
export function summaryJson(result: RunSummary, location: string): Record<string, unknown> {
  const { study } = result;
  const { counts, objectives, complete } = ranked(result);
  const asJson = (t: FrozenTrial): Record<string, unknown> => trialJson(t, objectives);
  return {
    study: study.name,
    storage: location,
    metric: study.metric,
    direction: study.direction,
    resumed: result.resumed,
    ran: result.ran,
    interrupted: result.interrupted,
    halted: result.halted,
    counts,
    best: complete[0] === undefined ? null : asJson(complete[0]),
    top: complete.slice(0, TOP).map(asJson),
    ...(objectives.length > 1 ? { objectives, front: complete.map(asJson) } : {}),
  };
}

/** The end of a run: counts and (but with --quiet) the top trials; JSON on stdout with --json. */
export function report(result: RunSummary, options: { json: boolean; quiet: boolean }, location: string): void {
  if (options.json) {
    printJson(summaryJson(result, location));
    return;
  }
  const { study, trials } = result;
  const { counts, objectives, complete } = ranked(result);
  const countText = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
  err(`study ${study.name}: ${counted(trials.length, 'trial')} (${countText}); this run ran ${result.ran}`);
  err(`results: ${location}`);
  if (complete.length > 0 && !options.quiet && objectives.length > 1) {
    out(`Pareto front (${objectives.map((o) => `${o.goal} ${o.name}`).join(', ')}):`);
    out(trialTable(complete, study.metric, objectives));
  } else if (complete.length > 0 && !options.quiet) {
    const top = trialTable(complete.slice(0, TOP), study.metric);
    out(`top trials by ${study.metric} (${study.direction}):`);
    out(top);
  }
}

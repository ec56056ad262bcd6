/**
 * The sampler bench: every objective, hpsearch's samplers in process and Optuna's in Python
 * processes (run in the background meanwhile, one at a time), summarised per checkpoint.
 */
import { chooseMethod } from '../../src/search/index.js';
import type { BenchObjective } from './objectives.js';
import { OPTUNA_SAMPLERS, optunaVersion, runOptuna } from './optuna.js';
import { OUR_SAMPLERS, runOurs, runsOn, type OurSampler, type SeedRun } from './ours.js';
import { summarise } from './summary.js';
import type { ObjectiveResult } from './table.js';

export interface BenchOptions {
  objectives: readonly BenchObjective[];
  seeds: number;
  /** Checkpoints, ascending; studies run to the last. */
  trials: readonly number[];
  ours: readonly OurSampler[];
  /** gp's studies stop here (its suggestions cost O(n³)). */
  gpTrials: number;
  /** Pythons to run Optuna with; one column pair per distinct Optuna version found. */
  pythons: readonly string[];
  /** Python processes at a time (default 1). */
  pythonJobs?: number;
  /** Optuna's columns from an earlier run (its results file), instead of running Python. */
  reuse?: readonly ObjectiveResult[];
  log: (line: string) => void;
}

interface Job {
  column: string;
  objective: BenchObjective;
  run: () => Promise<SeedRun[]>;
}

const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r));

function ourJobs(o: BenchOptions, seeds: number[]): Job[] {
  const last = o.trials[o.trials.length - 1] as number;
  const jobs: Job[] = [];
  for (const objective of o.objectives) {
    for (const sampler of o.ours) {
      if (sampler === 'auto' || !runsOn(sampler, objective)) continue;
      const trials = sampler === 'gp' ? Math.min(last, o.gpTrials) : last;
      jobs.push({
        column: `hpsearch ${sampler}`,
        objective,
        run: async () => {
          const runs: SeedRun[] = [];
          // Yield between seeds so that the Python processes' output keeps flowing.
          for (const seed of seeds) {
            runs.push(runOurs(sampler, objective, seed, trials));
            await yieldNow();
          }
          return runs;
        },
      });
    }
  }
  return jobs;
}

function optunaJobs(o: BenchOptions, seeds: number[]): Job[] {
  const last = o.trials[o.trials.length - 1] as number;
  const seen = new Set<string>();
  const jobs: Job[] = [];
  for (const python of o.pythons) {
    const found = optunaVersion(python);
    if ('missing' in found) {
      o.log(`skipping Optuna's columns for ${python}: ${found.missing}`);
      continue;
    }
    if (seen.has(found.version)) continue;
    seen.add(found.version);
    for (const objective of o.objectives) {
      for (const sampler of OPTUNA_SAMPLERS) {
        jobs.push({ column: `Optuna ${found.version} ${sampler === 'tpe' ? 'TPE' : 'random'}`, objective, run: () => runOptuna(python, objective.name, sampler, last, seeds) });
      }
    }
  }
  return jobs;
}

/** Runs jobs `lanes` at a time (each lane takes the next job when it is free), logging each. */
async function inLanes(jobs: readonly Job[], lanes: number, log: (line: string) => void): Promise<Map<Job, SeedRun[]>> {
  const out = new Map<Job, SeedRun[]>();
  const queue = [...jobs];
  const lane = async (): Promise<void> => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      const start = performance.now();
      out.set(job, await job.run());
      log(`${job.objective.name}, ${job.column}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return out;
}

export async function runBench(o: BenchOptions): Promise<ObjectiveResult[]> {
  const seeds = Array.from({ length: o.seeds }, (_, i) => i);
  const lanes = Math.max(1, o.pythonJobs ?? 1);
  const jobs = o.reuse === undefined ? optunaJobs(o, seeds) : [];
  const optuna = inLanes(jobs, lanes, o.log);
  const ours = await inLanes(ourJobs(o, seeds), 1, o.log);
  const all = new Map([...ours, ...(await optuna)]);
  const last = o.trials[o.trials.length - 1] as number;
  return o.objectives.map((objective) => {
    const columns = [...all].filter(([job]) => job.objective === objective).map(([job, runs]) => summarise(job.column, objective, runs, o.trials));
    const earlier = o.reuse?.find((r) => r.objective.name === objective.name)?.columns ?? [];
    columns.push(...earlier.filter((c) => c.column.startsWith('Optuna')));
    if (o.ours.includes('auto')) {
      // auto wraps the sampler it chooses, with the same draws: its column is that one's.
      const choice = chooseMethod({ parameters: objective.parameters, conditions: objective.conditions, run_cap: last }).method;
      const chosen = columns.find((c) => c.column === `hpsearch ${choice}`);
      if (chosen !== undefined) columns.splice(columns.indexOf(chosen) + 1, 0, { ...chosen, column: `hpsearch auto (→ ${choice})` });
    }
    return { objective, columns: columns.sort((a, b) => rank(a.column) - rank(b.column)) };
  });
}

/** Columns in a fixed order: hpsearch's samplers as OUR_SAMPLERS lists them, then Optuna's. */
function rank(column: string): number {
  const ours = OUR_SAMPLERS.findIndex((s) => column.startsWith(`hpsearch ${s}`));
  return ours >= 0 ? ours : OUR_SAMPLERS.length + (column.endsWith('random') ? 1 : 0);
}

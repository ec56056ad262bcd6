/**
 * `hpsearch slurm --wait`: follows the study from its storage (trials done, best so far; bars
 * on a terminal, as `run` shows them) until its budget is met or the job array has left the
 * queue, then ends as `run` does.
 */
import { ExitCode } from '../../core/errors.js';
import { isFinished, rankByValue, type FrozenTrial } from '../../core/types.js';
import { cancelPending, queuedStates } from '../../launch/slurm-client.js';
import { createSampler } from '../../search/index.js';
import { maskPassword } from '../../store/pg-location.js';
import type { Storage, StudyRecord } from '../../store/storage.js';
import { budgetMet } from '../../study/linger.js';
import { trialCap, type RunSummary } from '../../study/run.js';
import { openForCommand, withStorage } from '../context.js';
import { err, printJson } from '../output.js';
import { createProgress } from '../progress/index.js';
import { gate } from './check.js';
import type { Launch } from './launch-study.js';
import { endRun, judgeShown, report, summaryJson } from '../run-end.js';

const POLL_MS = 2_000;

/** `json`: the submission's fields, printed with the summary (`--json`); null prints the summary as `run` does. */
export async function followArray(options: { launch: Launch; study: StudyRecord; jobId: string; quiet: boolean; json: Record<string, unknown> | null }): Promise<void> {
  const { launch, jobId } = options;
  const { spec } = launch;
  const sampler = createSampler({ spec, direction: spec.metric.goal, storedStages: [] });
  const cap = trialCap(spec, sampler.planned, spec.run_cap);
  const progress = await createProgress({ quiet: options.quiet });
  const onSignal = (): void => {
    progress.stop();
    if (options.json !== null) printJson({ ...options.json, summary: null });
    err(`hpsearch: interrupted: stopped following study ${options.study.name}; job array ${jobId} keeps running (cancel it with: scancel ${jobId})`);
    process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  let ended = false;
  const result = await withStorage(await openForCommand(launch.location, { mustExist: true }), async (storage) => {
    const before = await storage.listTrials(options.study.id);
    const seen = new Set(before.filter((t) => isFinished(t.state)).map((t) => t.number));
    progress.studyStarted?.({
      study: options.study,
      resumed: seen.size > 0,
      cap,
      finishedBefore: seen.size,
      bestBefore: rankByValue(before.filter((t) => t.state === 'complete'), options.study.direction)[0]?.value ?? null,
      executor: `Slurm job array ${jobId} of ${launch.workers} worker${launch.workers === 1 ? '' : 's'}`,
      slots: 0,
      backend: null,
      backendNote: null,
    });
    let trials: FrozenTrial[] = before;
    try {
      for (;;) {
        // The queue first: a task's last trial is in storage before the task leaves it.
        ended = (await queuedStates(jobId)).length === 0;
        trials = await storage.listTrials(options.study.id);
        for (const t of trials) {
          if (!isFinished(t.state) || seen.has(t.number)) continue;
          seen.add(t.number);
          progress.trialFinished?.(t, seconds(t));
        }
        if (ended || budgetMet(trials, cap, sampler)) break;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    } finally {
      progress.stop();
      process.off('SIGINT', onSignal);
    }
    if (!ended && budgetMet(trials, cap, sampler)) await cancelLeftovers(jobId, options.study.name);
    const summary: RunSummary = { study: options.study, resumed: false, ran: seen.size - before.filter((t) => isFinished(t.state)).length, interrupted: false, halted: null, trials };
    await judgeShown(storage, summary, { json: options.json !== null, quiet: options.quiet });
    return { summary, met: budgetMet(trials, cap, sampler) };
  });
  if (options.json === null) report(result.summary, { json: false, quiet: options.quiet }, maskPassword(launch.location));
  else printJson({ ...options.json, summary: summaryJson(result.summary, maskPassword(launch.location)) });
  if (!result.met && ended) {
    const finished = result.summary.trials.filter((t) => isFinished(t.state)).length;
    err(`hpsearch: job array ${jobId} ended with ${finished} of ${cap ?? '?'} trials finished; rerun the command to add workers (the tasks' logs are in runs/slurm/)`);
    process.exitCode = ExitCode.checkFailed;
    return;
  }
  if (endRun({ result: result.summary, signalCode: 0 }, 'add workers to') && launch.requirements.length > 0) {
    await withStorage(await openForCommand(launch.location, { readOnly: true }), (s: Storage) => gate(s, options.study, launch.requirements, false));
  }
}

function seconds(t: FrozenTrial): number {
  return t.started === null || t.finished === null ? 0 : (Date.parse(t.finished) - Date.parse(t.started)) / 1000;
}

/** The study is complete: tasks still waiting for a node would only start to find nothing to do. */
async function cancelLeftovers(jobId: string, study: string): Promise<void> {
  const pending = (await queuedStates(jobId)).filter((state) => state === 'PENDING').length;
  if (pending === 0) return;
  await cancelPending(jobId);
  err(`hpsearch: study ${study} is complete: cancelled the ${pending} pending task${pending === 1 ? '' : 's'} of job array ${jobId} (the running ones end by themselves)`);
}

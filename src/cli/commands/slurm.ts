import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { requireTool, submitBatch } from '../../launch/slurm-client.js';
import { checkSlurmTime, sbatchScript, slurmJobName, type SlurmJob } from '../../launch/slurm-script.js';
import { STORAGE_ENV } from '../../launch/workers.js';
import { maskPassword } from '../../store/pg-location.js';
import { err, out, printJson } from '../output.js';
import type { Args } from '../parser.js';
import { checkLaunch, createStudy, hpsearchCommand, workerArgs } from './launch-study.js';
import { followArray } from './slurm-follow.js';

/** Where the tasks' logs go, under the folder the command runs in. */
const LOG_DIR = 'runs/slurm';

function optionalText(value: unknown, flag: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${flag} needs a value`);
  return value.trim();
}

function listOf(value: unknown): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * `hpsearch slurm SPEC --storage URL --workers N`: creates the study and submits a job array
 * of N tasks, each `hpsearch worker` on it; prints the job id (`--dry-run`: the script,
 * nothing created or submitted). `--wait` follows the study until it is complete or the
 * array has ended, and exits as `run` does.
 */
export default async function slurm(args: Args): Promise<void> {
  const time = optionalText(args['time'], '--time');
  const launch = await checkLaunch(args, 'slurm');
  const job: SlurmJob = {
    study: launch.studyName,
    workers: launch.workers,
    resources: launch.resources,
    partition: optionalText(args['partition'], '--partition'),
    time: time === null ? null : checkSlurmTime(time),
    sbatchArgs: listOf(args['sbatchArg']),
    hpsearch: hpsearchCommand(),
    workdir: process.cwd(),
    logDir: resolve(LOG_DIR),
    workerArgs: workerArgs(args),
  };
  const script = sbatchScript(job);
  if (args['dryRun'] === true) {
    out(script.trimEnd());
    err(`hpsearch: --dry-run: nothing created or submitted (submitting this script by hand: export ${STORAGE_ENV}, and create the study first)`);
    return;
  }
  // Before the study is created: without Slurm nothing is left behind.
  requireTool('sbatch', 'hpsearch slurm');
  const { study, resumed } = await createStudy(launch, args);
  mkdirSync(job.logDir, { recursive: true });
  const jobId = await submitBatch(script, { ...process.env, [STORAGE_ENV]: launch.location });
  // The script as submitted, beside its tasks' logs (it holds no password: the URL is in the environment).
  const scriptPath = join(job.logDir, `${slurmJobName(study.name)}-${jobId}.sbatch`);
  writeFileSync(scriptPath, script);
  const shown = maskPassword(launch.location);
  const json = args['json'] === true;
  if (!json) out(jobId);
  err(
    `hpsearch: submitted job array ${jobId}: ${launch.workers} worker${launch.workers === 1 ? '' : 's'} on ${resumed ? 'resumed' : 'new'} study ${study.name} in ${shown}; ` +
      `script ${scriptPath}; logs in ${LOG_DIR}/; stop it with: scancel ${jobId}`,
  );
  const submitted = { job: jobId, study: study.name, resumed, workers: launch.workers, storage: shown, script: scriptPath, logs: job.logDir };
  if (args['wait'] !== true) {
    if (json) printJson(submitted);
    return;
  }
  await followArray({ launch, study, jobId, quiet: args['quiet'] === true, json: json ? submitted : null });
}

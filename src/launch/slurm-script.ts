/**
 * The sbatch script of a study's job array: N tasks, each `hpsearch worker` on the study.
 * The storage URL is not in the script (it may hold a password, and Slurm keeps scripts
 * where others can read them): the task reads it from $HPSEARCH_STORAGE, which sbatch
 * carries over from the submitting shell (its default --export=ALL).
 */
import { UsageError } from '../core/errors.js';
import { shellLine } from './shell.js';
import { STORAGE_ENV, type WorkerResources } from './workers.js';

export interface SlurmJob {
  study: string;
  workers: number;
  resources: WorkerResources;
  partition: string | null;
  /** Slurm's time limit (e.g. 02:00:00, 1-00:00:00), or null for the partition's default. */
  time: string | null;
  /** Further sbatch options, one per #SBATCH line (e.g. --account=lab). */
  sbatchArgs: readonly string[];
  /** How to start hpsearch on the nodes: the node binary and the launcher script. */
  hpsearch: readonly string[];
  /** Folder the tasks run in (the spec's relative paths resolve as they do here). */
  workdir: string;
  /** Folder of the tasks' logs (must exist before the job starts). */
  logDir: string;
  /** Further `hpsearch worker` options (e.g. --stale-after 30). */
  workerArgs: readonly string[];
}

/** The job name Slurm shows (squeue): hpsearch-STUDY, cut to a readable length. */
export function slurmJobName(study: string): string {
  return `hpsearch-${study.replace(/[^A-Za-z0-9_.-]+/g, '-')}`.slice(0, 64);
}

const TIME = /^(\d+-\d{1,2}(:\d{1,2}){0,2}|\d+(:\d{1,2}){0,2})$/;

/** Refuses a --time Slurm would not read (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS). */
export function checkSlurmTime(time: string): string {
  if (!TIME.test(time.trim())) throw new UsageError(`--time must be a Slurm time limit such as 02:00:00, 90 or 1-12:00:00 (got '${time}')`);
  return time.trim();
}

export function sbatchScript(job: SlurmJob): string {
  const { resources } = job;
  for (const arg of job.sbatchArgs) {
    if (!arg.startsWith('-') || /[\r\n]/.test(arg)) throw new UsageError(`--sbatch-arg must be one sbatch option such as --account=lab (got '${arg}')`);
  }
  const directives = [
    `--job-name=${slurmJobName(job.study)}`,
    `--array=0-${job.workers - 1}`,
    '--ntasks=1',
    `--cpus-per-task=${resources.cpus}`,
    ...(resources.gpus === null ? [] : [`--gres=gpu:${resources.gpus}`]),
    ...(job.partition === null ? [] : [`--partition=${job.partition}`]),
    ...(job.time === null ? [] : [`--time=${job.time}`]),
    // A preempted or failed node's task goes back in the queue; it finds the study where the others left it.
    '--requeue',
    '--open-mode=append',
    `--chdir=${job.workdir}`,
    `--output=${job.logDir}/%x-%A_%a.out`,
    ...job.sbatchArgs,
  ];
  const worker = shellLine([...job.hpsearch, 'worker', '--study', job.study, '--slots', String(resources.slots), ...job.workerArgs]);
  return [
    '#!/bin/bash',
    `# hpsearch: study ${job.study}, ${job.workers} worker${job.workers === 1 ? '' : 's'} of ${resources.slots} slot${resources.slots === 1 ? '' : 's'} each`,
    ...directives.map((d) => `#SBATCH ${d}`),
    'set -eu',
    `: "\${${STORAGE_ENV}:?the study storage URL: hpsearch slurm sets it; submitting this script by hand, export it first}"`,
    // exec: the worker itself gets Slurm's SIGTERM (scancel, preemption) and drains its trials.
    `exec ${worker} --storage "$${STORAGE_ENV}"`,
    '',
  ].join('\n');
}

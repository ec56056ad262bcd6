/**
 * The Slurm commands hpsearch runs: sbatch to submit, squeue to see whether a job array is
 * still there. Errors are LaunchError (exit 4, as for a storage the study cannot reach).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ExitCode, HpsearchError } from '../core/errors.js';

/** The scheduler is missing or refused the job. */
export class LaunchError extends HpsearchError {
  constructor(message: string) {
    super(message, ExitCode.storage);
  }
}

/** The executable `name` on PATH, or null. */
export function findOnPath(name: string, path: string | undefined = process.env['PATH']): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** Throws LaunchError naming the tool unless it is on PATH. */
export function requireTool(name: string, what: string): string {
  const file = findOnPath(name);
  if (file === null) throw new LaunchError(`${name} not found on PATH: ${what} needs Slurm's client commands (run it where sbatch works, e.g. a login node)`);
  return file;
}

function run(file: string, args: readonly string[], input: string | null, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') {
        reject(new LaunchError(`${file}: ${error.message}`));
        return;
      }
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
    if (input !== null) child.stdin?.end(input);
  });
}

/** Submits `script` (on stdin) and returns the job id sbatch prints with --parsable. */
export async function submitBatch(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  const sbatch = requireTool('sbatch', 'hpsearch slurm');
  const { code, stdout, stderr } = await run(sbatch, ['--parsable'], script, env);
  if (code !== 0) throw new LaunchError(`sbatch refused the job (exit ${code}): ${stderr.trim() || stdout.trim()}`);
  // --parsable prints "ID" or "ID;CLUSTER".
  const id = stdout.trim().split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) throw new LaunchError(`sbatch printed no job id: '${stdout.trim()}'`);
  return id;
}

/**
 * The states of the job array's tasks still in the queue (PENDING, RUNNING, …): none once
 * every task has ended (squeue lists no finished job, and forgets an old id altogether).
 */
export async function queuedStates(jobId: string): Promise<string[]> {
  const squeue = requireTool('squeue', 'hpsearch slurm --wait');
  const { code, stdout, stderr } = await run(squeue, ['--noheader', '--array', '--jobs', jobId, '--format', '%T'], null, process.env);
  if (code !== 0) {
    if (/invalid job id/i.test(stderr)) return [];
    throw new LaunchError(`squeue failed (exit ${code}): ${stderr.trim()}`);
  }
  return stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/** Cancels the job array's tasks still waiting in the queue (running ones are left to end on their own). */
export async function cancelPending(jobId: string): Promise<void> {
  const scancel = requireTool('scancel', 'hpsearch slurm --wait');
  const { code, stderr } = await run(scancel, ['--state=PENDING', jobId], null, process.env);
  if (code !== 0) throw new LaunchError(`scancel --state=PENDING ${jobId} failed (exit ${code}): ${stderr.trim()}`);
}

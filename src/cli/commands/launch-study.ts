/**
 * What `slurm` and `k8s` share: the spec checked as `run` checks it, a storage that workers
 * on several machines can share, and the study created (or resumed) as `run` creates it,
 * before any worker is started.
 */
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../core/errors.js';
import type { Spec } from '../../core/spec.js';
import type { Requirement } from '../../diagnose/requirements.js';
import { positiveCount, workerResources, type WorkerResources } from '../../launch/workers.js';
import { loadSpec } from '../../spec/index.js';
import { isPostgresUrl } from '../../store/pg-location.js';
import type { StudyRecord } from '../../store/storage.js';
import { openStudy } from '../../study/open.js';
import { openForCommand, storageLocation, withStorage } from '../context.js';
import type { Args } from '../parser.js';
import { staleness } from '../worker-options.js';
import { requirementsOf } from './check.js';
import { checkBeforeTrials, preflightStep } from './run-checks.js';

export interface Launch {
  spec: Spec;
  /** The storage location as given (a URL); the workers get it through their environment. */
  location: string;
  studyName: string;
  workers: number;
  resources: WorkerResources;
  requirements: Requirement[];
}

/**
 * A SQLite file is refused: its locks do not hold across machines (NFS), and a cluster's
 * tasks land on any node. In-memory storage is nothing the workers could share.
 */
export function checkSharedStorage(location: string, command: string): void {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.test(location) && location !== ':memory:';
  if (isPostgresUrl(location) || scheme) return;
  const what = location === ':memory:' ? 'in-memory storage is' : `${location} is a SQLite file, which is`;
  throw new UsageError(
    `hpsearch ${command}: ${what} not safe for workers on several machines (SQLite's locks do not hold over NFS); ` +
      'give --storage a postgresql:// URL that every node reaches',
  );
}

/** Everything checked, nothing created yet: a bad spec, option or storage exits 2 here. */
export async function checkLaunch(args: Args, command: string): Promise<Launch> {
  const workers = positiveCount(args['workers'], '--workers', true) ?? 1;
  const slots = positiveCount(args['slots'], '--slots', false);
  const cpus = positiveCount(args['cpusPerWorker'], '--cpus-per-worker', false);
  const gpus = positiveCount(args['gpusPerWorker'], '--gpus-per-worker', false);
  const spec = await loadSpec(String(args['spec']));
  const requirements = requirementsOf(args);
  await checkBeforeTrials(spec, requirements);
  const location = storageLocation(args['storage'], spec.storage);
  checkSharedStorage(location, command);
  return {
    spec,
    location,
    studyName: typeof args['study'] === 'string' && args['study'] !== '' ? args['study'] : spec.name,
    workers,
    resources: workerResources({ slots, cpus, gpus, specParallelism: spec.parallelism }),
    requirements,
  };
}

/** Creates the study (or resumes it by name) after the preflight checks, as `run` does; nothing runs here. */
export async function createStudy(launch: Launch, args: Args): Promise<{ study: StudyRecord; resumed: boolean }> {
  const { spec } = launch;
  if (args['preflight'] !== false && spec.trainer === 'tfjs') await preflightStep(spec, args['quiet'] === true);
  const storage = await openForCommand(launch.location);
  return withStorage(storage, (s) => openStudy(s, spec, { name: launch.studyName, allowSpecChange: args['allowSpecChange'] === true }));
}

/** How to start this hpsearch on a node that shares this file system: this node binary, this checkout's launcher. */
export function hpsearchCommand(): string[] {
  return [process.execPath, fileURLToPath(new URL('../../../../bin/hpsearch.js', import.meta.url))];
}

/** --stale-after, checked here and passed on to every worker. */
export function workerArgs(args: Args): string[] {
  staleness(args);
  const stale = args['staleAfter'];
  return typeof stale === 'number' ? ['--stale-after', String(stale)] : [];
}


import { UsageError } from '../../core/errors.js';
import { loadSpec } from '../../spec/index.js';
import { isJournalLocation } from '../../store/journal-location.js';
import { isPostgresUrl } from '../../store/pg-location.js';
import { BACKENDS } from '../../train/identifiers.js';
import { openForCommand, storageLocation, withStorage } from '../context.js';
import { endRun, graceOf, optionalPositiveInt, report } from '../run-end.js';
import { runSession } from '../run-session.js';
import { staleness } from '../worker-options.js';
import { gate, requirementsOf } from './check.js';
import { checkBeforeTrials, isNewFile, preflightStep } from './run-checks.js';
import type { Args } from '../parser.js';
import { serveBeside } from '../live.js';
import type { LiveServer } from '../../report/index.js';
import { portOf } from './serve.js';

/** `hpsearch run SPEC`: creates or resumes the study and runs its trials to the budget. */
export default async function run(args: Args): Promise<void> {
  const spec = await loadSpec(String(args['spec']));
  const backend = args['backend'];
  if (backend !== undefined) {
    if (typeof backend !== 'string' || !(BACKENDS as readonly string[]).includes(backend)) {
      throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}`);
    }
    spec.train = { ...spec.train, backend };
  }
  const runCap = optionalPositiveInt(args['runCap'], '--run-cap');
  const parallelism = slotsOf(args);
  const graceSeconds = graceOf(args['grace']);
  const requirements = requirementsOf(args);
  await checkBeforeTrials(spec, requirements);
  const location = storageLocation(args['storage'], spec.storage);
  // Preflight runs only when trials are about to start: at once for a new database (so a
  // failure leaves no file), else once the study is open and known to have trials left.
  const preflight = args['preflight'] !== false && spec.trainer === 'tfjs' ? (): Promise<void> => preflightStep(spec, args['quiet'] === true) : undefined;
  const newFile = isNewFile(location);
  if (preflight !== undefined && newFile) await preflight();
  const storage = await openForCommand(location);
  const studyName = typeof args['study'] === 'string' ? args['study'] : spec.name;
  const summary = await withStorage(storage, async () => {
    // `--serve`: the live page beside the run, reading the same storage.
    const live: LiveServer | null = args['serve'] === true ? await serveBeside(storage.location, studyName, portOf(args['port'])) : null;
    try {
      return await runSession({
          spec,
          storage,
          parallelism,
          quiet: args['quiet'] === true,
          json: args['json'] === true,
          graceSeconds,
          study: {
            studyName: typeof args['study'] === 'string' ? args['study'] : undefined,
            runCap,
            allowSpecChange: args['allowSpecChange'] === true,
            beforeTrials: newFile ? undefined : preflight,
            // On a shared database this process is one of the study's workers (see `worker`).
            ...(isPostgresUrl(location) || isJournalLocation(location) ? { linger: { idleExitMs: null, pollMs: 1_000 }, ...staleness(args) } : {}),
          },
      });
    } finally {
      await live?.close();
    }
  });
  report(summary.result, { json: args['json'] === true, quiet: args['quiet'] === true }, storage.location);
  if (endRun(summary, 'resume') && requirements.length > 0) {
    await withStorage(await openForCommand(storageLocation(args['storage'], spec.storage), { readOnly: true }), (s) => gate(s, summary.result.study, requirements, false));
  }
}

/** `--slots N`, or `--parallelism N`, its older name: the same number when both are given. */
function slotsOf(args: Args): number | null {
  const slots = optionalPositiveInt(args['slots'], '--slots');
  const parallelism = optionalPositiveInt(args['parallelism'], '--parallelism');
  if (slots !== null && parallelism !== null && slots !== parallelism) {
    throw new UsageError(`--slots ${slots} and --parallelism ${parallelism} disagree: they are one setting, give one`);
  }
  return slots ?? parallelism;
}

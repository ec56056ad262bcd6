import { UsageError } from '../../core/errors.js';
import { joinStudy } from '../../study/join.js';
import { openForCommand, resolveStudy, storageLocation, withStorage } from '../context.js';
import { runSession } from '../run-session.js';
import { staleness } from '../worker-options.js';
import type { Args } from '../parser.js';
import { endRun, graceOf, optionalPositiveInt, report } from '../run-end.js';

/**
 * `hpsearch worker --storage URL [--study NAME]`: joins an existing study (by default the
 * only one in the storage) from the spec
 * stored with it and runs its trials in this machine's slots until the study's budget is
 * met (waiting meanwhile to take over trials orphaned elsewhere), --max-trials have been
 * started here, or --idle-exit seconds passed with nothing to claim.
 */
export default async function worker(args: Args): Promise<void> {
  const slots = optionalPositiveInt(args['slots'], '--slots');
  const maxTrials = optionalPositiveInt(args['maxTrials'], '--max-trials');
  const idle = args['idleExit'];
  if (idle !== undefined && (typeof idle !== 'number' || !Number.isFinite(idle) || idle < 0)) {
    throw new UsageError('--idle-exit must be a number of seconds ≥ 0');
  }
  const graceSeconds = graceOf(args['grace']);
  const dataRoot = typeof args['dataRoot'] === 'string' ? args['dataRoot'] : null;
  const storage = await openForCommand(storageLocation(args['storage']), { mustExist: true });
  const summary = await withStorage(storage, async () => {
    const { study, spec } = await joinStudy(storage, (await resolveStudy(storage, args['study'])).name, { dataRoot });
    return runSession({
      spec,
      storage,
      parallelism: slots,
      quiet: args['quiet'] === true,
      json: args['json'] === true,
      graceSeconds,
      study: {
        studyName: study.name,
        maxTrials,
        linger: { idleExitMs: typeof idle === 'number' ? idle * 1000 : null, pollMs: 1_000 },
        ...staleness(args),
      },
    });
  });
  report(summary.result, { json: args['json'] === true, quiet: args['quiet'] === true }, storage.location);
  endRun(summary, 'rejoin');
}

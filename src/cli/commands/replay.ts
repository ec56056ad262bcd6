import { CheckFailedError, UsageError } from '../../core/errors.js';
import { createExecutor } from '../../pool/index.js';
import { joinStudy } from '../../study/join.js';
import { REPLAY_OF_ATTR, replaySchedule, type ReplayResult } from '../../study/replay.js';
import { openForCommand, storageLocation, withStorage } from '../context.js';
import { fmt, out, printJson } from '../output.js';
import type { Args } from '../parser.js';

const DEFAULT_TOLERANCE = 1e-6;

/**
 * `hpsearch replay STUDY [--trial N]`: retrains a pbt member's schedule from scratch as one
 * trial of `STUDY-replay` and says whether it reproduces the member's result (exit 1 when
 * the difference exceeds --tolerance or the replay did not complete).
 */
export default async function replay(args: Args): Promise<void> {
  const number = args['trial'];
  if (number !== undefined && (typeof number !== 'number' || !Number.isInteger(number) || number < 0)) throw new UsageError('--trial must be a trial number (a whole number ≥ 0)');
  const tolerance = args['tolerance'] ?? DEFAULT_TOLERANCE;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) throw new UsageError('--tolerance must be a number ≥ 0');
  const dataRoot = typeof args['dataRoot'] === 'string' ? args['dataRoot'] : null;
  const storage = await openForCommand(storageLocation(args['storage']), { mustExist: true });
  const result = await withStorage(storage, async () => {
    const { study, spec } = await joinStudy(storage, String(args['study']), { dataRoot });
    if (spec.method !== 'pbt') throw new UsageError(`study '${study.name}' is not a pbt study (method ${spec.method}): it has no schedule to replay`);
    const executor = await createExecutor({ spec, parallelism: 1 });
    try {
      return await replaySchedule({ storage, study, spec, executor, ...(number === undefined ? {} : { trial: number }) });
    } finally {
      await executor.close();
    }
  });
  const { trial, original } = result;
  const difference = trial.value === null || original.value === null ? null : trial.value - original.value;
  const reproduces = trial.state === 'complete' && difference !== null && Math.abs(difference) <= tolerance;
  if (args['json'] === true) printJson(replayJson(result, difference, reproduces, tolerance));
  else printReplay(result, difference, reproduces, tolerance);
  if (!reproduces) throw new CheckFailedError(`replay of member ${result.member} did not reproduce trial ${original.number}'s result${trial.error === null ? '' : ` (${trial.error})`}`);
}

function replayJson(r: ReplayResult, difference: number | null, reproduces: boolean, tolerance: number): unknown {
  return {
    study: r.study.attrs[REPLAY_OF_ATTR],
    replay_study: r.study.name,
    trial: r.trial.number,
    state: r.trial.state,
    value: r.trial.value,
    member: r.member,
    original: { trial: r.original.number, value: r.original.value },
    difference,
    tolerance,
    reproduces,
    schedule: r.schedule,
  };
}

function printReplay(r: ReplayResult, difference: number | null, reproduces: boolean, tolerance: number): void {
  const { trial, original, study } = r;
  const last = r.schedule.at(-1);
  out(`replayed member ${r.member}'s schedule (trial ${original.number}'s lineage, epochs 0–${last?.end_epoch ?? 0}) as trial ${trial.number} of study ${study.name}:`);
  for (const s of r.schedule) {
    const params = Object.entries(s.params).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : String(v)}`).join(' ');
    out(`  ${`epochs ${s.start_epoch}–${s.end_epoch}`.padEnd(14)} ${params}  (as trial ${s.trial})`);
  }
  const metric = study.metric;
  const delta = difference === null ? '-' : `${difference >= 0 ? '+' : ''}${fmt(difference)}`;
  out(`${metric}: replay ${fmt(trial.value) || '-'} (${trial.state}${trial.error === null ? '' : `: ${trial.error}`}), original ${fmt(original.value)}, difference ${delta}`);
  out(reproduces ? `reproduces (|difference| ≤ ${tolerance})` : `does not reproduce (|difference| > ${tolerance}, or the replay did not complete)`);
}

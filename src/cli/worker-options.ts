/** Options of the processes that share a study on one database: `worker`, and `run` against a URL. */
import type { OptionSpec as Options } from './options.js';
import { UsageError } from '../core/errors.js';

export const staleOption = {
  'stale-after': {
    type: 'number',
    describe: "seconds without a heartbeat (by the database's clock) after which another process re-runs a trial (default 120)",
  },
} as const satisfies Record<string, Options>;

/** staleAfterMs and heartbeatMs from --stale-after (heartbeats four times per window, at most every 5 s). */
export function staleness(args: Record<string, unknown>): { staleAfterMs?: number; heartbeatMs?: number } {
  const value = args['staleAfter'];
  if (value === undefined) return {};
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new UsageError('--stale-after must be a number of seconds > 0');
  return { staleAfterMs: value * 1000, heartbeatMs: Math.min(5_000, (value * 1000) / 4) };
}

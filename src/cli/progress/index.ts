import { LineProgress } from './lines.js';
import type { ProgressView } from './view.js';

export type { ProgressView } from './view.js';

/** Whether `CI` is set to something other than empty or "false". */
function inCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false';
}

/**
 * Bars when stderr is a terminal and CI is not set; plain lines otherwise (one per event,
 * see LineProgress); with --quiet nothing but warnings (the summary is printed after the run).
 */
export async function createProgress(options: { quiet: boolean }): Promise<ProgressView> {
  const write = (line: string): void => void process.stderr.write(`${line}\n`);
  if (options.quiet) return { warn: write, stop: () => undefined };
  // The bars (and cli-progress) are imported only for a terminal: workers in a batch job never load them.
  if (process.stderr.isTTY && !inCi(process.env)) return new (await import('./bars.js')).BarProgress(process.stderr);
  return new LineProgress(write);
}

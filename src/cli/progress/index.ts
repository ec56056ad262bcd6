import type { StudyEvents } from '../../study/events.js';
import { BarProgress } from './bars.js';
import { LineProgress } from './lines.js';

export interface ProgressView extends StudyEvents {
  stop(): void;
}

/**
 * Bars when stderr is a terminal and CI is not set; plain lines otherwise; nothing but
 * warnings with --quiet.
 */
export function createProgress(options: { quiet: boolean }): ProgressView {
  const write = (line: string): void => void process.stderr.write(`${line}\n`);
  if (options.quiet) return { info: () => undefined, stop: () => undefined };
  const ci = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';
  if (process.stderr.isTTY && !ci) return new BarProgress(process.stderr);
  const lines = new LineProgress(write);
  return Object.assign(lines, { stop: () => undefined });
}

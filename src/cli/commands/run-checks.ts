import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorMessage, UsageError } from '../../core/errors.js';
import type { Spec } from '../../core/spec.js';
import { err } from '../output.js';

/**
 * The data a tfjs spec names, loaded and split once before any trial (header, rows, label
 * column, split file): a data error is bad input (exit 2), not thirty failed trials.
 */
export async function checkRunData(spec: Spec): Promise<void> {
  // Generated and bundled data (synthetic, mnist) have nothing to check unless a split file assigns their rows.
  if (spec.trainer !== 'tfjs' || spec.data === null || (spec.data.source !== 'csv' && spec.data.split_file === null)) return;
  const { checkData } = await import('../../train/data/check.js');
  try {
    checkData(spec.data, spec.seed);
  } catch (error) {
    throw new UsageError(`data: ${errorMessage(error)}`);
  }
}

/** The preflight checks, printed (with --quiet only when one fails); throws when one fails. */
export async function preflightStep(spec: Spec, quiet: boolean): Promise<void> {
  const { runPreflight } = await import('./preflight.js');
  const lines: string[] = [];
  try {
    await runPreflight(spec, false, (line) => (quiet ? lines.push(line) : err(line)));
  } catch (error) {
    for (const line of lines) err(line);
    throw error;
  }
}

/** Whether a storage location is a SQLite file that does not exist yet (the study is new). */
export function isNewFile(location: string): boolean {
  return location !== ':memory:' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !existsSync(resolve(location));
}

import { existsSync } from 'node:fs';
import { distance } from 'fastest-levenshtein';
import { resolve } from 'node:path';
import { errorMessage, UsageError } from '../../core/errors.js';
import type { Spec } from '../../core/spec.js';
import type { Requirement } from '../../diagnose/requirements.js';
import { FINAL_METRICS, REPORTED_ATTRS, REPORTED_METRICS } from '../../train/identifiers.js';
import { err } from '../output.js';
import { checkModuleTrainer } from '../../train/module-trainer.js';
import { checkNames } from './check.js';
import { isJournalLocation, journalPath } from '../../store/journal-location.js';

/** What `run` checks before it opens the storage (and `slurm`, `k8s` before they create a study): a failure exits 2 with nothing created. */
export async function checkBeforeTrials(spec: Spec, requirements: readonly Requirement[]): Promise<void> {
  checkRunRequirements(spec, requirements);
  if (spec.trainer === 'module' && spec.module !== null) await checkModuleTrainer(spec.module);
  await checkRunData(spec);
}

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

/** Whether a storage location is a SQLite or journal file that does not exist yet (the study is new). */
export function isNewFile(location: string): boolean {
  if (isJournalLocation(location)) return !existsSync(journalPath(location));
  return location !== ':memory:' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !existsSync(resolve(location));
}

/**
 * `run --require`: a metric no trial will record is refused before anything starts (exit 2),
 * not after the whole run. The tfjs trainer's metrics are known; another trainer's script may
 * report any, so there only a near miss of the spec's metrics (one or two letters off, and no
 * standard name) is taken for a typo.
 */
export function checkRunRequirements(spec: Spec, requirements: readonly Requirement[]): void {
  const stated = [spec.metric.name, ...(spec.objectives ?? []).map((o) => o.name), ...(spec.early_terminate === null ? [] : [spec.early_terminate.metric])];
  const standard: readonly string[] = [...REPORTED_METRICS, ...FINAL_METRICS, ...REPORTED_ATTRS];
  if (spec.trainer === 'tfjs') {
    checkNames(requirements, [...stated, ...standard], 'the tfjs trainer reports');
  } else {
    const typo = (metric: string): boolean => !standard.includes(metric) && stated.some((name) => distance(metric, name) <= 2);
    checkNames(requirements, stated, 'the spec names', typo);
  }
}

/** Specs running test/fixtures/objectives/unruly.js, and reading who ran each trial. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from '../helpers.js';
import type { StoredTrial } from '../study/live-cli.js';

export function unrulySpec(dir: string, options: { pool: 'thread' | 'process'; modes: string[]; extra?: string }): string {
  const path = join(dir, `unruly-${options.pool}.yaml`);
  writeFileSync(
    path,
    [
      'name: unruly',
      'seed: 5',
      'method: grid',
      'metric: { name: val_accuracy, goal: maximize }',
      'trainer: module',
      `module: ${join(fixturesDir, 'objectives', 'unruly.js')}`,
      `pool: ${options.pool}`,
      'parameters:',
      `  mode: { values: [${options.modes.join(', ')}] }`,
      options.extra ?? '',
    ].join('\n'),
  );
  return path;
}

/** The worker (process id and thread id) that ran a trial, from its first epoch. */
export function workerOf(trial: StoredTrial): string {
  const m = trial.epochs[0]?.metrics;
  return `${m?.['pid']}:${m?.['thread']}`;
}

/**
 * Optuna's side of the sampler bench: one Python process per (objective, sampler) looping
 * over the seeds (optuna_run.py, NopPruner), read line by line as it goes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SeedRun } from './ours.js';

export const OPTUNA_SAMPLERS = ['tpe', 'random'] as const;
export type OptunaSampler = (typeof OPTUNA_SAMPLERS)[number];

/** The bench's Python files (sources: tsc does not copy them into dist/). */
export const PYTHON_DIR = fileURLToPath(new URL('../../../bench/search/', import.meta.url));

/** The Optuna version `python` imports, or why there is none. */
export function optunaVersion(python: string): { version: string } | { missing: string } {
  const r = spawnSync(python, ['-c', 'import optuna; print(optuna.__version__)'], { encoding: 'utf8' });
  if (r.error !== undefined) return { missing: `${python} cannot be run (${r.error.message})` };
  if (r.status !== 0) return { missing: `${python} has no Optuna (${r.stderr.trim().split('\n').pop() ?? ''})` };
  return { version: r.stdout.trim() };
}

/** Runs one Optuna sampler on `objective` for every seed. */
export function runOptuna(python: string, objective: string, sampler: OptunaSampler, trials: number, seeds: readonly number[]): Promise<SeedRun[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['optuna_run.py', objective, sampler, String(trials), ...seeds.map(String)], { cwd: PYTHON_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    const runs: SeedRun[] = [];
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const row = JSON.parse(line) as Partial<SeedRun>;
        if (row.values !== undefined) runs.push(row as SeedRun);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && runs.length === seeds.length) resolve(runs);
      else reject(new Error(`${python} optuna_run.py ${objective} ${sampler} exited with ${code}: ${stderr.trim().slice(-2000)}`));
    });
  });
}

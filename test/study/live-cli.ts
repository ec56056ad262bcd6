/** Spawning the real CLI and watching its stderr as it runs (for kills and signals). */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, fixturesDir, repoRoot, type CliResult } from '../helpers.js';
import { openStorage } from '../../src/store/open.js';
import type { FrozenTrial, EpochRecord } from '../../src/core/types.js';

export interface LiveCli {
  readonly child: ChildProcess;
  /** Resolves once stderr has shown `count` lines matching `pattern`; rejects if the CLI ends first. */
  waitFor(pattern: RegExp, count?: number): Promise<void>;
  /** How many stderr lines so far match `pattern`. */
  count(pattern: RegExp): number;
  /** The CLI's end, with everything it printed. */
  readonly done: Promise<CliResult>;
}

/** Starts the built CLI without a TTY and with CI set (progress as plain lines). */
export function startCli(args: readonly string[], env: Record<string, string> = {}): LiveCli {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    env: { ...process.env, CI: '1', HPSEARCH_STORAGE: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const lines: string[] = [];
  let pending = '';
  const watchers = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    const parts = (pending + d).split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
    for (const check of watchers) check();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const check of watchers) check();
      resolve({ code, signal, stdout, stderr });
    });
  });
  const waitFor = (pattern: RegExp, count = 1): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (lines.filter((l) => pattern.test(l)).length >= count) {
          watchers.delete(check);
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          watchers.delete(check);
          reject(new Error(`the CLI ended before printing ${count} line(s) matching ${String(pattern)}:\n${stderr}`));
        }
      };
      watchers.add(check);
      check();
    });
  return { child, waitFor, count: (pattern) => lines.filter((l) => pattern.test(l)).length, done };
}

/** Writes a spec running test/fixtures/objectives/sleepy.js into `dir`; returns its path. */
export function sleepySpec(dir: string, options: { name?: string; runCap: number; epochs: number; sleepMs: number; extra?: string }): string {
  const path = join(dir, `${options.name ?? 'sleepy'}.yaml`);
  writeFileSync(
    path,
    [
      `name: ${options.name ?? 'sleepy'}`,
      'seed: 13',
      'method: random',
      'metric: { name: val_accuracy, goal: maximize }',
      `run_cap: ${options.runCap}`,
      'trainer: module',
      `module: ${join(fixturesDir, 'objectives', 'sleepy.js')}`,
      `train: { epochs: ${options.epochs}, sleep_ms: ${options.sleepMs} }`,
      'parameters:',
      '  lr: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0 }',
      options.extra ?? '',
    ].join('\n'),
  );
  return path;
}

export interface StoredTrial extends FrozenTrial {
  epochs: EpochRecord[];
}

/** Every trial of the only study in `db`, with its epochs, and the database's integrity check. */
export async function readStudy(db: string): Promise<{ trials: StoredTrial[]; integrity: string }> {
  const storage = await openStorage(db, { mustExist: true });
  try {
    const [study] = await storage.listStudies();
    if (study === undefined) return { trials: [], integrity: await storage.integrityCheck() };
    const curves = await storage.getStudyEpochs(study.id);
    const trials = (await storage.listTrials(study.id)).map((t) => ({ ...t, epochs: curves.get(t.number) ?? [] }));
    return { trials, integrity: await storage.integrityCheck() };
  } finally {
    await storage.close();
  }
}

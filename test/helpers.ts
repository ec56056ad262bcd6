import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/...). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
export const cliPath = join(repoRoot, 'bin', 'hpsearch.js');

/** A fresh temporary directory, removed when the process exits. */
export function tempDir(prefix = 'hpsearch-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A trial as `hpsearch trials --json` prints it. */
export interface TrialJson {
  number: number;
  state: string;
  value: number | null;
  params: Record<string, number | string>;
  seed: number;
  attempt: number;
  started: string | null;
  finished: string | null;
  seconds: number | null;
  worker: string | null;
  error: string | null;
  attrs: Record<string, unknown>;
}

/** A trial as `hpsearch show --json` prints it: its row, with its study, metric and epochs. */
export interface ShowJson extends TrialJson {
  study: string;
  metric: string;
  epochs: { epoch: number; metrics: Record<string, number> }[];
}

/** Parses a command's JSON output as T. */
export function json<T>(text: string): T {
  return JSON.parse(text) as T;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns the built CLI as a user would, without a TTY and with CI set. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, CI: '1', HPSEARCH_STORAGE: undefined, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Writes `files` (name → text) and `spec.yaml` into a fresh temp dir and runs the study there
 * (`hpsearch run spec.yaml --storage <dir>/<db> --quiet`, plus `args`); returns the dir, the
 * storage path and the run's result.
 */
export async function runStudyIn(
  files: Record<string, string>,
  spec: string,
  db: string,
  args: readonly string[] = [],
): Promise<{ dir: string; db: string; run: CliResult }> {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const specPath = join(dir, 'spec.yaml');
  writeFileSync(specPath, spec);
  const storage = join(dir, db);
  return { dir, db: storage, run: await runCli(['run', specPath, '--storage', storage, '--quiet', ...args]) };
}

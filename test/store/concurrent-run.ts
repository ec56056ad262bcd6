/** Runs test/store/concurrent-child.ts as a real child process and collects the trial numbers it got. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./concurrent-child.js', import.meta.url));

export interface ChildResult {
  code: number | null;
  numbers: number[];
  stderr: string;
}

export function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stderr, numbers: code === 0 ? (JSON.parse(stdout) as number[]) : [] }));
  });
}

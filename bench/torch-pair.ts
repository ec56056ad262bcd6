/**
 * What the same machine gives PyTorch for the slots section's workload: the slot study's model
 * trained by bench/torch/pair.py (one torch thread) in two processes at once, ÷ one alone, with
 * the rounds and the ratio taken as the section's ceiling row takes them. It tells a machine
 * whose two cores cannot both run this sgemm-heavy loop at full speed from a shortfall of ours.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { oneThreadEnv } from './python.js';
import { pairSpeedup } from './timing.js';

const SCRIPT = fileURLToPath(new URL('../../bench/torch/pair.py', import.meta.url));

/** One pair.py process: its lines, one at a time, in order. */
interface Trainer {
  child: ChildProcessWithoutNullStreams;
  line(): Promise<string>;
}

function start(python: string): Trainer {
  const child = spawn(python, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'], env: oneThreadEnv() });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    child,
    async line() {
      const next = await lines.next();
      if (next.done === true) throw new Error(`bench/torch/pair.py stopped: ${stderr.trim()}`);
      return next.value;
    },
  };
}

/** Median over `rounds` of (2 × one process's time alone ÷ the slower of two at once), `epochs` epochs each. */
export async function torchPairSpeedup(python: string, epochs: number, rounds: number): Promise<number> {
  const trainers = [start(python), start(python)];
  try {
    for (const t of trainers) if ((await t.line()) !== 'ready') throw new Error('bench/torch/pair.py did not start');
    return await pairSpeedup(async (copies) => {
      const ts = trainers.slice(0, copies);
      for (const t of ts) t.child.stdin.write(`${epochs}\n`);
      const ms = await Promise.all(ts.map(async (t) => Number(await t.line())));
      return Math.max(...ms);
    }, rounds);
  } finally {
    for (const t of trainers) t.child.stdin.end();
  }
}

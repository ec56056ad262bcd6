/**
 * `npm run bench`: runs the sections in sequence and prints one table and a final JSON line
 * (`{"bench":[rows]}`). A section is one exported async function in its own file returning
 * rows (see types.ts); add yours to SECTIONS. Progress goes to stderr.
 */
import os from 'node:os';
import { printReport } from './report.js';
import type { BenchRow, BenchSection } from './types.js';
import { benchBlasTorch } from './blas-torch.js';
import { benchAugment } from './augment.js';
import { wasmCnn } from './wasm-cnn.js';
import { wasmMatmul } from './wasm-matmul.js';
import { wasmMlp } from './wasm-mlp.js';
import { wasmTiny } from './wasm-tiny.js';
import { benchEpochWriter } from './epoch-writes.js';
import { benchOrchestration } from './orchestration.js';
import { benchSlots } from './slots.js';
import { benchQueries } from './queries.js';
import { benchSearchPruning } from './search-pruning.js';
import { benchSearchQuality } from './search-quality.js';
import { benchGpSampler } from './gp-sampler.js';
import { benchPostgres } from './postgres.js';
import { benchPruneVsOptuna } from './prune-vs-optuna.js';
import { benchPbt } from './pbt.js';

const SECTIONS: ReadonlyArray<[string, BenchSection]> = [
  ['wasm-matmul', wasmMatmul],
  ['wasm-mlp', wasmMlp],
  ['wasm-cnn', wasmCnn],
  ['wasm-tiny', wasmTiny],
  ['augment', benchAugment],
  ['blas', benchBlasTorch],
  ['slots', benchSlots],
  ['orchestration', benchOrchestration],
  ['epoch-writes', benchEpochWriter],
  ['queries', benchQueries],
  ['search-quality', benchSearchQuality],
  ['search-pruning', benchSearchPruning],
  ['prune-vs-optuna', benchPruneVsOptuna],
  ['gp', benchGpSampler],
  ['postgres', benchPostgres],
  ['pbt', benchPbt],
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: BenchRow[] = [];
  let failed = false;
  for (const [name, section] of SECTIONS) {
    if (only.length > 0 && !only.includes(name)) continue;
    const start = performance.now();
    process.stderr.write(`bench: ${name}…`);
    try {
      rows.push(...(await section()));
      process.stderr.write(` ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      failed = true;
      process.stderr.write(` failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  }
  printReport(
    rows,
    `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}); times are medians of warm runs, ` +
      'in process CPU time unless a row says otherwise (timing.ts); ratios come from one run.',
  );
  if (failed) process.exitCode = 1;
}

await main();

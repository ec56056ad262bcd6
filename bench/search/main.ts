/**
 * `npm run bench:search [-- --seeds 100 --trials 25,50 --gp-trials 25 --objectives a,b
 * --samplers random,tpe,gp,auto|none --python-jobs 2 --optuna-from FILE --out FILE]`:
 * hpsearch's samplers against Optuna's TPESampler
 * and RandomSampler (NopPruner) on the objectives of objectives.ts, mean, median and
 * P(best beyond threshold) with bootstrap 95 % intervals. Optuna runs under /usr/bin/python3
 * (HPSEARCH_BENCH_PYTHON) and, when set, HPSEARCH_BENCH_OPTUNA_PYTHON too (say, a venv with the
 * newest Optuna); a column is skipped with a message where Python or Optuna is absent.
 * Results go to a JSON file; the tables are printed as Markdown.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_OBJECTIVES, benchObjective } from './objectives.js';
import { OUR_SAMPLERS, type OurSampler } from './ours.js';
import { runBench } from './run.js';
import { meanTable, objectiveTable, shareTable, type ObjectiveResult } from './table.js';
import type { ColumnResult } from './summary.js';

const { values: flags } = parseArgs({
  options: {
    seeds: { type: 'string', default: '100' },
    trials: { type: 'string', default: '25,50' },
    'gp-trials': { type: 'string', default: '25' },
    'python-jobs': { type: 'string', default: '2' },
    'optuna-from': { type: 'string' },
    objectives: { type: 'string', default: BENCH_OBJECTIVES.map((o) => o.name).join(',') },
    samplers: { type: 'string', default: OUR_SAMPLERS.join(',') },
    out: { type: 'string', default: 'bench/results/search-samplers.json' },
  },
});

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a positive integer, got "${text}"`);
  return n;
}

const samplers = (flags.samplers === 'none' ? [] : (flags.samplers ?? '').split(',')).map((s) => {
  if (!(OUR_SAMPLERS as readonly string[]).includes(s)) throw new Error(`--samplers: unknown sampler "${s}" (${OUR_SAMPLERS.join(', ')})`);
  return s as OurSampler;
});
const options = {
  objectives: (flags.objectives ?? '').split(',').map(benchObjective),
  seeds: positive('seeds', flags.seeds ?? ''),
  trials: (flags.trials ?? '').split(',').map((t) => positive('trials', t)).sort((a, b) => a - b),
  gpTrials: positive('gp-trials', flags['gp-trials'] ?? ''),
  ours: samplers,
  pythonJobs: positive('python-jobs', flags['python-jobs'] ?? ''),
  reuse: flags['optuna-from'] === undefined ? undefined : earlierResults(flags['optuna-from']),
  pythons: [process.env['HPSEARCH_BENCH_PYTHON'] ?? '/usr/bin/python3', ...(process.env['HPSEARCH_BENCH_OPTUNA_PYTHON'] ? [process.env['HPSEARCH_BENCH_OPTUNA_PYTHON']] : [])],
  log: (line: string) => process.stderr.write(`bench:search: ${line}\n`),
};

/** An earlier results file's objectives, as runBench takes them back. */
function earlierResults(path: string): ObjectiveResult[] {
  const saved = JSON.parse(readFileSync(path, 'utf8')) as { seeds: number; objectives: { name: string; columns: ColumnResult[] }[] };
  if (saved.seeds !== positive('seeds', flags.seeds ?? '')) throw new Error(`--optuna-from ${path} has ${saved.seeds} seeds, not ${flags.seeds}`);
  return saved.objectives.map((r) => ({ objective: benchObjective(r.name), columns: r.columns }));
}

const start = performance.now();
const results = await runBench(options);
const wallS = (performance.now() - start) / 1000;
const machine = `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg()[0]?.toFixed(1) ?? '?'}`;
const out = flags.out ?? '';
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine,
      wallS: Math.round(wallS),
      seeds: options.seeds,
      trials: options.trials,
      gpTrials: options.gpTrials,
      objectives: results.map((r) => ({ name: r.objective.name, about: r.objective.about, direction: r.objective.direction, threshold: r.objective.threshold, columns: r.columns })),
    },
    null,
    1,
  )}\n`,
);
const lines = [`${options.seeds} seeds, ${Math.round(wallS)} s wall on ${machine}; results in ${out}`, ''];
for (const n of options.trials) lines.push(...meanTable(results, n), '');
for (const r of results) lines.push(`### ${r.objective.name}: ${r.objective.about}`, '', ...objectiveTable(r), '', ...shareTable(r), '');
console.log(lines.join('\n'));

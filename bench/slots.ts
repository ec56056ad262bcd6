/** Bench section: how much a second slot adds, on a small TensorFlow.js study (wasm and blas backends). */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { Spec } from '../src/core/spec.js';
import { loadCblas } from '../src/train/blas/cblas.js';
import { createExecutor } from '../src/pool/index.js';
import { benchDir, specFrom, timeStudyOn } from './study-env.js';
import { findPython } from './python.js';
import { median, pairSpeedup } from './timing.js';
import { torchPairSpeedup } from './torch-pair.js';
import type { LoopWorkerData } from './loop-worker.js';
import type { BenchRow } from './types.js';

/** Rounds of (1 slot, 2 slots), back to back; the ratio is the median of the rounds' ratios. */
const ROUNDS = 4;
const TFJS_TRIALS = 16;
const SPIN_TRIALS = 4;
/** Epochs per tfjs trial: long enough that a trial's start and end are a small part of it. */
const TFJS_EPOCHS = 4;
const SPIN = fileURLToPath(new URL('../../test/fixtures/objectives/spin.js', import.meta.url));

const tfjsSpec = (backend: 'wasm' | 'blas'): string => `name: bench-slots-${backend}
seed: 1
method: random
metric: { name: val_loss, goal: minimize }
run_cap: ${TFJS_TRIALS}
data: { source: synthetic, kind: blobs, classes: 10, points: 6000, features: 64, split: { train: 0.8, val: 0.2, test: 0.0 } }
train: { epochs: ${TFJS_EPOCHS}, backend: ${backend}, layers: [256, 256], batch_size: 256, optimizer: adam }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 1.0e-4, max: 1.0e-2 }
`;

const SPIN_SPEC = `name: bench-spin
method: random
run_cap: ${SPIN_TRIALS}
trainer: module
module: ${SPIN}
metric: { name: v, goal: maximize }
parameters:
  a: { min: 0.0, max: 1.0 }
`;

/** One configuration's medians: trials per wall second, process CPU seconds per trial, main-thread busy fraction. */
interface SlotFigures {
  rate: number;
  cpuPerTrial: number;
  mainBusy: number;
}

/** Both configurations' medians on warm workers, the median over rounds of (2-slot rate ÷ 1-slot rate), and that ratio on fresh workers. */
interface SlotComparison {
  one: SlotFigures;
  two: SlotFigures;
  speedup: number;
  coldSpeedup: number;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Trials per second of one study on 1 and on 2 worker-thread slots (wall clock, fresh databases),
 * with the CPU time of the whole process per trial (all threads) and how busy the main thread's
 * event loop was. Each slot count keeps one executor for the whole section. Its first study
 * runs on fresh workers (`cold`: each worker's JavaScript and WebAssembly are compiled during
 * its first trials, in V8's background threads, and with two slots that work is done twice);
 * the rounds after it run on the same, warm workers, as the trials of a long study do. Rounds
 * alternate 1 and 2 slots so that load from elsewhere on the machine weighs on both; the
 * speed-up is the median of each round's ratio (its two runs back to back), steadier than a
 * ratio of medians while the load changes.
 */
async function rates(spec: Spec, dir: string): Promise<SlotComparison> {
  const executors = [await createExecutor({ spec, parallelism: 1 }), await createExecutor({ spec, parallelism: 2 })] as const;
  try {
    for (const executor of executors) await executor.prepare();
    const measure = async (i: number, label: string): Promise<SlotFigures> => {
      const cpu = cpuSeconds();
      const loop = performance.eventLoopUtilization();
      const { trials, seconds } = await timeStudyOn(executors[i]!, spec, join(dir, `${label}-${i + 1}.db`));
      return {
        rate: trials / seconds,
        cpuPerTrial: (cpuSeconds() - cpu) / trials,
        mainBusy: performance.eventLoopUtilization(loop).utilization,
      };
    };
    const cold = [await measure(0, 'cold'), await measure(1, 'cold')] as const;
    const seen: [SlotFigures[], SlotFigures[]] = [[], []];
    for (let round = 0; round < ROUNDS; round++) {
      for (const i of [0, 1] as const) seen[i].push(await measure(i, `round${round}`));
    }
    const medians = (xs: SlotFigures[]): SlotFigures => ({
      rate: median(xs.map((x) => x.rate)),
      cpuPerTrial: median(xs.map((x) => x.cpuPerTrial)),
      mainBusy: median(xs.map((x) => x.mainBusy)),
    });
    const speedup = median(seen[1].map((two, round) => two.rate / seen[0][round]!.rate));
    return { one: medians(seen[0]), two: medians(seen[1]), speedup, coldSpeedup: cold[1].rate / cold[0].rate };
  } finally {
    for (const executor of executors) await executor.close();
  }
}

/** Epochs each thread trains per timed run of the ceiling row. */
const CEILING_EPOCHS = 12;

/**
 * What two cores allow this workload, with nothing of hpsearch's pool around it: the slot
 * study's model trained by the trainer's own loop (trainer-loop.ts) in two bare worker threads
 * at once, ÷ one alone; the same work per thread, warm, rounds alternated, median of the
 * rounds' ratios. Two slots cannot beat it.
 */
async function bareThreads(backend: 'wasm' | 'blas'): Promise<number> {
  const data: LoopWorkerData = {
    backend,
    features: 64,
    classes: 10,
    rows: 4800,
    valRows: 1200,
    train: { layers: [256, 256], batch_size: 256, optimizer: 'adam', learning_rate: 1e-3 },
  };
  const entry = new URL('./loop-worker.js', import.meta.url);
  const workers = [new Worker(entry, { workerData: data }), new Worker(entry, { workerData: data })];
  const next = (w: Worker): Promise<unknown> =>
    new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  try {
    await Promise.all(workers.map(next));
    return await pairSpeedup(async (copies) => {
      const ws = workers.slice(0, copies);
      const answers = ws.map(next);
      for (const w of ws) w.postMessage(CEILING_EPOCHS);
      const ms = (await Promise.all(answers)) as number[];
      return Math.max(...ms);
    }, ROUNDS);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * The speed-up of a second slot: on a small tfjs study (the goal), and on a CPU-bound module
 * objective (test/fixtures/objectives/spin.js), which shows what the pool itself allows when
 * the two trainers do not compete for caches and memory.
 */
export async function benchSlots(): Promise<BenchRow[]> {
  const env = benchDir('slots');
  try {
    const tfjs = await rates(specFrom(env.dir, tfjsSpec('wasm')), env.dir);
    const blas = typeof loadCblas() === 'string' ? null : await rates(specFrom(env.dir, tfjsSpec('blas')), env.dir);
    const spin = await rates(specFrom(env.dir, SPIN_SPEC), env.dir);
    const ceilings = { wasm: await bareThreads('wasm'), blas: blas === null ? null : await bareThreads('blas') };
    const py = findPython(['torch']);
    const torchPair = typeof py === 'string' ? py : { version: py.versions['torch'] ?? '', speedup: await torchPairSpeedup(py.python, CEILING_EPOCHS, ROUNDS) };
    const [tf1, tf2] = [tfjs.one, tfjs.two];
    const name = `tfjs study, ${TFJS_TRIALS} trials of a 64-256-256-10 MLP on wasm (b256, ${TFJS_EPOCHS} epochs)`;
    return [
      { name: `${name}, 1 slot`, value: tf1.rate, unit: 'trials/s' },
      { name: `${name}, 2 slots`, value: tf2.rate, unit: 'trials/s' },
      { name: `${name}: throughput 2 slots ÷ 1 slot (wall clock, warm workers)`, value: tfjs.speedup, unit: '×', goal: '≥ 1.85 on 2 cores' },
      { name: `  the same, the first study on fresh workers (each compiles its code)`, value: tfjs.coldSpeedup, unit: '×' },
      ...(blas === null
        ? [{ name: 'the same study on blas: skipped (no OpenBLAS)', value: 0, unit: '' }]
        : [
            { name: 'the same study on blas, 1 slot', value: blas.one.rate, unit: 'trials/s' },
            { name: 'the same study on blas, 2 slots', value: blas.two.rate, unit: 'trials/s' },
            { name: 'the same study on blas: throughput 2 slots ÷ 1 slot (wall clock, warm workers)', value: blas.speedup, unit: '×', goal: '≥ 1.85 on 2 cores' },
            { name: '  the same, the first study on fresh workers (each compiles its code)', value: blas.coldSpeedup, unit: '×' },
          ]),
      { name: `CPU-bound module objective, ${SPIN_TRIALS} trials: throughput 2 slots ÷ 1 slot (same run, wall clock)`, value: spin.speedup, unit: '×' },
      { name: "ceiling: the study's model trained by the trainer's loop in 2 bare threads at once ÷ 1 (wasm; no pool, no study)", value: ceilings.wasm, unit: '×' },
      ...(ceilings.blas === null ? [] : [{ name: '  the same on blas', value: ceilings.blas, unit: '×' }]),
      typeof torchPair === 'string'
        ? { name: `PyTorch side skipped: ${torchPair}`, value: 0, unit: '' }
        : { name: `  PyTorch ${torchPair.version}: the same model and epochs in 2 processes at once ÷ 1 (one torch thread each)`, value: torchPair.speedup, unit: '×' },
      { name: '  tfjs study: CPU time per trial, 2 slots ÷ 1 slot (all threads; > 1: the trainers slow each other)', value: tf2.cpuPerTrial / tf1.cpuPerTrial, unit: '×' },
      { name: '  tfjs study: cores kept busy with 2 slots (CPU s ÷ wall s)', value: tf2.cpuPerTrial * tf2.rate, unit: 'cores' },
      { name: '  tfjs study: main thread busy with 2 slots (event-loop utilization)', value: tf2.mainBusy, unit: '×' },
    ];
  } finally {
    env.done();
  }
}

/** A small fast study for the `hpsearch slurm` and `hpsearch k8s` tests, and a stand-in sbatch. */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir, tempDir } from '../helpers.js';

/** A folder with spec.yaml: a module study whose trials take about a second (4 epochs of 250 ms). */
export function studyDir(name: string, runCap = 6): { dir: string; spec: string } {
  const dir = tempDir();
  const spec = join(dir, 'spec.yaml');
  const objective = join(fixturesDir, 'objectives', 'sleepy.js');
  writeFileSync(
    spec,
    `name: ${name}\nseed: 5\nmethod: random\nmetric: { name: val_accuracy, goal: maximize }\nrun_cap: ${runCap}\ntrainer: module\nmodule: ${objective}\n` +
      `train: { epochs: 4, sleep_ms: 250 }\nparameters:\n  lr: { distribution: log_uniform_values, min: 1.0e-4, max: 1.0e-1 }\n`,
  );
  return { dir, spec };
}

/** An `sbatch` on PATH (`bin`) that records its stdin and $HPSEARCH_STORAGE, and prints a job id as --parsable does. */
export function fakeSbatch(dir: string): { bin: string; called: () => boolean; script: () => string; storage: () => string } {
  const bin = join(dir, 'fake-bin');
  mkdirSync(bin, { recursive: true });
  const file = join(bin, 'sbatch');
  writeFileSync(file, `#!/bin/sh\ncat > '${dir}/sbatch.stdin'\nprintf '%s' "$HPSEARCH_STORAGE" > '${dir}/sbatch.storage'\necho '4242;cluster'\n`);
  chmodSync(file, 0o755);
  return {
    bin,
    called: () => existsSync(join(dir, 'sbatch.stdin')),
    script: () => readFileSync(join(dir, 'sbatch.stdin'), 'utf8'),
    storage: () => readFileSync(join(dir, 'sbatch.storage'), 'utf8'),
  };
}

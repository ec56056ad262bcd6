import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { checkSlurmTime, sbatchScript, type SlurmJob } from '../../src/launch/slurm-script.js';
import { workerResources } from '../../src/launch/workers.js';

const job = (over: Partial<SlurmJob> = {}): SlurmJob => ({
  study: 'digits mlp',
  workers: 4,
  resources: workerResources({ slots: null, cpus: null, gpus: null, specParallelism: null }),
  partition: null,
  time: null,
  sbatchArgs: [],
  hpsearch: ['/opt/node/bin/node', '/home/me/hpsearch/bin/hpsearch.js'],
  workdir: '/home/me/exp',
  logDir: '/home/me/exp/runs/slurm',
  workerArgs: [],
  ...over,
});

const directives = (script: string): string[] => script.split('\n').filter((l) => l.startsWith('#SBATCH ')).map((l) => l.slice(8));

describe('the sbatch script of a job array', () => {
  it('asks for N array tasks, each one worker with its CPUs, requeued when preempted, run where the command ran', () => {
    const script = sbatchScript(job({ partition: 'gpu', time: '02:00:00', sbatchArgs: ['--account=lab', '--qos=low'] }));
    assert.ok(script.startsWith('#!/bin/bash\n'));
    assert.deepEqual(directives(script), [
      '--job-name=hpsearch-digits-mlp',
      '--array=0-3',
      '--ntasks=1',
      '--cpus-per-task=1',
      '--partition=gpu',
      '--time=02:00:00',
      '--requeue',
      '--open-mode=append',
      '--chdir=/home/me/exp',
      '--output=/home/me/exp/runs/slurm/%x-%A_%a.out',
      '--account=lab',
      '--qos=low',
    ]);
    // exec: the worker itself gets Slurm's SIGTERM; the storage URL only from the environment.
    assert.match(script, /\nexec \/opt\/node\/bin\/node \/home\/me\/hpsearch\/bin\/hpsearch\.js worker --study 'digits mlp' --slots 1 --storage "\$HPSEARCH_STORAGE"\n/);
    assert.match(script, /\$\{HPSEARCH_STORAGE:\?/);
  });

  it('gives each task its GPUs, one slot per GPU unless --slots says otherwise, and CPUs per slot', () => {
    const gpus = sbatchScript(job({ resources: workerResources({ slots: null, cpus: null, gpus: 2, specParallelism: 8 }) }));
    assert.ok(directives(gpus).includes('--gres=gpu:2'));
    assert.ok(directives(gpus).includes('--cpus-per-task=2'));
    assert.match(gpus, / --slots 2 /);
    assert.deepEqual(workerResources({ slots: 3, cpus: 6, gpus: 1, specParallelism: null }), { slots: 3, cpus: 6, gpus: 1 });
    assert.deepEqual(workerResources({ slots: null, cpus: null, gpus: null, specParallelism: 4 }), { slots: 4, cpus: 4, gpus: null });
    assert.deepEqual(workerResources({ slots: null, cpus: 8, gpus: null, specParallelism: null }), { slots: 8, cpus: 8, gpus: null });
    assert.ok(!directives(sbatchScript(job())).some((d) => d.startsWith('--gres')));
  });

  it('passes worker options on and quotes what the shell would split', () => {
    const script = sbatchScript(job({ workerArgs: ['--stale-after', '30'], hpsearch: ["/opt/my node/node", "/it's/bin/hpsearch.js"] }));
    assert.match(script, /exec '\/opt\/my node\/node' '\/it'\\''s\/bin\/hpsearch\.js' worker --study 'digits mlp' --slots 1 --stale-after 30 --storage/);
  });

  it('refuses a time Slurm would not read and an sbatch argument that is not one option', () => {
    for (const good of ['90', '02:00:00', '1-00:00:00', '2-12', '45:00']) assert.equal(checkSlurmTime(good), good);
    for (const bad of ['2h', '1:2:3:4', '', 'soon']) assert.throws(() => checkSlurmTime(bad), (e: unknown) => e instanceof UsageError && /--time must be a Slurm time limit/.test(e.message));
    assert.throws(() => sbatchScript(job({ sbatchArgs: ['account=lab'] })), /--sbatch-arg must be one sbatch option/);
    assert.throws(() => sbatchScript(job({ sbatchArgs: ['--account=lab\nrm -rf /'] })), /--sbatch-arg must be one sbatch option/);
  });
});

// method: pbt when the checkpoints' disk fills up: a real small tmpfs (mounted in a user and
// mount namespace with `unshare`), then more room and the same command again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliPath, tempDir } from '../helpers.js';
import { loadStudy, memberEnds } from './pbt-helpers.js';

// Each checkpoint is about 30 KB, so a 100 KB disk holds three and the fourth write fails.
const PADDED = `import { appendFileSync } from 'node:fs';
export async function train(params, ctx) {
  appendFileSync(process.env.PBT_LOG, ctx.trial + '\\n');
  let acc = ctx.checkpoint?.acc ?? 0;
  for (let e = ctx.startEpoch; e < params.epochs; e++) {
    acc += params.learning_rate;
    await ctx.report({ val_accuracy: acc }, { checkpoint: { acc, pad: 'x'.repeat(30000) } });
  }
}
`;

const SPEC = `name: full
method: pbt
seed: 5
trainer: module
module: ./padded.mjs
parallelism: 1
pbt: { population: 4, perturbation_interval: 2, resample_probability: 0, checkpoint_dir: ./ckpt }
train: { epochs: 8 }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 0.001, max: 0.1 }
`;

const namespaces = spawnSync('unshare', ['-rm', 'true']).status === 0;
const skip = namespaces ? false : 'needs unshare with user namespaces (util-linux) to mount a small tmpfs';

describe('method: pbt on a full disk', { skip }, () => {
  it('stops with exit 4 naming ENOSPC, loses nothing, and the same command finishes once there is room', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'ckpt'));
    writeFileSync(join(dir, 'padded.mjs'), PADDED);
    writeFileSync(join(dir, 'spec.yaml'), SPEC);
    const run = `"${process.execPath}" "${cliPath}" run spec.yaml --storage runs.db --quiet`;
    // Both runs in one namespace: the first on 100 KB, the second after the mount grows.
    const script = `mount -t tmpfs -o size=100k none ckpt || exit 99
${run}; echo "first exit $?" >&2
mount -o remount,size=4m ckpt || exit 99
${run}; echo "second exit $?" >&2`;
    const out = spawnSync('unshare', ['-rm', 'sh', '-c', script], { cwd: dir, env: { ...process.env, PBT_LOG: join(dir, 'log'), CI: '1' }, encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stderr, /hpsearch: study 'full' stopped: no space left on the device to write the checkpoint .*trial-3 \(ENOSPC\): free space, or set pbt\.checkpoint_dir elsewhere, and run again; earlier checkpoints are intact/);
    assert.match(out.stderr, /first exit 4\n/);
    assert.match(out.stderr, /second exit 0\n/);
    const ran = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n').map(Number);
    // Trials 0–2 were written before the disk filled: they are not trained again; trial 3 is.
    for (const n of [0, 1, 2]) assert.equal(ran.filter((t) => t === n).length, 1, `trial ${n} ran once: ${ran.join(' ')}`);
    assert.equal(ran.filter((t) => t === 3).length, 2);
    const { trials: all } = await loadStudy(join(dir, 'runs.db'));
    assert.equal(all.every((t) => t.state === 'complete'), true, JSON.stringify(all.map((t) => [t.number, t.state, t.error])));
    assert.deepEqual(memberEnds(all), [[0, 8], [1, 8], [2, 8], [3, 8]]);
  });
});

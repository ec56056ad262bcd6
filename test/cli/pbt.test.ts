// method: pbt through the real CLI: exploits move the donor's state, resume after kill -9.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { EpochRecord } from '../../src/core/types.js';
import { runCli, runStudyIn } from '../helpers.js';
import { lineage, loadStudy as load } from './pbt-helpers.js';


// Accuracy climbs by α each epoch from where the checkpoint left it (0 from scratch).
const CLIMB = `import { appendFileSync } from 'node:fs';
export async function train(params, ctx) {
  if (process.env.PBT_LOG) appendFileSync(process.env.PBT_LOG, ctx.trial + ' ' + ctx.startEpoch + '\\n');
  let acc = ctx.checkpoint?.acc ?? 0;
  for (let e = ctx.startEpoch; e < params.epochs; e++) {
    if (process.env.PBT_KILL_AT === String(ctx.trial) && !process.env.PBT_LOG_KILLED) process.kill(process.pid, 'SIGKILL');
    acc += params.learning_rate;
    await ctx.report({ val_accuracy: acc }, { checkpoint: { acc } });
  }
}
`;

const MODULE_SPEC = `name: climb
method: pbt
seed: 5
trainer: module
module: ./climb.mjs
parallelism: 2
pbt: { population: 4, perturbation_interval: 2, quantile_fraction: 0.25, resample_probability: 0 }
train: { epochs: 8 }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 0.001, max: 0.1 }
`;

const last = (epochs: EpochRecord[] | undefined): EpochRecord => epochs?.at(-1) as EpochRecord;

describe('method: pbt', () => {
  it('a module member’s first epoch after an exploit starts from the donor’s accuracy, at the donor’s epoch', async () => {
    const { db, run } = await runStudyIn({ 'climb.mjs': CLIMB }, MODULE_SPEC, 'climb.db');
    assert.equal(run.code, 0, run.stderr);
    const { trials, epochs } = await load(db);
    const exploits = trials.filter((t) => lineage(t).exploited !== null);
    assert.ok(exploits.length >= 2, `exploits: ${exploits.length}`);
    for (const t of exploits) {
      const donor = lineage(t).exploited!;
      const first = epochs.get(t.number)![0]!;
      assert.equal(first.epoch, donor.epoch, 'numbered on from the donor’s epoch count');
      const donorAcc = last(epochs.get(donor.trial)).metrics['val_accuracy']!;
      assert.ok(Math.abs(first.metrics['val_accuracy']! - (donorAcc + Number(t.params['learning_rate']))) < 1e-9, `trial ${t.number}`);
    }
    // Every member trained its 8 epochs, each segment going on from the last.
    const members = new Map<number, number>();
    for (const t of trials) members.set(lineage(t).member, Math.max(members.get(lineage(t).member) ?? 0, lineage(t).end_epoch));
    assert.deepEqual([...members.values()], [8, 8, 8, 8]);
    assert.equal(trials.every((t) => t.state === 'complete'), true);
    const shown = await runCli(['show', String(exploits.at(-1)!.number), '--storage', db]);
    assert.match(shown.stdout, /lineage \(member \d, epochs 0–\d\):/);
    assert.match(shown.stdout, /took member \d's weights at epoch \d \(trial \d+\); learning_rate [\d.]+ → [\d.]+ \((×1\.2|×0\.8)\)/);
  });

  it('a tfjs member’s first epoch after an exploit starts from the donor’s weights, not from scratch', async () => {
    const spec = `name: tf
method: pbt
seed: 3
parallelism: 2
pbt: { population: 4, perturbation_interval: 2, quantile_fraction: 0.5, resample_probability: 0 }
data: { source: synthetic, kind: blobs, classes: 3, points: 240, features: 4, noise: 1.5, split: { train: 0.7, val: 0.3, test: 0 }, preprocess: standardize }
train: { model: mlp, epochs: 6, hidden_layers: 1, hidden_units: 8, optimizer: adam, batch_size: 32 }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 1.0e-3, max: 5.0e-3 }
`;
    const { dir, db, run } = await runStudyIn({}, spec, 'tf.db');
    assert.equal(run.code, 0, run.stderr);
    const { trials, epochs } = await load(db);
    const exploits = trials.filter((t) => lineage(t).exploited !== null);
    assert.ok(exploits.length >= 1, JSON.stringify(trials.map(lineage)));
    for (const t of exploits) {
      const donor = last(epochs.get(lineage(t).exploited!.trial));
      const first = epochs.get(t.number)![0]!;
      // The donor member's very first epoch, from the initialiser: where a member starting afresh would be.
      const scratch = epochs.get(lineage(t).exploited!.member)![0]!.metrics['train_loss']!;
      const loss = first.metrics['train_loss']!;
      assert.ok(loss < (scratch + donor.metrics['train_loss']!) / 2, `trial ${t.number}: ${loss} vs donor ${donor.metrics['train_loss']} and scratch ${scratch}`);
    }
    const checkpoints = join(dir, 'tf', 'checkpoints');
    assert.ok(existsSync(checkpoints));
    assert.ok(readdirSync(checkpoints).length <= 4, `unused checkpoints are removed: ${readdirSync(checkpoints).join(' ')}`);
  });

  it('resumes after kill -9 from the latest checkpoints without re-running finished segments', async () => {
    const { dir, db, run } = await runStudyIn({ 'climb.mjs': CLIMB }, MODULE_SPEC, 'climb.db');
    assert.equal(run.code, 0);
    const log = join(dir, 'train.log');
    const specPath = join(dir, 'spec.yaml');
    const killed = await runCli(['run', specPath, '--storage', join(dir, 'again.db'), '--quiet'], { env: { PBT_LOG: log, PBT_KILL_AT: '9' } });
    assert.equal(killed.signal, 'SIGKILL');
    const before = await load(join(dir, 'again.db'));
    const done = new Set(before.trials.filter((t) => t.state === 'complete').map((t) => t.number));
    const again = await runCli(['run', specPath, '--storage', join(dir, 'again.db'), '--quiet'], { env: { PBT_LOG: log, PBT_KILL_AT: '9', PBT_LOG_KILLED: '1' } });
    assert.equal(again.code, 0, again.stderr);
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[0]));
    for (const n of done) assert.equal(calls.filter((c) => c === n).length, 1, `trial ${n} ran once`);
    assert.ok(calls.filter((c) => c === 9).length === 2, 'the killed segment ran again');
    const after = await load(join(dir, 'again.db'));
    assert.equal(after.trials.every((t) => t.state === 'complete'), true);
    // Each member's segments chain on from epoch 0 to 8 (an exploit may skip ahead, never back).
    for (const m of [0, 1, 2, 3]) {
      const own = after.trials.filter((t) => lineage(t).member === m);
      assert.equal(Math.max(...own.map((t) => lineage(t).end_epoch)), 8);
    }
    const reference = await load(db);
    assert.ok(Math.abs(Math.max(...after.trials.map((t) => t.value!)) - Math.max(...reference.trials.map((t) => t.value!))) < 0.2);
  });

  it('the start line bounds an asynchronous population’s trials and counts a synchronous one’s', async () => {
    const loose = await runStudyIn({ 'climb.mjs': CLIMB }, MODULE_SPEC, 'loose.db');
    const rerun = await runCli(['run', join(loose.dir, 'spec.yaml'), '--storage', join(loose.dir, 'shown.db')]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, /^study climb: up to 16 trials, /m);
    const synch = MODULE_SPEC.replace('resample_probability: 0 }', 'resample_probability: 0, synch: true }');
    const strict = await runStudyIn({ 'climb.mjs': CLIMB }, synch, 'strict.db');
    const shown = await runCli(['run', join(strict.dir, 'spec.yaml'), '--storage', join(strict.dir, 'shown.db')]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stderr, /^study climb: 16 trials, /m);
    assert.match(shown.stderr, /^study climb: 16 trials \(16 complete\)/m);
  });

  it('bad pbt settings exit 2 with file:line:col', async () => {
    const long = await runStudyIn({ 'climb.mjs': CLIMB }, MODULE_SPEC.replace('perturbation_interval: 2', 'perturbation_interval: 20'), 'bad.db');
    assert.equal(long.run.code, 2);
    assert.match(long.run.stderr, /spec\.yaml:7:\d+: pbt\.perturbation_interval: perturbation_interval \(20\) exceeds train\.epochs \(8\)/);
    const wide = await runStudyIn({ 'climb.mjs': CLIMB }, MODULE_SPEC.replace('quantile_fraction: 0.25', 'quantile_fraction: 0.75'), 'bad.db');
    assert.equal(wide.run.code, 2);
    assert.match(wide.run.stderr, /spec\.yaml:7:\d+: pbt\.quantile_fraction: must be ≤ 0\.5/);
  });
});

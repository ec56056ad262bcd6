/**
 * method: pbt across processes on a real PostgreSQL: `run` and a `worker` share one
 * population; a member's segment may run in either process and go on from a checkpoint the
 * other wrote. Skipped (saying so) without a server; see test/store/pg-helpers.ts.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSpec } from '../../src/spec/index.js';
import { openStorage } from '../../src/store/open.js';
import { openStudy } from '../../src/study/open.js';
import { tempDir } from '../helpers.js';
import { dropCreated, freshDatabaseUrl, pgSkip } from '../store/pg-helpers.js';
import { lineage, memberEnds, type Lineage } from '../cli/pbt-helpers.js';
import { readStudy, startCli } from './live-cli.js';

const skip = await pgSkip();
after(dropCreated);

// Accuracy climbs by α each epoch from where the checkpoint left it; each epoch takes 60 ms so
// both processes are busy at once.
const CLIMB = `export async function train(params, ctx) {
  let acc = ctx.checkpoint?.acc ?? 0;
  for (let e = ctx.startEpoch; e < params.epochs; e++) {
    await new Promise((r) => setTimeout(r, 60));
    acc += params.learning_rate;
    await ctx.report({ val_accuracy: acc }, { checkpoint: { acc } });
  }
}
`;

const SPEC = `name: pbt-pg
method: pbt
seed: 5
trainer: module
module: ./climb.mjs
pbt: { population: 4, perturbation_interval: 2, quantile_fraction: 0.25, resample_probability: 0, checkpoint_dir: ./ckpt }
train: { epochs: 8 }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 0.001, max: 0.1 }
`;


describe('PostgreSQL: method pbt with two processes', { skip }, () => {
  it('run + worker: every member trains its 8 epochs, each segment once, exploits go on from the donor', async () => {
    const dir = tempDir('hpsearch-pgpbt-');
    writeFileSync(join(dir, 'climb.mjs'), CLIMB);
    const path = join(dir, 'spec.yaml');
    writeFileSync(path, SPEC);
    const url = await freshDatabaseUrl();
    const spec = await loadSpec(path);
    const storage = await openStorage(url);
    await openStudy(storage, spec, { name: spec.name, allowSpecChange: false }).finally(() => storage.close());
    const clis = [startCli(['run', path, '--storage', url, '--parallelism', '1']), startCli(['worker', '--storage', url, '--study', 'pbt-pg', '--slots', '1'])];
    const results = await Promise.all(clis.map((c) => c.done));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const { trials } = await readStudy(url);
    const of = (n: number): Lineage => lineage(trials.find((t) => t.number === n)!);
    assert.ok(trials.every((t) => t.state === 'complete' && t.attempt === 1), JSON.stringify(trials.map((t) => [t.number, t.state, t.error])));
    const ran = results.map((r) => Number(/this run ran (\d+)/.exec(r.stderr)?.[1]));
    assert.ok(ran.every((n) => n > 0), `both processes ran segments: ${ran.join(', ')}`);
    assert.equal(ran[0]! + ran[1]!, trials.length, 'each segment ran once');
    assert.deepEqual(memberEnds(trials), [[0, 8], [1, 8], [2, 8], [3, 8]]);
    const exploits = trials.filter((t) => of(t.number).exploited !== null);
    assert.ok(exploits.length >= 1);
    for (const t of exploits) {
      const donor = trials.find((d) => d.number === of(t.number).exploited!.trial)!;
      const start = donor.epochs.at(-1)!.metrics['val_accuracy']!;
      assert.ok(Math.abs(t.epochs[0]!.metrics['val_accuracy']! - (start + Number(t.params['learning_rate']))) < 1e-9, `trial ${t.number} goes on from trial ${donor.number}`);
    }
    const owners = new Set(trials.map((t) => t.worker));
    assert.equal(owners.size, 2, `segments spread over both processes: ${[...owners].join(', ')}`);
    const crossed = trials.filter((t) => {
      const from = of(t.number).from_trial;
      return from !== null && trials.find((d) => d.number === from)!.worker !== t.worker;
    });
    assert.ok(crossed.length >= 1, 'some segment went on from a checkpoint the other process wrote');
  });
});

// method: pbt with trainer: command — ${checkpoint_dir} holds the donor's files, ${start_epoch} where to go on.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runStudyIn } from '../helpers.js';
import { lineage, loadStudy } from './pbt-helpers.js';

// Accuracy climbs by α each epoch from what the checkpoint folder holds (0 from an empty one).
const CLIMB = `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const [dir, start, json] = process.argv.slice(2);
const params = JSON.parse(json);
const file = dir + '/state.json';
let acc = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).acc : 0;
for (let e = Number(start); e < params.epochs; e++) {
  acc += params.learning_rate;
  writeFileSync(file, JSON.stringify({ acc }));
  console.log(JSON.stringify({ val_accuracy: acc }));
}
`;

const SPEC = `name: climb
method: pbt
seed: 5
trainer: command
command: [${JSON.stringify(process.execPath)}, climb.mjs, '\${checkpoint_dir}', '\${start_epoch}', '\${args_json}']
parallelism: 2
pbt: { population: 4, perturbation_interval: 2, quantile_fraction: 0.25, resample_probability: 0 }
train: { epochs: 8 }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 0.001, max: 0.1 }
`;


describe('method: pbt with trainer: command', () => {
  it('a member’s first epoch after an exploit goes on from the donor’s checkpoint folder, at the donor’s epoch', async () => {
    const { dir, db, run } = await runStudyIn({ 'climb.mjs': CLIMB }, SPEC, 'climb.db');
    assert.equal(run.code, 0, run.stderr);
    const { trials, epochs } = await loadStudy(db);
    assert.equal(trials.every((t) => t.state === 'complete'), true, JSON.stringify(trials.map((t) => t.error)));
    const exploits = trials.filter((t) => lineage(t).exploited !== null);
    assert.ok(exploits.length >= 1, `exploits: ${exploits.length}`);
    for (const t of exploits) {
      const donor = lineage(t).exploited!;
      const first = epochs.get(t.number)![0]!;
      assert.equal(first.epoch, donor.epoch, 'numbered on from the donor’s epoch count');
      const donorAcc = epochs.get(donor.trial)!.at(-1)!.metrics['val_accuracy']!;
      assert.ok(Math.abs(first.metrics['val_accuracy']! - (donorAcc + Number(t.params['learning_rate']))) < 1e-9, `trial ${t.number}`);
    }
    const reach = new Map<number, number>();
    for (const t of trials) reach.set(lineage(t).member, Math.max(reach.get(lineage(t).member) ?? 0, lineage(t).end_epoch));
    assert.deepEqual([...reach.values()], [8, 8, 8, 8]);
    const checkpoints = join(dir, 'climb', 'checkpoints');
    assert.ok(existsSync(checkpoints));
    assert.deepEqual(readdirSync(checkpoints).filter((n) => n.includes('.tmp-')), [], 'no half-written folder is left');
  });
});

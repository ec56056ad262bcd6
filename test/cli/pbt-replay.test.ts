// hpsearch replay through the real CLI: a pbt member's schedule retrained as one trial.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { EpochRecord, FrozenTrial } from '../../src/core/types.js';
import { openStorage } from '../../src/store/open.js';
import { json, repoRoot, runCli, runStudyIn } from '../helpers.js';

// configs/pbt-schedule.yaml, small: 4 members × 8 epochs, judged every 2.
const SPEC = readFileSync(join(repoRoot, 'configs', 'pbt-schedule.yaml'), 'utf8')
  .replace('population: 8, perturbation_interval: 4', 'population: 4, perturbation_interval: 2')
  .replace('epochs: 40', 'epochs: 8');
const MODULE = readFileSync(join(repoRoot, 'configs', 'pbt-schedule.js'), 'utf8');

interface Study {
  trials: FrozenTrial[];
  epochs: Map<number, EpochRecord[]>;
}

async function load(db: string, name: string): Promise<Study> {
  const storage = await openStorage(db, { readOnly: true });
  try {
    const study = await storage.getStudy(name);
    assert.ok(study !== null, `no study ${name}`);
    return { trials: await storage.listTrials(study.id), epochs: await storage.getStudyEpochs(study.id) };
  } finally {
    await storage.close();
  }
}

interface ReplayJson {
  replay_study: string;
  trial: number;
  value: number;
  member: number;
  original: { trial: number; value: number };
  difference: number;
  reproduces: boolean;
  schedule: { trial: number; start_epoch: number; end_epoch: number; params: Record<string, number> }[];
}

const val = (e: EpochRecord): number => e.metrics['val_accuracy'] as number;

describe('hpsearch replay', () => {
  it('retrains the best member’s schedule as one trial of STUDY-replay, epoch for epoch as the search trained it', async () => {
    assert.ok(SPEC.includes('population: 4') && SPEC.includes('epochs: 8'), SPEC);
    const { db, run } = await runStudyIn({ 'pbt-schedule.js': MODULE }, SPEC, 'pbt.db');
    assert.equal(run.code, 0, run.stderr);
    const search = await load(db, 'pbt-schedule');
    const best = search.trials.filter((t) => t.state === 'complete').sort((a, b) => (b.value as number) - (a.value as number))[0]!;

    const replayed = await runCli(['replay', 'pbt-schedule', '--storage', db]);
    assert.equal(replayed.code, 0, replayed.stderr + replayed.stdout);
    assert.match(replayed.stdout, /as trial 0 of study pbt-schedule-replay:/);
    assert.match(replayed.stdout, /val_accuracy: replay [\d.]+ \(complete\), original [\d.]+, difference [+-]?0\b/);
    assert.match(replayed.stdout, /^reproduces/m);

    const replay = await load(db, 'pbt-schedule-replay');
    assert.equal(replay.trials.length, 1);
    const [trial] = replay.trials as [FrozenTrial];
    assert.equal(trial.state, 'complete');
    const epochs = replay.epochs.get(0)!;
    assert.deepEqual(epochs.map((e) => e.epoch), [0, 1, 2, 3, 4, 5, 6, 7]);
    // The schedule: the lineage of the best member's final segment, each range as its segment recorded it.
    const again = json<ReplayJson>((await runCli(['replay', 'pbt-schedule', '--storage', db, '--json'])).stdout);
    const member = (best.attrs['pbt'] as { member: number }).member;
    assert.equal(again.member, member);
    assert.equal(again.trial, 1, 'a second replay is a second trial of the same study');
    assert.ok(again.schedule.length >= 2, JSON.stringify(again.schedule));
    assert.ok(again.schedule.some((s, i) => i > 0 && s.params['learning_rate'] !== again.schedule[i - 1]!.params['learning_rate']), 'the learning rate changes along the schedule');
    for (const step of again.schedule) {
      const recorded = search.epochs.get(step.trial)!.map(val);
      const replayedRange = epochs.filter((e) => e.epoch >= step.start_epoch && e.epoch < step.end_epoch).map(val);
      assert.deepEqual(replayedRange, recorded, `epochs ${step.start_epoch}–${step.end_epoch} (trial ${step.trial})`);
    }
    assert.equal(again.original.value, val(epochs.at(-1)!));
    assert.equal(again.difference, 0);
    assert.equal(again.reproduces, true);
  });

  it('--trial N replays N’s member; a schedule that trains differently does not reproduce (exit 1)', async () => {
    const { dir, db, run } = await runStudyIn({ 'pbt-schedule.js': MODULE }, SPEC, 'pbt.db');
    assert.equal(run.code, 0, run.stderr);
    const search = await load(db, 'pbt-schedule');
    const worst = search.trials.filter((t) => t.state === 'complete').sort((a, b) => (a.value as number) - (b.value as number))[0]!;
    const member = (worst.attrs['pbt'] as { member: number }).member;
    const own = json<ReplayJson>((await runCli(['replay', 'pbt-schedule', '--storage', db, '--trial', String(worst.number), '--json'])).stdout);
    assert.equal(own.member, member);
    const final = search.trials.filter((t) => t.state === 'complete' && (t.attrs['pbt'] as { member: number }).member === member).at(-1)!;
    assert.equal(own.original.trial, final.number);
    assert.equal(own.schedule.at(-1)!.trial, final.number);
    assert.equal(own.reproduces, true);

    // The objective changed since the search: the replay says so.
    writeFileSync(join(dir, 'pbt-schedule.js'), MODULE.replace('const lr = params.learning_rate;', 'const lr = params.learning_rate * 1.5;'));
    const drifted = await runCli(['replay', 'pbt-schedule', '--storage', db]);
    assert.equal(drifted.code, 1, drifted.stderr);
    assert.match(drifted.stdout, /^does not reproduce/m);
    assert.match(drifted.stderr, /did not reproduce trial \d+'s result/);

    const missing = await runCli(['replay', 'pbt-schedule', '--storage', db, '--trial', '999']);
    assert.equal(missing.code, 3, missing.stderr);
    const unknown = await runCli(['replay', 'nope', '--storage', db]);
    assert.equal(unknown.code, 3, unknown.stderr);
    // A study of another method has no schedule: usage error.
    const random = SPEC.replace('name: pbt-schedule', 'name: fixed').replace('method: pbt', 'method: random\nrun_cap: 1').replace(/^pbt: .*$/m, '');
    writeFileSync(join(dir, 'fixed.yaml'), random);
    assert.equal((await runCli(['run', join(dir, 'fixed.yaml'), '--storage', db, '--quiet'])).code, 0);
    const other = await runCli(['replay', 'fixed', '--storage', db]);
    assert.equal(other.code, 2, other.stderr);
    assert.match(other.stderr, /study 'fixed' is not a pbt study \(method random\)/);
  });
});

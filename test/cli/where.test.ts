// best --where and trials --where: filters on parameters, the metric, attributes and last-epoch metrics.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fixturesDir, json, runCli, tempDir, type TrialJson } from '../helpers.js';

const lr = (t: TrialJson): number => t.params['learning_rate'] as number;
const beta1 = (t: TrialJson): number => t.params['beta1'] as number;
const numbers = (ts: readonly TrialJson[]): number[] => ts.map((t) => t.number);

describe('--where (best, trials)', () => {
  let db = '';
  let all: TrialJson[] = [];
  before(async () => {
    db = join(tempDir(), 'where.db');
    const run = await runCli(['run', join(fixturesDir, 'cli', 'bowl.yaml'), '--storage', db, '--run-cap', '12']);
    assert.equal(run.code, 0, run.stderr);
    all = json<TrialJson[]>((await runCli(['trials', '--storage', db, '--json'])).stdout);
    assert.equal(all.length, 12);
  });

  const trials = async (...where: string[]): Promise<TrialJson[]> => {
    const res = await runCli(['trials', '--storage', db, '--json', ...where.flatMap((w) => ['--where', w])]);
    assert.equal(res.code, 0, res.stderr);
    return json<TrialJson[]>(res.stdout);
  };

  it('keeps the trials every condition holds for, joined by and or repeated', async () => {
    const cut = [...all.map(lr)].sort((a, b) => a - b)[6] as number;
    const expected = numbers(all.filter((t) => lr(t) < cut && beta1(t) >= 0.95));
    assert.ok(expected.length > 0 && expected.length < 12, `a cut that splits: ${expected.length}`);
    assert.deepEqual(numbers(await trials(`learning_rate < ${cut} and beta1 >= 0.95`)), expected);
    assert.deepEqual(numbers(await trials(`learning_rate<${cut}`, 'beta1>=0.95')), expected);
    assert.deepEqual(numbers(await trials(`learning_rate >= ${cut}`)), numbers(all.filter((t) => lr(t) >= cut)));
    assert.deepEqual(numbers(await trials(`learning_rate < ${cut}`)), numbers(all.filter((t) => lr(t) < cut)));
    assert.deepEqual(numbers(await trials(`learning_rate != ${lr(all[3] as TrialJson)}`)), numbers(all.filter((t) => t.number !== 3)));
  });

  it('reads the metric, a last-epoch metric and the verdict', async () => {
    assert.deepEqual(numbers(await trials('val_accuracy > 0.8')), numbers(all.filter((t) => (t.value ?? 0) > 0.8)));
    // bowl.js reports train_loss = 1 − val_accuracy and score_extra = 10 · epoch (5 epochs).
    assert.deepEqual(numbers(await trials('train_loss < 0.2')), numbers(all.filter((t) => 1 - (t.value ?? 0) < 0.2)));
    assert.equal((await trials('score_extra == 40')).length, 12);
    assert.equal((await trials('score_extra == 30')).length, 0);
    assert.equal((await trials('verdict == good_fit')).length + (await trials('verdict != good_fit')).length, 12);
  });

  it('ranks before it cuts: best --top N of the matching trials', async () => {
    const cut = [...all.map(lr)].sort((a, b) => a - b)[4] as number;
    const res = await runCli(['best', '--storage', db, '--json', '--top', '2', '--where', `learning_rate <= ${cut}`]);
    assert.equal(res.code, 0, res.stderr);
    const expected = all.filter((t) => lr(t) <= cut).sort((a, b) => (b.value ?? 0) - (a.value ?? 0)).slice(0, 2);
    assert.deepEqual(numbers(json<TrialJson[]>(res.stdout)), numbers(expected));
    const none = await runCli(['best', '--storage', db, '--where', 'val_accuracy > 2']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no complete trial of study 'bowl' matches --where val_accuracy > 2/);
  });

  it('exits 2 naming an unknown field, with the nearest one, or a malformed condition', async () => {
    const typo = await runCli(['best', '--storage', db, '--where', 'learning_rat < 0.01']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /--where 'learning_rat < 0.01': unknown field `learning_rat`; did you mean `learning_rate`\? \(fields: beta1, learning_rate, /);
    const bad = await runCli(['trials', '--storage', db, '--where', 'learning_rate ~ 3']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /write FIELD OP VALUE/);
    const text = await runCli(['trials', '--storage', db, '--where', 'verdict < good_fit']);
    assert.equal(text.code, 2);
    assert.match(text.stderr, /< compares numbers/);
  });
});

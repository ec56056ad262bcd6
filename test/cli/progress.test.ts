import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';
import { unrulySpec } from '../pool/workers.js';

/** Every line the progress view may print without a terminal, and the end-of-run summary. */
const SHAPES = [
  /^study unruly: (resumed with \d+ finished, )?\d+ trials, \d+ worker threads?$/,
  /^trial \d+ started \(slot \d+(, attempt \d+)?\): mode=\w+$/,
  /^trial \d+ complete: val_accuracy=[\d.e-]+ \(\d+\.\d s\)$/,
  /^trial \d+ failed \(\d+\.\d s\): .+$/,
  /^study unruly: \d+ trials \((\d+ \w+(, )?)+\); this run ran \d+$/,
  /^results: \/.+\.db$/,
];

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

describe('progress without a terminal', () => {
  it('prints one plain line per event, in a fixed shape', async () => {
    const dir = tempDir();
    const db = join(dir, 'progress.db');
    const spec = unrulySpec(dir, { pool: 'thread', modes: ['ok', 'throw', 'ok2', 'ok3'], extra: 'parallelism: 2' });
    const first = await runCli(['run', spec, '--storage', db, '--run-cap', '3']);
    assert.equal(first.code, 0, first.stderr);
    const second = await runCli(['run', spec, '--storage', db]);
    assert.equal(second.code, 0, second.stderr);
    for (const run of [first, second]) {
      assert.ok(!run.stderr.includes('\u001b'), 'no escape sequences');
      for (const line of lines(run.stderr)) assert.ok(SHAPES.some((s) => s.test(line)), `unexpected line: ${line}`);
    }
    const out = lines(first.stderr);
    assert.equal(out[0], `results: ${db}`, 'where the results go, first');
    assert.equal(out[1], 'study unruly: 3 trials, 2 worker threads');
    assert.equal(out.filter((l) => / started /.test(l)).length, 3);
    assert.match(out.find((l) => l.startsWith('trial 1 failed')) ?? '', /^trial 1 failed \(\d+\.\d s\): the objective threw on purpose$/);
    assert.deepEqual(out.slice(-2), ['study unruly: 3 trials (2 complete, 1 failed); this run ran 3', `results: ${db}`]);
    assert.equal(lines(second.stderr)[1], 'study unruly: resumed with 3 finished, 4 trials, 2 worker threads');
    assert.match(lines(second.stderr)[2] ?? '', /^trial 3 started \(slot \d\): mode=ok3$/);
  });

  it('prints only the summary with --quiet', async () => {
    const dir = tempDir();
    const db = join(dir, 'quiet.db');
    const spec = unrulySpec(dir, { pool: 'thread', modes: ['ok', 'ok2'], extra: 'parallelism: 1' });
    const run = await runCli(['run', spec, '--storage', db, '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(lines(run.stderr), ['study unruly: 2 trials (2 complete); this run ran 2', `results: ${db}`]);
    assert.equal(run.stdout, '', 'no table of the top trials');
  });

  it('says "1 trial", and no colon after a trial without parameters', async () => {
    const dir = tempDir();
    const spec = join(dir, 'one.yaml');
    writeFileSync(join(dir, 'half.js'), 'export function train(p, ctx) { ctx.report({ val_accuracy: 0.5 }); return { val_accuracy: 0.5 }; }\n');
    writeFileSync(spec, 'name: one\nrun_cap: 1\nparallelism: 1\ntrainer: module\nmodule: half.js\nmetric: { name: val_accuracy }\n');
    const run = await runCli(['run', spec, '--storage', join(dir, 'one.db')]);
    assert.equal(run.code, 0, run.stderr);
    const out = lines(run.stderr);
    assert.ok(out.includes('study one: 1 trial, 1 worker thread'), run.stderr);
    assert.ok(out.includes('trial 0 started (slot 0)'), run.stderr);
    assert.ok(out.includes('study one: 1 trial (1 complete); this run ran 1'), run.stderr);
  });
});

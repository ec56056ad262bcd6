import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { fixturesDir, json, runCli, tempDir, type TrialJson } from '../helpers.js';

const bowl = join(fixturesDir, 'cli', 'bowl.yaml');
const flaky = join(fixturesDir, 'cli', 'flaky.yaml');

describe('hpsearch run (module trainer, end to end)', () => {
  it('finds the optimum of a noisy bowl within 10 % in 40 random trials', async () => {
    const db = join(tempDir(), 'bowl.db');
    const run = await runCli(['run', bowl, '--storage', db]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /top trials by val_accuracy/);
    const best = await runCli(['best', '--storage', db, '--json']);
    assert.equal(best.code, 0, best.stderr);
    const [top] = json<TrialJson[]>(best.stdout);
    assert.ok(top !== undefined);
    assert.ok(top.value !== null && top.value >= 0.9, `best value ${top.value} is not within 10 % of 1.0`);
    const all = await runCli(['trials', '--storage', db, '--json']);
    const trials = json<TrialJson[]>(all.stdout);
    assert.equal(trials.length, 40);
    assert.deepEqual(trials.map((t) => t.number), Array.from({ length: 40 }, (_, i) => i));
    assert.ok(trials.every((t) => t.state === 'complete'));
  });

  it('takes --slots as worker does, and --parallelism as its older name; both at odds is refused', async () => {
    const dir = tempDir();
    const run = await runCli(['run', bowl, '--storage', join(dir, 'slots.db'), '--slots', '3', '--run-cap', '6']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout + run.stderr, /6 trials, 3 worker threads/);
    const old = await runCli(['run', bowl, '--storage', join(dir, 'old.db'), '--parallelism', '2', '--run-cap', '4']);
    assert.equal(old.code, 0, old.stderr);
    assert.match(old.stdout + old.stderr, /4 trials, 2 worker threads/);
    const both = await runCli(['run', bowl, '--storage', join(dir, 'both.db'), '--slots', '2', '--parallelism', '3']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--slots 2 and --parallelism 3 disagree/);
    assert.equal(existsSync(join(dir, 'both.db')), false, 'a refused run creates no database');
    const zero = await runCli(['run', bowl, '--storage', join(dir, 'zero.db'), '--slots', '0']);
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /--slots must be a whole number ≥ 1/);
  });

  it('prints valid CSV, with a header and one row per trial', async () => {
    const db = join(tempDir(), 'csv.db');
    assert.equal((await runCli(['run', bowl, '--storage', db, '--run-cap', '5'])).code, 0);
    const res = await runCli(['trials', '--storage', db, '--csv']);
    assert.equal(res.code, 0, res.stderr);
    const rows = parse<Record<string, string>>(res.stdout, { columns: true });
    assert.equal(rows.length, 5);
    assert.deepEqual(Object.keys(rows[0] ?? {}).slice(0, 5), ['trial', 'state', 'val_accuracy', 'beta1', 'learning_rate']);
    assert.ok(rows.every((r) => Number.isFinite(Number(r['val_accuracy']))));
    const show = await runCli(['show', '2', '--storage', db, '--csv']);
    const epochs = parse<Record<string, string>>(show.stdout, { columns: true });
    assert.equal(epochs.length, 5);
    assert.ok('score_extra' in (epochs[0] ?? {}), 'extra metrics are shown');
  });

  it('gives trial k the same parameters whether the study runs in one go or in two resumed halves', async () => {
    const dir = tempDir();
    const once = join(dir, 'once.db');
    const halves = join(dir, 'halves.db');
    assert.equal((await runCli(['run', bowl, '--storage', once, '--run-cap', '20'])).code, 0);
    assert.equal((await runCli(['run', bowl, '--storage', halves, '--run-cap', '10'])).code, 0);
    const second = await runCli(['run', bowl, '--storage', halves, '--run-cap', '20']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /resumed with 10 finished/);
    const a = json<TrialJson[]>((await runCli(['trials', '--storage', once, '--json'])).stdout);
    const b = json<TrialJson[]>((await runCli(['trials', '--storage', halves, '--json'])).stdout);
    assert.equal(a.length, 20);
    assert.deepEqual(
      b.map((t) => [t.number, t.params]),
      a.map((t) => [t.number, t.params]),
    );
  });

  it('records failed and diverged trials with their reasons and goes on (exit 0)', async () => {
    const db = join(tempDir(), 'flaky.db');
    const run = await runCli(['run', flaky, '--storage', db]);
    assert.equal(run.code, 0, run.stderr);
    const trials = json<TrialJson[]>((await runCli(['trials', '--storage', db, '--json'])).stdout);
    const byMode = new Map(trials.map((t) => [t.params['mode'], t]));
    assert.equal(byMode.get('ok')?.state, 'complete');
    assert.equal(byMode.get('ok2')?.state, 'complete');
    assert.equal(byMode.get('throw')?.state, 'failed');
    assert.match(byMode.get('throw')?.error ?? '', /out of memory while building the model/);
    assert.equal(byMode.get('nan')?.state, 'diverged');
    assert.match(byMode.get('nan')?.error ?? '', /val_accuracy is NaN/);
    assert.equal(byMode.get('nan_loss')?.state, 'diverged');
    assert.match(byMode.get('nan_loss')?.error ?? '', /train_loss became NaN at epoch 1/);
    assert.equal(byMode.get('missing')?.state, 'failed');
    assert.match(byMode.get('missing')?.error ?? '', /no 'val_accuracy'/);
    const failed = await runCli(['trials', '--storage', db, '--state', 'failed', '--json']);
    assert.equal(json<TrialJson[]>(failed.stdout).length, 2);
  });

  it('refuses to resume with a changed spec, and allows raising run_cap with --allow-spec-change', async () => {
    const dir = tempDir();
    const db = join(dir, 'change.db');
    const spec = join(dir, 'bowl.yaml');
    const objective = join(fixturesDir, 'objectives', 'bowl.js');
    const text = readFileSync(bowl, 'utf8').replace('../objectives/bowl.js', objective).replace('run_cap: 40', 'run_cap: 3');
    writeFileSync(spec, text);
    assert.equal((await runCli(['run', spec, '--storage', db])).code, 0);
    writeFileSync(spec, text.replace('max: 1.0e-1', 'max: 1.0'));
    const changed = await runCli(['run', spec, '--storage', db]);
    assert.equal(changed.code, 2);
    assert.match(changed.stderr, /parameters\.learning_rate/);
    const forced = await runCli(['run', spec, '--storage', db, '--allow-spec-change']);
    assert.equal(forced.code, 2, 'a changed search space is refused even with --allow-spec-change');
    writeFileSync(spec, text.replace('run_cap: 3', 'run_cap: 5'));
    const raised = await runCli(['run', spec, '--storage', db]);
    assert.equal(raised.code, 2);
    assert.match(raised.stderr, /--allow-spec-change/);
    const allowed = await runCli(['run', spec, '--storage', db, '--allow-spec-change', '--json']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(json<{ ran: number }>(allowed.stdout).ran, 2);
  });

  it('answers queries with the documented exit codes', async () => {
    const dir = tempDir();
    const db = join(dir, 'q.db');
    assert.equal((await runCli(['best', '--storage', join(dir, 'missing.db')])).code, 3);
    assert.equal(existsSync(join(dir, 'missing.db')), false, 'a query never creates a database');
    assert.equal((await runCli(['run', bowl, '--storage', db, '--run-cap', '2', '--quiet'])).code, 0);
    assert.equal((await runCli(['show', '7', '--storage', db])).code, 3);
    assert.equal((await runCli(['trials', '--storage', db, '--study', 'nope'])).code, 3);
    assert.equal((await runCli(['frobnicate'])).code, 2);
    const studies = await runCli(['studies', '--storage', db, '--json']);
    assert.equal(json<{ name: string }[]>(studies.stdout)[0]?.name, 'bowl');
    const viaEnv = await runCli(['show', '1'], { env: { HPSEARCH_STORAGE: db } });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.match(viaEnv.stdout, /trial 1 of study bowl: complete/);
  });
});

describe('coarse-to-fine through the CLI', () => {
  it('stores each stage’s ranges and shows them, stage 1 inside stage 0', async () => {
    const dir = tempDir();
    const spec = join(dir, 'c2f.yaml');
    writeFileSync(
      spec,
      `name: c2f
method: coarse-to-fine
trainer: module
module: ${join(fixturesDir, 'objectives', 'bowl.js')}
parameters:
  learning_rate: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1 }
  beta1: { distribution: one_minus_log_uniform_values, min: 0.9, max: 0.999 }
stages:
  - trials: 8
  - { trials: 4, top_k: 3 }
`,
    );
    const db = join(dir, 'c2f.db');
    const run = await runCli(['run', spec, '--storage', db]);
    assert.equal(run.code, 0, run.stderr);
    const text = await runCli(['studies', '--storage', db]);
    assert.match(text.stdout, /c2f stage 1 \(trials 8–11, fitted to trials \d+, \d+, \d+\): learning_rate /);
    const [study] = json<{ stages: { parameters: Record<string, { min: number; max: number }> }[] }[]>(
      (await runCli(['studies', '--storage', db, '--json'])).stdout,
    );
    const [s0, s1] = study?.stages ?? [];
    for (const name of ['learning_rate', 'beta1']) {
      const a = s0?.parameters[name];
      const b = s1?.parameters[name];
      assert.ok(a !== undefined && b !== undefined && b.min >= a.min && b.max <= a.max && b.max - b.min < a.max - a.min, name);
    }
  });
});

describe('grid search through the CLI', () => {
  it('stops at the end of a grid smaller than run_cap, and a rerun adds nothing', async () => {
    const dir = tempDir();
    const spec = join(dir, 'grid.yaml');
    writeFileSync(
      spec,
      `name: g
method: grid
run_cap: 10
trainer: module
module: ${join(fixturesDir, 'objectives', 'noop.js')}
parameters:
  x: { distribution: log_uniform_values, min: 0.01, max: 1, grid_points: 3 }
  y: { values: [a, b] }
`,
    );
    const db = join(dir, 'g.db');
    const first = await runCli(['run', spec, '--storage', db, '--json']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(json<{ ran: number }>(first.stdout).ran, 6);
    const again = await runCli(['run', spec, '--storage', db, '--run-cap', '8', '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(json<{ ran: number }>(again.stdout).ran, 0);
    const xs = json<TrialJson[]>((await runCli(['trials', '--storage', db, '--json'])).stdout).map((t) => t.params['x']);
    assert.deepEqual([...new Set(xs)].sort(), [0.01, 0.1, 1]);
  });
});

describe('--json output stays data only', () => {
  for (const pool of ['thread', 'process']) {
    it(`sends what a trainer prints to stderr (pool: ${pool})`, async () => {
      const dir = tempDir();
      const spec = join(dir, 'chatty.yaml');
      writeFileSync(
        spec,
        `name: chatty\nmethod: random\nrun_cap: 2\npool: ${pool}\ntrainer: module\nmodule: ${join(fixturesDir, 'objectives', 'chatty.js')}\nparameters:\n  x: { min: 0.0, max: 1.0 }\n`,
      );
      const run = await runCli(['run', spec, '--storage', join(dir, 'c.db'), '--json']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(json<{ ran: number }>(run.stdout).ran, 2);
      assert.match(run.stderr, /chatty objective: x=/);
    });
  }
});

describe('usage errors caught before any study is made', () => {
  it('a module without a train export exits 2 and creates no database', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fit.mjs'), 'export function fit() { return 1; }\n');
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, 'name: m\nmethod: random\nrun_cap: 2\ntrainer: module\nmodule: ./fit.mjs\nparameters:\n  x: { min: 0.0, max: 1.0 }\n');
    const res = await runCli(['run', spec, '--storage', join(dir, 'm.db')]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /does not export a train\(params, ctx\) function/);
    assert.equal(existsSync(join(dir, 'm.db')), false);
  });

  it('validate --json prints the issues as data; best --top 0 is refused', async () => {
    const dir = tempDir();
    const spec = join(dir, 'bad.yaml');
    writeFileSync(spec, 'name: b\nmethod: randon\nrun_cap: 2\ntrainer: module\nmodule: ./x.js\n');
    const res = await runCli(['validate', spec, '--json']);
    assert.equal(res.code, 2);
    const body = json<{ valid: boolean; issues: { path: string; line: number }[] }>(res.stdout);
    assert.equal(body.valid, false);
    assert.ok(body.issues.some((i) => i.path === 'method' && i.line === 2));
    const db = join(dir, 'q.db');
    assert.equal((await runCli(['run', bowl, '--storage', db, '--run-cap', '1', '--quiet'])).code, 0);
    assert.equal((await runCli(['best', '--storage', db, '--top', '0'])).code, 2);
  });
});

describe('tables fit the terminal', () => {
  it('puts many parameters in one column rather than overflowing 120 columns', async () => {
    const dir = tempDir();
    const spec = join(dir, 'wide.yaml');
    const params = Array.from({ length: 12 }, (_, i) => `  parameter_number_${i}: { min: 0.0, max: 1.0 }`).join('\n');
    writeFileSync(spec, `name: wide\nmethod: random\nrun_cap: 2\ntrainer: module\nmodule: ${join(fixturesDir, 'objectives', 'chatty.js')}\nparameters:\n  x: { min: 0.0, max: 1.0 }\n${params}\n`);
    const db = join(dir, 'w.db');
    assert.equal((await runCli(['run', spec, '--storage', db, '--quiet'])).code, 0);
    const best = await runCli(['best', '--storage', db]);
    assert.equal(best.code, 0, best.stderr);
    assert.ok(best.stdout.split('\n').every((line) => line.length <= 120), best.stdout);
    for (const name of ['parameter_number_0', 'parameter_number_9', 'x']) assert.match(best.stdout, new RegExp(`${name}=`), 'every parameter is shown');
    const csv = await runCli(['trials', '--storage', db, '--csv']);
    assert.match(csv.stdout.split('\n')[0] ?? '', /parameter_number_11/, 'CSV keeps a column per parameter');
  });

  it('wraps a long reason narrower rather than overflowing 120 columns', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fail.mjs'), `export function train() { throw new Error('${'the objective gave up because '.repeat(6)}'); }\n`);
    const spec = join(dir, 'fail.yaml');
    const params = Array.from({ length: 6 }, (_, i) => `  a_rather_long_parameter_name_${i}: { min: 0.0, max: 1.0 }`).join('\n');
    writeFileSync(spec, `name: fail\nmethod: random\nrun_cap: 1\ntrainer: module\nmodule: ./fail.mjs\nparameters:\n${params}\n`);
    const db = join(dir, 'f.db');
    await runCli(['run', spec, '--storage', db, '--quiet']);
    const trials = await runCli(['trials', '--storage', db]);
    assert.equal(trials.code, 0, trials.stderr);
    assert.match(trials.stdout, /the objective gave up/);
    assert.ok(trials.stdout.split('\n').every((line) => line.length <= 120), trials.stdout);
  });
});

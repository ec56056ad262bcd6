import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixturesDir, json, runCli, type ShowJson, tempDir, type TrialJson } from '../helpers.js';

const scripts = join(fixturesDir, 'command');

async function trials(db: string): Promise<TrialJson[]> {
  const res = await runCli(['trials', '--storage', db, '--json']);
  assert.equal(res.code, 0, res.stderr);
  return json<TrialJson[]>(res.stdout);
}

/** A spec in a fresh directory beside a copy of the scripts (cwd: the spec's directory). */
function specDir(yaml: string): { dir: string; spec: string; db: string } {
  const dir = tempDir();
  for (const f of ['train.py', 'train.mjs']) copyFileSync(join(scripts, f), join(dir, f));
  writeFileSync(join(dir, 'spec.yaml'), yaml);
  return { dir, spec: join(dir, 'spec.yaml'), db: join(dir, 'runs.db') };
}

/** Whether a process runs (a zombie nobody reaped yet, as in a container without init, does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Pids each stubborn script wrote (itself and its grandchild). */
function pidsIn(dir: string): number[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pids'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split(' ').map(Number));
}

describe('trainer: command (a Python script, end to end)', () => {
  it('reads JSON, name=value and Keras lines as epochs; fails a non-zero exit with its stderr, and silence about the metric', async () => {
    const db = join(tempDir(), 'c.db');
    const run = await runCli(['run', join(scripts, 'command.yaml'), '--storage', db]);
    assert.equal(run.code, 0, run.stderr);
    const all = await trials(db);
    assert.equal(all.length, 15);
    for (const t of all) {
      const lr = Number(t.params['lr']);
      const expected = 1 / (1 + Math.abs(Math.log10(lr) + 2));
      if (t.params['mode'] === 'fail') {
        assert.equal(t.state, 'failed');
        assert.match(t.error ?? '', /exited with code 3:\nloading data\nValueError: the data file is empty/);
      } else if (t.params['mode'] === 'silent') {
        assert.equal(t.state, 'failed');
        assert.match(t.error ?? '', /never reported val_accuracy on stdout \(it reported: nothing\)/);
      } else {
        assert.equal(t.state, 'complete', t.error ?? '');
        assert.ok(Math.abs((t.value ?? NaN) - expected) < 1e-3, `trial ${t.number}: ${t.value} ≠ ${expected}`);
      }
    }
    const keras = all.find((t) => t.params['mode'] === 'keras' && t.params['lr'] === 0.01);
    const show = await runCli(['show', String(keras?.number), '--storage', db, '--json']);
    const epochs = json<ShowJson>(show.stdout).epochs;
    assert.equal(epochs.length, 3, 'train.epochs reaches the script as --epochs=3; one row per epoch line');
    assert.deepEqual(epochs[0]?.metrics, { train_loss: 0.6, train_accuracy: 0.3333, val_loss: 0.6667, val_accuracy: 0.3333 });
  });

  it('expands the macros, sets HPSEARCH_* and gives slot k its CUDA device (a Node script)', async () => {
    const { dir, spec, db } = specDir(`
name: node-script
command: ["node", "train.mjs", "\${args_json_file}", "\${args_json}", "\${args_no_hyphens}", "\${envvar:MARK}"]
method: grid
metric: { name: val_accuracy }
parallelism: 2
devices: [3, 5]
parameters:
  x: { values: [0.25, 0.5, 0.75, 1.0] }
`);
    const run = await runCli(['run', spec, '--storage', db], { env: { OUT_DIR: dir, MARK: 'marked' } });
    assert.equal(run.code, 0, run.stderr);
    const all = await trials(db);
    assert.deepEqual(all.map((t) => [t.state, t.value]), [0.25, 0.5, 0.75, 1].map((x) => ['complete', x]));
    const devices = new Set<string>();
    for (const t of all) {
      const got = json<{ params: unknown; jsonArg: unknown; rest: string[]; cwd: string; env: Record<string, unknown> }>(
        readFileSync(join(dir, `trial-${t.number}.json`), 'utf8'),
      );
      assert.deepEqual(got.params, t.params);
      assert.deepEqual(got.jsonArg, t.params);
      assert.deepEqual(got.rest, [`x=${t.params['x']}`, 'marked']);
      assert.equal(got.cwd, dir);
      assert.deepEqual({ ...got.env, device: null }, { trial: String(t.number), seed: got.env['seed'], study: 'node-script', params: t.params, device: null });
      assert.match(String(got.env['seed']), /^\d+$/);
      devices.add(String(got.env['device']));
    }
    assert.deepEqual([...devices].sort(), ['3', '5'], 'each slot has its own device');
  });

  it('counts devices: among those it was given (a Slurm task with CUDA_VISIBLE_DEVICES=6,7 gives its slots 6 and 7)', async () => {
    const { dir, spec, db } = specDir(`
name: given-devices
command: ["node", "train.mjs", "\${args_json_file}", "\${args_json}", "\${args_no_hyphens}", "\${envvar:MARK}"]
method: grid
metric: { name: val_accuracy }
parallelism: 2
devices: [0, 1]
parameters:
  x: { values: [0.25, 0.5] }
`);
    const run = await runCli(['run', spec, '--storage', db], { env: { OUT_DIR: dir, MARK: 'm', CUDA_VISIBLE_DEVICES: '6,7' } });
    assert.equal(run.code, 0, run.stderr);
    const devices = new Set((await trials(db)).map((t) => String(json<{ env: Record<string, unknown> }>(readFileSync(join(dir, `trial-${t.number}.json`), 'utf8')).env['device'])));
    assert.deepEqual([...devices].sort(), ['6', '7']);
  });

  it('stops a script that ignores SIGTERM: SIGKILL to its whole process group after stop_grace', async () => {
    const { dir, spec, db } = specDir(`
name: stubborn
command: ["python3", "train.py", "\${args}"]
run_cap: 1
metric: { name: val_loss }
stop_grace: 0.5
early_terminate: { type: patience, metric: val_loss, patience: 2 }
parameters:
  mode: { value: stubborn }
`);
    const run = await runCli(['run', spec, '--storage', db], { env: { PID_DIR: dir }, timeoutMs: 30_000 });
    assert.equal(run.code, 0, run.stderr);
    const [t] = await trials(db);
    assert.equal(t?.value, 1);
    assert.match(JSON.stringify(t), /early stopping: val_loss has not improved for 2 epochs/);
    const pids = pidsIn(dir);
    assert.equal(pids.length, 2);
    assert.deepEqual(pids.filter(alive), [], 'the script and its grandchild are gone');
  });

  it('kills a hung script and its group at trial_timeout and fails the trial', async () => {
    const { dir, spec, db } = specDir(`
name: hung
command: ["python3", "train.py", "\${args}"]
run_cap: 1
trial_timeout: 4
max_retries: 0
parameters:
  mode: { value: hang }
`);
    const run = await runCli(['run', spec, '--storage', db], { env: { PID_DIR: dir }, timeoutMs: 30_000 });
    assert.equal(run.code, 1, run.stderr);
    const [t] = await trials(db);
    assert.equal(t?.state, 'failed');
    assert.match(t?.error ?? '', /timeout after 4 s/);
    const pids = pidsIn(dir);
    assert.equal(pids.length, 2, 'the script (started through a slow python3 shim, perhaps) wrote its and its child\'s pid before the timeout');
    assert.deepEqual(pids.filter(alive), []);
  });

  it('keeps the artifacts of the top trials, copied, the originals left where they are', async () => {
    const { dir, spec, db } = specDir(`
name: saved
command: ["python3", "train.py", "\${args}"]
method: grid
metric: { name: val_accuracy }
artifacts: ckpt/trial-\${trial}/*
keep_models: 1
parameters:
  lr: { values: [0.001, 0.01, 0.1] }
  save: { value: "yes" }
`);
    const run = await runCli(['run', spec, '--storage', db]);
    assert.equal(run.code, 0, run.stderr);
    const all = await trials(db);
    assert.equal(all.length, 3);
    assert.deepEqual(readdirSync(join(dir, 'saved')), ['trial-1'], 'only the best (lr = 0.01) keeps its files');
    assert.equal(readFileSync(join(dir, 'saved', 'trial-1', 'artifacts', 'ckpt', 'trial-1', 'model.pt'), 'utf8'), 'weights for lr=0.01\n');
    assert.deepEqual(readdirSync(join(dir, 'ckpt')).sort(), ['trial-0', 'trial-1', 'trial-2']);
  });

  it('runs a W&B sweep file unchanged', async () => {
    const db = join(tempDir(), 'sweep.db');
    const run = await runCli(['run', join(scripts, 'sweep.yaml'), '--storage', db]);
    assert.equal(run.code, 0, run.stderr);
    const all = await trials(db);
    assert.equal(all.length, 4);
    for (const t of all) {
      assert.equal(t.state, 'complete', t.error ?? '');
      assert.equal(t.params['epochs'], 3);
      const lr = Number(t.params['lr']);
      assert.ok(lr >= 1e-4 && lr <= 0.1);
      assert.ok(Math.abs((t.value ?? NaN) - (1 - 1 / (1 + Math.abs(Math.log10(lr) + 2)))) < 1e-3);
    }
  });

  it('rejects an unknown macro, ${program} without program:, and a program that is not there (exit 2)', async () => {
    const bad = specDir(`
command: ["python3", "\${program}", "\${argz}"]
run_cap: 1
parameters: { x: { value: 1 } }
`);
    const res = await runCli(['run', bad.spec, '--storage', bad.db]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /spec\.yaml:2:\d+: command\.1: \$\{program\} needs program:/);
    assert.match(res.stderr, /spec\.yaml:2:\d+: command\.2: unknown macro \$\{argz\} \(known: \$\{args\}/);
    const missing = specDir(`
command: ["./no-such-script", "\${args}"]
run_cap: 1
parameters: { x: { value: 1 } }
`);
    const res2 = await runCli(['run', missing.spec, '--storage', missing.db]);
    assert.equal(res2.code, 2, res2.stderr);
    assert.match(res2.stderr, /spec\.yaml:2:\d+: command\.0: "\.\/no-such-script" is not an executable program/);
    assert.equal(existsSync(missing.db), false, 'no database is created');
  });

  it('checks the script program: names before anything starts, and --allow-spec-change accepts its fix', async () => {
    const sweep = (program: string): string => `program: ${program}\nrun_cap: 1\nmetric: { name: val_loss, goal: minimize }\nparameters: { lr: { value: 0.01 }, epochs: { value: 1 } }\n`;
    const { dir, spec, db } = specDir(sweep('trian.py'));
    const typo = await runCli(['run', spec, '--storage', db]);
    assert.equal(typo.code, 2, typo.stderr);
    assert.match(typo.stderr, /spec\.yaml:1:\d+: program: no such file: .*trian\.py/);
    assert.equal(existsSync(db), false, 'no database is created');
    // A study created with one script resumes with another only under --allow-spec-change.
    copyFileSync(join(dir, 'train.py'), join(dir, 'old.py'));
    writeFileSync(spec, sweep('old.py'));
    assert.equal((await runCli(['run', spec, '--storage', db])).code, 0);
    writeFileSync(spec, sweep('train.py').replace('run_cap: 1', 'run_cap: 2'));
    const refused = await runCli(['run', spec, '--storage', db]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /command\.program: "old\.py" → "train\.py"\n(.*\n)*Rerun with --allow-spec-change/);
    const fixed = await runCli(['run', spec, '--storage', db, '--allow-spec-change']);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.equal((await trials(db)).length, 2);
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStorage } from '../../src/store/open.js';
import { runCli, runStudyIn, tempDir } from '../helpers.js';
import { newStudy, newTrial } from '../store/fixtures.js';

// α far too high everywhere: every trial's loss turns NaN.
const DIVERGING = `export async function train(params, ctx) {
  let loss = 2.3;
  for (let e = 0; e < 4; e++) {
    loss = e >= 2 ? NaN : loss * (1 + 10 * params.learning_rate);
    ctx.report({ train_loss: loss, train_accuracy: 0.1, val_loss: loss, val_accuracy: 0.1 });
  }
  return { val_accuracy: 0.1 };
}
`;

// A training script printing Keras-named metrics (loss, accuracy) beside the validation ones.
const SCRIPT = `const p = JSON.parse(process.argv[2]);
for (let e = 0; e < 5; e++) {
  const a = p.acc - 0.5 * Math.exp(-e);
  console.log(\`epoch=\${e} loss=\${(1 - a).toFixed(4)} accuracy=\${a.toFixed(4)} val_loss=\${(1.02 - a).toFixed(4)} val_accuracy=\${(a - 0.01).toFixed(4)}\`);
}
`;

interface StudyJson {
  suggestions: { kind: string; param: string; message: string; range?: { min: number; max: number }; evidence: Record<string, unknown> }[];
  majority: { verdict: string; trials: number; judged: number }[];
}

describe('diagnose --study: the verdicts’ majority becomes range changes', () => {
  it('a study whose every trial diverged moves the α range down, in text and --json', async () => {
    const { db, run } = await runStudyIn(
      { 'diverge.mjs': DIVERGING },
      'name: hot\nmethod: random\nrun_cap: 6\nseed: 3\ntrainer: module\nmodule: ./diverge.mjs\nmetric: { name: val_accuracy, goal: maximize }\n' +
        'parameters:\n  learning_rate: { distribution: log_uniform_values, min: 0.5, max: 5 }\n',
      'hot.db',
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /6 diverged/);

    const json = JSON.parse((await runCli(['diagnose', '--storage', db, '--json'])).stdout) as StudyJson;
    const lr = json.suggestions.find((s) => s.param === 'learning_rate');
    assert.equal(lr?.kind, 'lower_max', JSON.stringify(json.suggestions));
    const smallest = Number(lr.evidence['edge_tried']);
    assert.ok(lr.range !== undefined && lr.range.max <= smallest && lr.range.max > 0.4 && lr.range.min < lr.range.max / 5, JSON.stringify(lr));
    assert.equal(lr.evidence['trials_with_verdict'], 6);
    assert.deepEqual(json.majority.map((m) => [m.verdict, m.trials, m.judged]), [['diverged', 6, 6]]);

    const text = await runCli(['diagnose', '--storage', db]);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, /no change suggested/);
    assert.match(text.stdout, /all 6 of 6 trials diverged \(the smallest learning_rate tried was [\d.]+; a diverging loss means α is too high\): move the learning_rate range to [\d.]+–[\d.]+/);
  });

  it('a command trainer printing loss/accuracy and validation metrics gets a verdict, with labelled evidence', async () => {
    const { db, run } = await runStudyIn(
      { 'train.cjs': SCRIPT },
      'name: cmd\nmethod: grid\ntrainer: command\ncommand: ["node", "train.cjs", "${args_json}"]\nmetric: { name: val_accuracy, goal: maximize }\n' +
        'parameters:\n  acc: { values: [0.6, 0.97] }\n',
      'cmd.db',
    );
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse((await runCli(['diagnose', '--storage', db, '--json', '--all'])).stdout) as { trials: { number: number; verdict: string; labels: Record<string, string> }[] };
    assert.deepEqual(json.trials.map((t) => t.verdict), ['high_bias', 'good_fit']);
    assert.equal(json.trials[1]?.labels['val_accuracy'], 'val_accuracy, mean of epochs 2–4');
    const one = await runCli(['diagnose', '--storage', db, '1']);
    assert.match(one.stdout, /measured as/);
    assert.match(one.stdout, /train_accuracy, mean of epochs 2–4/);
  });
});

describe('restore_best: check and diagnose read the kept epoch', () => {
  it('check reads val_loss at best_epoch and says so; diagnose measures its levels up to it', async () => {
    const db = join(tempDir(), 'rb.db');
    const storage = await openStorage(db);
    const spec = { name: 'rb', early_terminate: { type: 'patience', metric: 'val_loss', patience: 3, restore_best: true } };
    const study = await storage.createStudy({ ...newStudy('rb', 'maximize'), specJson: JSON.stringify(spec) });
    await storage.createTrial(study.id, { cap: null, worker: 'w1', build: newTrial });
    // Best at epoch 5 (val_loss 0.2); three worse epochs follow before the patience stop.
    const epochs = Array.from({ length: 9 }, (_, e) => ({
      epoch: e,
      metrics: { train_loss: 1 / (e + 1), train_accuracy: e <= 5 ? 0.8 + 0.02 * e : 0.95, val_loss: e <= 5 ? 1 - 0.16 * e : 0.5, val_accuracy: e <= 5 ? 0.8 + 0.02 * e : 0.6 },
    }));
    await storage.appendEpochs(study.id, 0, epochs);
    await storage.setTrialAttrs(study.id, 0, { best_epoch: 5 });
    await storage.finishTrial(study.id, 0, { state: 'complete', value: 0.9, error: null });
    await storage.close();

    const check = await runCli(['check', '--storage', db, '--require', 'val_loss<=0.25', '--require', 'val_accuracy>=0.9']);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stderr, /ok {3}val_loss<=0\.25: val_loss = 0\.2 at epoch 5 \(trial 0\)/);
    assert.match(check.stderr, /val_accuracy = 0\.9, the trial's value/);
    const d = JSON.parse((await runCli(['diagnose', '--storage', db, '0', '--json'])).stdout) as { evidence: Record<string, unknown>; labels: Record<string, string> };
    assert.equal(d.evidence['result_epoch'], 5);
    assert.equal(d.evidence['val_accuracy'], 0.88);
    assert.equal(d.labels['val_accuracy'], 'val_accuracy, mean of epochs 3–5');
  });
});

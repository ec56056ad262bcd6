/**
 * A training accuracy near chance (1/C) is never a good fit, even in a one-trial study whose
 * best is that trial: the rule reads the trial's `classes` attribute, which the tfjs trainer
 * stores.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diagnoseTrial } from '../../src/diagnose/index.js';
import { runCli, tempDir } from '../helpers.js';
import { goodFitCurves, makeEpochs, trialOf } from './synthetic.js';

const chanceCurves = {
  train_loss: (e: number): number => 2.3 + 0.1 * Math.exp(-e),
  val_loss: (e: number): number => 2.31 + 0.1 * Math.exp(-e),
  train_accuracy: (): number => 0.11,
  val_accuracy: (): number => 0.11,
};

describe('chance-level training accuracy', () => {
  it('is high bias in a study whose best is the same trial', () => {
    const trial = { ...trialOf(), attrs: { classes: 10 } };
    const d = diagnoseTrial({ trial, epochs: makeEpochs(10, chanceCurves, 0, 1), reference: { bestTrainAccuracy: 0.11, targetAccuracy: null } });
    assert.equal(d.verdict, 'high_bias', d.summary);
    assert.match(d.summary, /train_accuracy 0\.11 \(mean of epochs 7–9\) is near chance \(1\/10 = 0\.1\)/);
    assert.equal(d.evidence.chance_accuracy, 0.1);
  });

  it('leaves a trial well above chance alone', () => {
    const trial = { ...trialOf(), attrs: { classes: 10 } };
    const d = diagnoseTrial({ trial, epochs: makeEpochs(20, goodFitCurves, 0, 1), reference: { bestTrainAccuracy: 0.95, targetAccuracy: null } });
    assert.equal(d.verdict, 'good_fit', d.summary);
  });

  it('judges a lone trial of saturated sigmoid units (large initial weights) as high bias, through the CLI', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'spec.yaml'),
      'name: chance\nseed: 3\nmethod: random\nrun_cap: 1\nstorage: runs.db\nmetric: { name: val_accuracy, goal: maximize }\n' +
        'data: { source: mnist, samples: 400, preprocess: center }\n' +
        'train: { backend: wasm, layers: [32], activation: sigmoid, init: small_normal, init_scale: 3, optimizer: sgd, learning_rate: 0.01, epochs: 4, batch_size: 32 }\n',
    );
    const run = await runCli(['run', join(dir, 'spec.yaml'), '--no-preflight', '--quiet'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const res = await runCli(['diagnose', '--storage', join(dir, 'runs.db'), '--study', 'chance', '--json']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /"verdict": ?"high_bias"/);
    assert.match(res.stdout, /near chance/);
  });
});

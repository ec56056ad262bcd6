import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';

const data = 'data: { source: synthetic, kind: blobs, classes: 3, features: 4, points: 150, noise: 1.5 }';

function spec(name: string, units: number, initFrom: string): string {
  return `
name: ${name}
seed: 5
run_cap: 1
${data}
train:
  epochs: 3
  hidden_units: ${units}
  learning_rate: 0.05
  backend: cpu${initFrom === '' ? '' : `\n  init_from: ${initFrom}`}
`;
}

describe('train.init_from (warm start)', () => {
  it('starts from a kept trial of another study; freeze: 1 leaves the first layer bit-identical', async () => {
    const dir = tempDir();
    const db = join(dir, 'runs.db');
    const write = (file: string, text: string): string => {
      writeFileSync(join(dir, file), text);
      return join(dir, file);
    };
    const base = await runCli(['run', write('base.yaml', spec('base', 8, '')), '--storage', db, '--quiet', '--no-preflight']);
    assert.equal(base.code, 0, base.stderr);
    const tuned = await runCli(['run', write('tuned.yaml', spec('tuned', 8, '{ study: base, trial: 0, freeze: 1 }')), '--storage', db, '--quiet', '--no-preflight']);
    assert.equal(tuned.code, 0, tuned.stderr);
    const before = readFileSync(join(dir, 'base', 'trial-0', 'weights.bin'));
    const after = readFileSync(join(dir, 'tuned', 'trial-0', 'weights.bin'));
    const firstLayer = (4 * 8 + 8) * 4; // dense kernel [4, 8] and bias [8], float32
    assert.ok(before.subarray(0, firstLayer).equals(after.subarray(0, firstLayer)), 'the frozen layer is bit-identical');
    assert.ok(!before.subarray(firstLayer).equals(after.subarray(firstLayer)), 'the other layer trained on');

    const wrong = await runCli(['run', write('wrong.yaml', spec('wrong', 16, '{ study: base, trial: 0 }')), '--storage', db, '--no-preflight']);
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(
      wrong.stderr,
      /wrong\.yaml:\d+:\d+: train\.init_from: init_from .*trial-0: the kept model's weights have shapes \[4, 8\] \[8\] \[8, 3\] \[3\]; this trial's network needs \[4, 16\] \[16\] \[16, 3\] \[3\]/,
    );
    const missing = await runCli(['run', write('missing.yaml', spec('missing', 8, '{ study: base, trial: 7 }')), '--storage', db, '--no-preflight']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /train\.init_from: study 'base' has no trial 7/);
  });
});

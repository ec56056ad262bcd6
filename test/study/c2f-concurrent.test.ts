import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NumericDistribution } from '../../src/core/distributions.js';
import { storedStages } from '../../src/search/stored-stages.js';
import { openStorage } from '../../src/store/open.js';
import { fixturesDir, runCli, tempDir } from '../helpers.js';
import { readStudy } from './live-cli.js';

const STAGES = ['  - { trials: 4 }', '  - { trials: 3, top_k: 2 }', '  - { trials: 3, top_k: 2 }', '  - { trials: 3, top_k: 2 }', '  - { trials: 3, top_k: 2 }'];
const TRIALS = 16;
const PROCESSES = 4;
const ROUNDS = 3;

describe('coarse-to-fine with several processes on one study', () => {
  // Each stage used to be stored by rewriting the study's whole stage list, so a process
  // holding an older list could erase a stage another had just stored: many processes and
  // stages, several times over, make that show.
  it(`starts no stage before every earlier trial finished, all ${PROCESSES} processes agree on its ranges, and every stage is stored`, async () => {
    const dir = tempDir();
    const spec = join(dir, 'c2f.yaml');
    writeFileSync(
      spec,
      [
        'name: c2f-shared',
        'seed: 5',
        'method: coarse-to-fine',
        'metric: { name: val_accuracy, goal: maximize }',
        'parallelism: 2',
        'trainer: module',
        `module: ${join(fixturesDir, 'objectives', 'sleepy.js')}`,
        'train: { epochs: 2, sleep_ms: 2 }',
        'parameters:',
        '  lr: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0 }',
        'stages:',
        ...STAGES,
      ].join('\n'),
    );
    for (let round = 0; round < ROUNDS; round++) {
      const db = join(dir, `c2f-${round}.db`);
      const runs = await Promise.all(Array.from({ length: PROCESSES }, () => runCli(['run', spec, '--storage', db])));
      for (const run of runs) assert.equal(run.code, 0, run.stderr);
      const { trials } = await readStudy(db);
      assert.deepEqual(trials.map((t) => t.number), Array.from({ length: TRIALS }, (_, i) => i));
      assert.ok(trials.every((t) => t.state === 'complete'));
      const storage = await openStorage(db, { readOnly: true });
      const study = await storage.getStudy('c2f-shared');
      await storage.close();
      const stages = storedStages(trials, study?.attrs['stages']);
      assert.deepEqual(stages.map((s) => s.stage), [0, 1, 2, 3, 4], `round ${round}: a stage was lost`);
      for (const stage of stages.slice(1)) {
        const [first, last] = stage.trials;
        const lastEarlierFinish = trials.filter((t) => t.number < first).map((t) => t.finished ?? '').sort().at(-1) ?? '';
        const range = stage.parameters['lr'] as NumericDistribution | undefined;
        assert.ok(range !== undefined);
        for (const t of trials.filter((x) => x.number >= first && x.number <= last)) {
          assert.ok((t.started ?? '') >= lastEarlierFinish, `trial ${t.number} started before stage ${stage.stage - 1} ended`);
          const lr = Number(t.params['lr']);
          assert.ok(lr >= range.min && lr <= range.max, `trial ${t.number}: lr ${lr} outside its stage's stored range`);
        }
      }
    }
  });
});

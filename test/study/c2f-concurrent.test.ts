import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NumericDistribution } from '../../src/core/distributions.js';
import { openStorage } from '../../src/store/open.js';
import { fixturesDir, runCli, tempDir } from '../helpers.js';
import { readStudy } from './live-cli.js';

interface StoredStage {
  stage: number;
  trials: [number, number];
  parameters: Record<string, NumericDistribution>;
}

describe('coarse-to-fine with several processes on one study', () => {
  it('starts no stage before every earlier trial finished, and all processes agree on its ranges', async () => {
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
        'train: { epochs: 3, sleep_ms: 5 }',
        'parameters:',
        '  lr: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0 }',
        'stages:',
        '  - { trials: 8 }',
        '  - { trials: 6, top_k: 3 }',
        '  - { trials: 4, top_k: 2 }',
      ].join('\n'),
    );
    const db = join(dir, 'c2f.db');
    const runs = await Promise.all([0, 1, 2].map(() => runCli(['run', spec, '--storage', db])));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const { trials } = await readStudy(db);
    assert.deepEqual(trials.map((t) => t.number), Array.from({ length: 18 }, (_, i) => i));
    assert.ok(trials.every((t) => t.state === 'complete'));
    const storage = await openStorage(db, { mustExist: true });
    const study = await storage.getStudy('c2f-shared');
    await storage.close();
    const stages = (study?.attrs['stages'] ?? []) as unknown as StoredStage[];
    assert.equal(stages.length, 3);
    for (const stage of stages.slice(1)) {
      const [first, last] = stage.trials;
      const lastEarlierFinish = trials.filter((t) => t.number < first).map((t) => t.finished ?? '').sort().at(-1) ?? '';
      const range = stage.parameters['lr'];
      assert.ok(range !== undefined);
      for (const t of trials.filter((x) => x.number >= first && x.number <= last)) {
        assert.ok((t.started ?? '') >= lastEarlierFinish, `trial ${t.number} started before stage ${stage.stage - 1} ended`);
        const lr = Number(t.params['lr']);
        assert.ok(lr >= range.min && lr <= range.max, `trial ${t.number}: lr ${lr} outside its stage's stored range`);
      }
    }
  });
});

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';
import { readStudy } from '../study/live-cli.js';
import { unrulySpec } from './workers.js';

const LIMIT = 160;
const OVER = new RegExp(`^out of memory: the worker used (\\d+) MB, over max_rss_mb ${LIMIT}$`);

/** Runs the unruly objective's `modes` under max_rss_mb; checks who failed with a figure and who completed. */
async function runModes(pool: 'thread' | 'process', modes: string[], parallelism: number, honest: string[], train = ''): Promise<void> {
  const dir = tempDir();
  const db = join(dir, 'memory.db');
  const spec = unrulySpec(dir, { pool, modes, extra: `parallelism: ${parallelism}\nmax_rss_mb: ${LIMIT}\n${train}` });
  const run = await runCli(['run', spec, '--storage', db]);
  assert.equal(run.code, 0, run.stderr);
  const byMode = new Map((await readStudy(db)).trials.map((t) => [t.params['mode'], t]));
  for (const mode of modes.filter((m) => !honest.includes(m))) {
    const t = byMode.get(mode);
    assert.equal(t?.state, 'failed', `${mode}: ${t?.state} ${t?.error ?? ''}`);
    const figure = OVER.exec(t.error ?? '')?.[1];
    assert.ok(figure !== undefined, `${mode}: ${t.error}`);
    assert.ok(Number(figure) > LIMIT && Number(figure) < 1000, `${mode}: stopped at ${figure} MB, not at the end`);
  }
  for (const mode of honest) assert.equal(byMode.get(mode)?.state, 'complete', `${mode}: ${byMode.get(mode)?.error ?? ''}`);
}

for (const pool of ['thread', 'process'] as const) {
  describe(`max_rss_mb while a trial runs (pool: ${pool})`, () => {
    // buffers_sync never yields: a thread's own reports stop, so the main thread judges it
    // from outside; a process's RSS is read from outside anyway. busy is silent but honest.
    it(`fails trials whose Buffers or WebAssembly memory pass ${LIMIT} MB, with the figure; others complete`, async () => {
      await runModes(pool, ['buffers', 'wasm', 'buffers_sync', 'busy', 'ok'], 1, ['busy', 'ok']);
    });
  });
}

describe('max_rss_mb with two silent threads', () => {
  it('charges the growth to the thread that allocates, not to a busy neighbour holding more', async () => {
    // buffers_sync starts allocating once busy (64 MB held, the larger figure) has gone silent.
    await runModes('thread', ['busy', 'buffers_sync', 'ok'], 2, ['busy', 'ok'], 'train: { sync_delay_ms: 1000 }');
  });
});

// A user model whose build() allocates without yielding (1.5 GB at most, so a failure of the
// limit cannot take the machine down), next to one that builds a small network.
const MODEL = `const held = [];
export function build(params, tf) {
  if (params.mode === 'runaway') for (let i = 0; i < 192; i++) held.push(Buffer.alloc(8 << 20, 1));
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: params.input_shape, units: params.classes, activation: 'softmax' }));
  return m;
}
`;

for (const pool of ['thread', 'process'] as const) {
  describe(`max_rss_mb and a user model's build() (pool: ${pool})`, () => {
    it('fails the trial whose build() allocates without yielding, with the figure; the next completes', async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'model.mjs'), MODEL);
      const spec = join(dir, 'spec.yaml');
      const limit = 400;
      writeFileSync(
        spec,
        [
          'name: runaway-model',
          'method: grid',
          `pool: ${pool}`,
          'parallelism: 1',
          `max_rss_mb: ${limit}`,
          'data: { source: synthetic, kind: blobs, classes: 3, features: 4, points: 90, split: { train: 0.6, val: 0.2, test: 0.2 } }',
          'train: { model: ./model.mjs, backend: cpu, epochs: 1, batch_size: 30 }',
          'parameters:',
          '  mode: { values: [runaway, small] }',
        ].join('\n'),
      );
      const db = join(dir, 'runs.db');
      const run = await runCli(['run', spec, '--storage', db, '--no-preflight']);
      assert.equal(run.code, 0, run.stderr);
      const byMode = new Map((await readStudy(db)).trials.map((t) => [t.params['mode'], t]));
      const runaway = byMode.get('runaway');
      const figure = new RegExp(`^out of memory: the worker used (\\d+) MB, over max_rss_mb ${limit}$`).exec(runaway?.error ?? '')?.[1];
      assert.ok(figure !== undefined && Number(figure) < 1400, `runaway: ${runaway?.state} ${runaway?.error ?? ''}`);
      assert.equal(byMode.get('small')?.state, 'complete', byMode.get('small')?.error ?? '');
    });
  });
}

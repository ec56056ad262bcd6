import assert from 'node:assert/strict';
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
    // buffers_sync starts allocating once busy (80 MB held, the larger figure) has gone silent.
    await runModes('thread', ['busy', 'buffers_sync', 'ok'], 2, ['busy', 'ok'], 'train: { sync_delay_ms: 1000 }');
  });
});

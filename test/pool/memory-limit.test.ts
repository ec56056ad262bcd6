import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';
import { readStudy } from '../study/live-cli.js';
import { unrulySpec } from './workers.js';

const LIMIT = 160;
const OVER = new RegExp(`^out of memory: the worker used (\\d+) MB, over max_rss_mb ${LIMIT}$`);

for (const pool of ['thread', 'process'] as const) {
  describe(`max_rss_mb while a trial runs (pool: ${pool})`, () => {
    // A process is measured from outside (its RSS), so even a trial that never yields is caught.
    const modes = pool === 'process' ? ['buffers', 'wasm', 'buffers_sync', 'ok'] : ['buffers', 'wasm', 'ok'];
    it(`fails trials whose Buffers or WebAssembly memory pass ${LIMIT} MB, with the figure; others complete`, async () => {
      const dir = tempDir();
      const db = join(dir, 'memory.db');
      const spec = unrulySpec(dir, { pool, modes, extra: `parallelism: 1\nmax_rss_mb: ${LIMIT}` });
      const run = await runCli(['run', spec, '--storage', db]);
      assert.equal(run.code, 0, run.stderr);
      const byMode = new Map((await readStudy(db)).trials.map((t) => [t.params['mode'], t]));
      for (const mode of modes.filter((m) => m !== 'ok')) {
        const t = byMode.get(mode);
        assert.equal(t?.state, 'failed', `${mode}: ${t?.state} ${t?.error ?? ''}`);
        const figure = OVER.exec(t.error ?? '')?.[1];
        assert.ok(figure !== undefined, `${mode}: ${t.error}`);
        assert.ok(Number(figure) > LIMIT && Number(figure) < 1000, `${mode}: stopped at ${figure} MB, not at the end`);
      }
      assert.equal(byMode.get('ok')?.state, 'complete');
    });
  });
}

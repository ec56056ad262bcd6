import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../helpers.js';
import { readStudy } from '../study/live-cli.js';
import { unrulySpec, workerOf } from './workers.js';

const MODES = ['ok', 'throw', 'crash', 'exit', 'oom', 'hang', 'ok2'];

for (const pool of ['thread', 'process'] as const) {
  describe(`workers that misbehave (pool: ${pool})`, () => {
    it('fail their trial with the reason, get replaced, and the study completes (exit 0)', async () => {
      const dir = tempDir();
      const db = join(dir, 'unruly.db');
      const spec = unrulySpec(dir, { pool, modes: MODES, extra: 'parallelism: 2\ntrial_timeout: 4\nmax_rss_mb: 64' });
      const run = await runCli(['run', spec, '--storage', db]);
      assert.equal(run.code, 0, run.stderr);
      const { trials, integrity } = await readStudy(db);
      assert.equal(integrity, 'ok');
      const byMode = new Map(trials.map((t) => [t.params['mode'], t]));
      const expect: Record<string, RegExp> = {
        throw: /^the objective threw on purpose$/,
        crash: new RegExp(`^the worker ${pool === 'thread' ? 'thread' : 'process'} crashed: an uncaught error on purpose$`),
        exit: /exited with code 3/,
        // The heap limit, or the memory watch if it sees the growth first.
        oom: /^out of memory: the worker (thread|process) reached its heap limit of 64 MB|^out of memory: the worker used \d+ MB, over max_rss_mb 64$/,
        hang: /^timeout after 4 s$/,
      };
      for (const [mode, reason] of Object.entries(expect)) {
        const t = byMode.get(mode);
        assert.equal(t?.state, 'failed', `${mode}: ${t?.state}`);
        assert.match(t.error ?? '', reason, mode);
      }
      assert.equal(byMode.get('ok')?.state, 'complete');
      assert.equal(byMode.get('ok2')?.state, 'complete');
      assert.equal(trials.filter((t) => t.state === 'running').length, 0);
      // A worker that died ran nothing after its fatal trial: the slot got a fresh one.
      for (const mode of ['crash', 'exit', 'oom', 'hang']) {
        const fatal = byMode.get(mode);
        assert.ok(fatal !== undefined);
        const later = trials.filter((t) => t.number > fatal.number && workerOf(t) === workerOf(fatal));
        assert.deepEqual(later.map((t) => t.number), [], `the worker of '${mode}' ran more trials`);
      }
    });
  });
}

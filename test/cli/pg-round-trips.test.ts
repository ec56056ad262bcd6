/**
 * What a trial costs in round trips to PostgreSQL (counted with HPSEARCH_PG_TRACE=1, which
 * does not depend on how loaded the machine is): a no-op trial is a few statements, not a
 * read of the whole study. Skipped (saying so) without a server.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixturesDir, runCli, tempDir } from '../helpers.js';
import { dropCreated, freshDatabaseUrl, pgSkip } from '../store/pg-helpers.js';

const skip = await pgSkip();
after(dropCreated);

/** Round trips of a whole `run` of a no-op study to `trials` trials, in a database of its own. */
async function roundTrips(dir: string, trials: number): Promise<number> {
  const spec = join(dir, `noop-${trials}.yaml`);
  writeFileSync(
    spec,
    `name: noop\nmethod: random\nrun_cap: ${trials}\ntrainer: module\nmodule: ${join(fixturesDir, 'objectives', 'noop.js')}\n` +
      'metric: { name: val_accuracy, goal: maximize }\ntrain: { epochs: 1 }\nparameters:\n  x: { min: 0.0, max: 1.0 }\n',
  );
  const url = await freshDatabaseUrl();
  const res = await runCli(['run', spec, '--storage', url, '--quiet'], { env: { HPSEARCH_PG_TRACE: '1' } });
  assert.equal(res.code, 0, res.stderr);
  return res.stderr.split('\n').filter((line) => line.startsWith('pg: ')).length;
}

describe('PostgreSQL round trips per trial', { skip }, () => {
  it('a no-op trial costs about 2 round trips (the insert, and its finish carrying its epochs; no claim while nothing is left to take over)', async () => {
    const dir = tempDir('hpsearch-pgtrips-');
    // Both past the 50 trials up to which the run's summary reads curves one by one: the
    // difference is what each further trial costs, start-up and summary cancelled out.
    const [few, many] = [await roundTrips(dir, 60), await roundTrips(dir, 100)];
    const perTrial = (many - few) / 40;
    assert.ok(perTrial > 0 && perTrial <= 2.5, `${perTrial} round trips per trial (${few} for 60 trials, ${many} for 100)`);
  });
});

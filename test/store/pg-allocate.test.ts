/**
 * How PostgreSQL hands out trial numbers when several workers insert at once: a worker whose
 * guess of the next number is stale (another inserted meanwhile) stores the trial built for
 * the number that is next, with that number's parameters, and never past the cap.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { NewTrial } from '../../src/store/storage.js';
import { PgStorage } from '../../src/store/pg.js';
import { newStudy, newTrial } from './fixtures.js';
import { dropCreated, freshSchemaUrl, pgSkip } from './pg-helpers.js';

const skip = await pgSkip();
after(dropCreated);

describe('PostgreSQL trial numbers under concurrent inserts', { skip }, () => {
  it('a stale guess stores the trial built for the number that is next, up to the cap', async () => {
    const url = await freshSchemaUrl();
    const [a, b] = [await PgStorage.open(url), await PgStorage.open(url)];
    try {
      const study = await a.createStudy(newStudy('race'));
      await a.createTrial(study.id, { cap: null, worker: 'a', build: newTrial });
      // A's finish tells it the next number is 1; B then takes 1, so A's guess is stale.
      await a.finishTrial(study.id, 0, { state: 'complete', value: 0.5, error: null });
      await b.createTrial(study.id, { cap: null, worker: 'b', build: newTrial });
      const built: number[] = [];
      const build = (n: number): NewTrial => (built.push(n), newTrial(n));
      const third = await a.createTrial(study.id, { cap: 4, worker: 'a', build, lookahead: 8 });
      assert.equal(third?.number, 2);
      assert.deepEqual(third?.params, newTrial(2).params, 'the trial returned is the one stored');
      assert.deepEqual(built.slice(0, 3), [1, 2, 3], 'built for the guess and the numbers after it, not past the cap');
      assert.ok(!built.includes(4), 'nothing built past the cap');
      const stored = (await a.listTrials(study.id)).map((t) => [t.number, t.worker, t.params, t.seed]);
      assert.deepEqual(stored, [0, 1, 2].map((n) => [n, n === 1 ? 'b' : 'a', newTrial(n).params, newTrial(n).seed]));

      // A later build that throws ends the look ahead there; the cap still holds.
      const fourth = await a.createTrial(study.id, {
        cap: 4,
        worker: 'a',
        lookahead: 8,
        build: (n) => {
          if (n > 3) throw new Error('not built');
          return newTrial(n);
        },
      });
      assert.equal(fourth?.number, 3);
      assert.deepEqual(fourth?.params, newTrial(3).params);
      assert.equal(await a.createTrial(study.id, { cap: 4, worker: 'a', build: newTrial, lookahead: 8 }), null);
      assert.equal(await a.integrityCheck(), 'ok');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

/**
 * The in-process storages (memory, SQLite) on a clock the test sets: each time they record
 * is the clock's at that call, and a heartbeat is stale only when strictly older than the
 * bound. Also the memory storage's own edges: a build that throws, a closed storage, a
 * ranking limit of 0 or less.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageError } from '../../src/core/errors.js';
import { MemoryStorage } from '../../src/store/memory.js';
import { SqliteStorage } from '../../src/store/sqlite.js';
import type { Storage } from '../../src/store/storage.js';
import { tempDir } from '../helpers.js';
import { newStudy, newTrial } from './fixtures.js';

const dir = tempDir('hpsearch-clock-');
let counter = 0;

/** A clock that reads `at` (ms since the epoch), moved by the test. */
class Clock {
  at = Date.UTC(2026, 0, 1);
  readonly now = (): Date => new Date(this.at);
  iso(): string {
    return new Date(this.at).toISOString();
  }
}

/** `body` on a fresh storage from `open` with its own clock; the storage is closed after, whatever happens. */
async function onClock(open: (clock: Clock) => Storage, body: (s: Storage, clock: Clock) => Promise<void>): Promise<void> {
  const clock = new Clock();
  const s = open(clock);
  try {
    await body(s, clock);
  } finally {
    await s.close();
  }
}

const OPENERS: [string, (clock: Clock) => Storage][] = [
  ['memory', (clock) => new MemoryStorage({ now: clock.now })],
  [
    'sqlite',
    (clock) => {
      const sub = join(dir, `db-${counter++}`);
      mkdirSync(sub);
      return new SqliteStorage(join(sub, 'study.db'), { now: clock.now });
    },
  ],
];

const claimOpts = { worker: 'w2', staleBefore: null, orphanOwners: [] as string[], maxAttempts: null };

for (const [name, open] of OPENERS) {
  describe(`${name} storage on a set clock`, () => {
    it('records the clock at each call: created, started, heartbeat, finished, a claim', async () => {
      await onClock(open, async (s, clock) => {
        const created = clock.iso();
        const st = await s.createStudy(newStudy('c'));
        assert.equal(st.created, created);
        clock.at += 1000;
        const started = clock.iso();
        const t = await s.createTrial(st.id, { cap: null, worker: 'w1', build: newTrial });
        assert.equal(t?.started, started);
        assert.equal(t?.heartbeat, started);
        assert.equal(t?.finished, null);
        clock.at += 1000;
        const beat = clock.iso();
        await s.heartbeat(st.id, [0], 'w1');
        assert.equal((await s.getTrial(st.id, 0))?.heartbeat, beat);
        assert.equal((await s.getTrial(st.id, 0))?.started, started, 'a heartbeat moves only the heartbeat');
        clock.at += 1000;
        assert.equal(await s.currentTime(), clock.iso());
        const finished = clock.iso();
        const done = await s.finishTrial(st.id, 0, { state: 'interrupted', value: null, error: null });
        assert.equal(done.finished, finished);
        assert.equal(done.heartbeat, beat);
        clock.at += 1000;
        const claimedAt = clock.iso();
        const again = await s.claimUnfinishedTrial(st.id, claimOpts);
        assert.deepEqual([again?.started, again?.heartbeat, again?.finished, again?.worker, again?.attempt], [claimedAt, claimedAt, null, 'w2', 2]);
      });
    });

    it('a heartbeat exactly at the staleness bound is not stale; one a millisecond older is', async () => {
      await onClock(open, async (s, clock) => {
        const st = await s.createStudy(newStudy('s'));
        await s.createTrial(st.id, { cap: null, worker: 'w1', build: newTrial });
        const beat = clock.iso();
        assert.equal(await s.claimUnfinishedTrial(st.id, { ...claimOpts, staleBefore: beat }), null);
        clock.at += 1;
        const claimed = await s.claimUnfinishedTrial(st.id, { ...claimOpts, staleBefore: clock.iso() });
        assert.equal(claimed?.number, 0);
        assert.equal(claimed?.worker, 'w2');
      });
    });

    it('a running trial without a heartbeat (times restored from a copy) is stale once a bound is given', async () => {
      await onClock(open, async (s, clock) => {
        const st = await s.createStudy(newStudy('h'));
        await s.createTrial(st.id, { cap: null, worker: 'w1', build: newTrial });
        await s.restoreTrialTimes(st.id, 0, { attempt: 1, started: clock.iso(), finished: null, heartbeat: null });
        assert.equal(await s.claimUnfinishedTrial(st.id, claimOpts), null, 'no bound: never stale');
        const claimed = await s.claimUnfinishedTrial(st.id, { ...claimOpts, staleBefore: '1970-01-01T00:00:00.000Z' });
        assert.equal(claimed?.number, 0);
        assert.equal(claimed?.heartbeat, clock.iso());
      });
    });

    it('topTrials with a limit of 0 or less is empty; a fractional limit is rounded down', async () => {
      await onClock(open, async (s) => {
        const st = await s.createStudy(newStudy('t'));
        for (let n = 0; n < 3; n++) {
          await s.createTrial(st.id, { cap: null, worker: 'w1', build: newTrial });
          await s.finishTrial(st.id, n, { state: 'complete', value: 3 - n, error: null });
        }
        for (const limit of [0, -1, -2.5]) assert.deepEqual(await s.topTrials(st.id, { direction: 'minimize', limit }), [], String(limit));
        assert.deepEqual((await s.topTrials(st.id, { direction: 'minimize', limit: 2.5 })).map((t) => t.number), [2, 1]);
        assert.deepEqual((await s.topTrials(st.id, { direction: 'maximize', limit: 1 })).map((t) => t.number), [0]);
      });
    });
  });
}

describe('memory storage', () => {
  it('a build that throws rejects the creation with that error, or an Error of what was thrown, and stores nothing', async () => {
    const s = new MemoryStorage();
    const st = await s.createStudy(newStudy('b'));
    const error = new RangeError('no');
    await assert.rejects(
      s.createTrial(st.id, {
        cap: null,
        worker: 'w',
        build: () => {
          throw error;
        },
      }),
      (e: unknown) => e === error,
    );
    await assert.rejects(
      s.createTrial(st.id, {
        cap: null,
        worker: 'w',
        build: () => {
          throw 'plain text' as unknown as Error;
        },
      }),
      (e: unknown) => e instanceof Error && e.message === 'plain text',
    );
    assert.deepEqual(await s.listTrials(st.id), []);
  });

  it('once closed, every call is refused naming the storage; closing again is fine', async () => {
    const s = new MemoryStorage();
    const st = await s.createStudy(newStudy('x'));
    await s.close();
    await s.close();
    const closed = (e: unknown) => e instanceof StorageError && e.message === ':memory:: the storage is closed';
    await assert.rejects(s.getStudy('x'), closed);
    await assert.rejects(s.listTrials(st.id), closed);
    await assert.rejects(s.integrityCheck(), closed);
    assert.equal(s.location, ':memory:');
  });

  it('without a clock given, it reads the real one', async () => {
    const s = new MemoryStorage();
    const before = Date.now();
    const now = Date.parse(await s.currentTime());
    assert.ok(now >= before && now <= Date.now() + 1, `${now} ${before}`);
  });

  it('studies are numbered from 1 and listed by number', async () => {
    const s = new MemoryStorage();
    const a = await s.createStudy(newStudy('a'));
    const b = await s.createStudy(newStudy('b'));
    assert.deepEqual([a.id, b.id], [1, 2]);
    assert.deepEqual((await s.listStudies()).map((x) => x.name), ['a', 'b']);
  });
});

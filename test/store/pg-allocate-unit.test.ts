/**
 * PgAllocations against a scripted client (no server): which statements a hand-out sends,
 * with which parameters, and what it makes of each answer (a lost race, a cut-off try, a
 * lost connection, a study that is not there).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFoundError } from '../../src/core/errors.js';
import { TRIAL_ATTRS_KEPT_ON_CLAIM } from '../../src/store/common.js';
import { PgAllocations } from '../../src/store/pg-allocate.js';
import type { PgClient } from '../../src/store/pg-client.js';
import { SQL } from '../../src/store/pg-sql.js';
import type { NewTrial } from '../../src/store/storage.js';

type Row = Record<string, unknown>;
interface Call {
  sql: string;
  values: unknown[];
  again?: string;
}
type Answer = { rows: Row[]; retried?: boolean } | Error;

const NAMES = new Map<string, string>(Object.entries(SQL).map(([name, text]) => [text, name]));

/** A client that answers each statement from `script` (by the name of its SQL.* constant), in order, and records the calls. */
class FakeClient {
  readonly calls: Call[] = [];
  losses = 0;
  constructor(private readonly script: Partial<Record<string, Answer[]>>) {}

  private answer(sql: string): Answer {
    const name = NAMES.get(sql) ?? '?';
    const answer = this.script[name]?.shift();
    if (answer === undefined) throw new Error(`unexpected statement ${name}`);
    return answer;
  }
  query(sql: string, values: unknown[] = []): Promise<Row[]> {
    this.calls.push({ sql, values });
    const a = this.answer(sql);
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a.rows);
  }
  write(sql: string, values: unknown[], again = sql): Promise<{ rows: Row[]; retried: boolean }> {
    this.calls.push({ sql, values, again });
    const a = this.answer(sql);
    return a instanceof Error ? Promise.reject(a) : Promise.resolve({ rows: a.rows, retried: a.retried ?? false });
  }
  /** The names of the statements sent, in order. */
  sent(): string[] {
    return this.calls.map((c) => NAMES.get(c.sql) ?? '?');
  }
}

function allocations(fake: FakeClient): PgAllocations {
  return new PgAllocations(fake as unknown as PgClient);
}

const TRIAL_CELLS = { study_id: 5, state: 'running', value: null, attempt: 1, started: 't0', finished: null, heartbeat: 't0', worker: 'w', error: null };
/** An inserted (or claimed) trial's row as the statement returns it. */
function inserted(number: number, count: number, next: number): Row {
  return { ...TRIAL_CELLS, id: 100 + number, number, seed: 1000 + number, count, next };
}
function nothingInserted(count: number, next: number): Row {
  return { id: null, number: null, count, next };
}
function claimedRow(number: number, extra: Row = {}): Row {
  return {
    ...TRIAL_CELLS,
    study: 1,
    id: 100 + number,
    number,
    seed: 1000 + number,
    attempt: 2,
    params: [{ trial_id: 100 + number, name: 'x', value: '0.5', distribution: null }],
    attrs: [{ trial_id: 100 + number, key: 'stage', value: '2' }],
    ...extra,
  };
}
const NO_CLAIM: Row = { study: 1, id: null, params: null, attrs: null };

function build(n: number): NewTrial {
  return { params: { x: n / 10 }, distributions: { x: { type: 'uniform', min: 0, max: 1 } }, seed: 1000 + n, attrs: { stage: n } };
}

describe('PgAllocations (scripted client)', () => {
  it('reads the allocation, then inserts the trial built for the next number with its rows as arrays', async () => {
    const fake = new FakeClient({ allocation: [{ rows: [{ study: 1, count: 3, next: 7 }] }], insertTrial: [{ rows: [inserted(7, 3, 7)] }] });
    const trial = await allocations(fake).createTrial(5, { cap: null, worker: 'w', build });
    assert.deepEqual(fake.sent(), ['allocation', 'insertTrial']);
    assert.deepEqual(fake.calls[0]?.values, [5]);
    assert.deepEqual(fake.calls[1]?.values, [5, 7, [1007], 'w', [0], ['x'], ['0.7'], ['{"type":"uniform","min":0,"max":1}'], [0], ['stage'], ['7'], null]);
    assert.equal(fake.calls[1]?.again, SQL.insertTrialAgain);
    assert.deepEqual(trial, {
      studyId: 5,
      number: 7,
      state: 'running',
      params: { x: 0.7 },
      distributions: { x: { type: 'uniform', min: 0, max: 1 } },
      value: null,
      seed: 1007,
      attempt: 1,
      started: 't0',
      finished: null,
      heartbeat: 't0',
      worker: 'w',
      error: null,
      attrs: { stage: 7 },
    });
  });

  it('builds the next numbers ahead (a whole lookahead, never past the cap), each row tagged with its candidate', async () => {
    const fake = new FakeClient({ allocation: [{ rows: [{ study: 1, count: 2, next: 4 }] }], insertTrial: [{ rows: [inserted(5, 3, 5)] }] });
    const built: number[] = [];
    const trial = await allocations(fake).createTrial(5, { cap: 5, worker: 'w', lookahead: 8, build: (n) => (built.push(n), build(n)) });
    assert.deepEqual(built, [4, 5, 6], 'room for 3 more under the cap');
    const values = fake.calls[1]?.values;
    assert.deepEqual(values?.slice(0, 4), [5, 4, [1004, 1005, 1006], 'w']);
    assert.deepEqual(values?.slice(4, 8), [[0, 1, 2], ['x', 'x', 'x'], ['0.4', '0.5', '0.6'], Array(3).fill('{"type":"uniform","min":0,"max":1}')]);
    assert.deepEqual(values?.slice(8), [[0, 1, 2], ['stage', 'stage', 'stage'], ['4', '5', '6'], 5]);
    assert.equal(trial?.number, 5);
    assert.deepEqual(trial?.params, { x: 0.5 }, 'the trial built for the number that went in');
    assert.deepEqual(trial?.attrs, { stage: 5 });
  });

  it('a lookahead is a whole number of candidates ≥ 0; without a cap there is no limit', async () => {
    for (const [lookahead, expected] of [[2.9, 3], [0, 1], [-3, 1], [undefined, 1]] as const) {
      const fake = new FakeClient({ allocation: [{ rows: [{ study: 1, count: 0, next: 0 }] }], insertTrial: [{ rows: [inserted(0, 0, 0)] }] });
      const built: number[] = [];
      const options = { cap: null, worker: 'w', build: (n: number) => (built.push(n), build(n)) };
      await allocations(fake).createTrial(5, lookahead === undefined ? options : { ...options, lookahead });
      assert.equal(built.length, expected, String(lookahead));
    }
  });

  it('a build that throws for a later number ends the candidates there; for the first, its error is the result', async () => {
    const fake = new FakeClient({ allocation: [{ rows: [{ study: 1, count: 0, next: 0 }] }], insertTrial: [{ rows: [inserted(0, 0, 0)] }] });
    const throwing = (from: number) => (n: number): NewTrial => {
      if (n >= from) throw new Error(`no build for ${n}`);
      return build(n);
    };
    await allocations(fake).createTrial(5, { cap: null, worker: 'w', lookahead: 5, build: throwing(2) });
    assert.deepEqual(fake.calls[1]?.values[2], [1000, 1001]);
    const first = new FakeClient({ allocation: [{ rows: [{ study: 1, count: 0, next: 0 }] }] });
    await assert.rejects(allocations(first).createTrial(5, { cap: null, worker: 'w', lookahead: 5, build: throwing(0) }), /no build for 0/);
    assert.deepEqual(first.sent(), ['allocation']);
  });

  it('at the cap there is no trial, and nothing is inserted; one under it, one is', async () => {
    const full = new FakeClient({ allocation: [{ rows: [{ study: 1, count: 4, next: 9 }] }] });
    assert.equal(await allocations(full).createTrial(5, { cap: 4, worker: 'w', build }), null);
    assert.deepEqual(full.sent(), ['allocation']);
    const over = new FakeClient({ allocation: [{ rows: [{ study: 1, count: 5, next: 9 }] }] });
    assert.equal(await allocations(over).createTrial(5, { cap: 4, worker: 'w', build }), null);
    const room = new FakeClient({ allocation: [{ rows: [{ study: 1, count: 3, next: 9 }] }], insertTrial: [{ rows: [inserted(9, 3, 9)] }] });
    assert.equal((await allocations(room).createTrial(5, { cap: 4, worker: 'w', build }))?.number, 9);
  });

  it('a study that is not there is NotFound', async () => {
    const fake = new FakeClient({ allocation: [{ rows: [{ study: 0, count: 0, next: 0 }] }] });
    await assert.rejects(allocations(fake).createTrial(8, { cap: null, worker: 'w', build }), (e: unknown) => e instanceof NotFoundError && e.message === 'study 8 not found');
  });

  it('a lost race is tried again at once with the count and next number the insert saw, up to the cap', async () => {
    const fake = new FakeClient({
      allocation: [{ rows: [{ study: 1, count: 1, next: 1 }] }],
      insertTrial: [{ rows: [nothingInserted(2, 2)] }, { rows: [inserted(2, 2, 2)] }],
    });
    const trial = await allocations(fake).createTrial(5, { cap: null, worker: 'w', build });
    assert.deepEqual(fake.sent(), ['allocation', 'insertTrial', 'insertTrial']);
    assert.deepEqual(fake.calls[2]?.values.slice(0, 3), [5, 2, [1002]]);
    assert.deepEqual(trial?.params, { x: 0.2 });

    const capped = new FakeClient({ allocation: [{ rows: [{ study: 1, count: 1, next: 1 }] }], insertTrial: [{ rows: [nothingInserted(2, 2)] }] });
    assert.equal(await allocations(capped).createTrial(5, { cap: 2, worker: 'w', build }), null);
    assert.deepEqual(capped.sent(), ['allocation', 'insertTrial']);
  });

  it('a row for a number that was not a candidate is not taken for one', async () => {
    const fake = new FakeClient({
      allocation: [{ rows: [{ study: 1, count: 1, next: 1 }] }],
      insertTrial: [{ rows: [{ ...inserted(3, 1, 3) }] }, { rows: [inserted(3, 3, 3)] }],
    });
    const trial = await allocations(fake).createTrial(5, { cap: null, worker: 'w', build });
    assert.equal(fake.sent().length, 3, 'tried again');
    assert.deepEqual(trial?.params, { x: 0.3 });
  });

  it('after a cut-off insert, takes back a trial it stored without knowing, else counts again', async () => {
    const back = new FakeClient({
      allocation: [{ rows: [{ study: 1, count: 0, next: 0 }] }],
      insertTrial: [{ rows: [nothingInserted(1, 1)], retried: true }],
      reclaimOwn: [{ rows: [claimedRow(0)] }],
    });
    const a = allocations(back);
    const trial = await a.createTrial(5, { cap: null, worker: 'w', build });
    assert.deepEqual(back.sent(), ['allocation', 'insertTrial', 'reclaimOwn']);
    assert.deepEqual(back.calls[2]?.values, [5, 'w', [...TRIAL_ATTRS_KEPT_ON_CLAIM], []]);
    assert.equal(trial?.number, 0);
    assert.equal(trial?.attempt, 2);
    assert.deepEqual(trial?.params, { x: 0.5 });
    assert.deepEqual(trial?.attrs, { stage: 2 });

    const again = new FakeClient({
      allocation: [{ rows: [{ study: 1, count: 0, next: 0 }] }, { rows: [{ study: 1, count: 1, next: 1 }] }],
      insertTrial: [{ rows: [nothingInserted(1, 1)], retried: true }, { rows: [inserted(1, 1, 1)] }],
      reclaimOwn: [{ rows: [NO_CLAIM] }],
    });
    assert.equal((await allocations(again).createTrial(5, { cap: null, worker: 'w', build }))?.number, 1);
    assert.deepEqual(again.sent(), ['allocation', 'insertTrial', 'reclaimOwn', 'allocation', 'insertTrial']);
  });

  it("a finish's allocation is the next creation's first guess, used once", async () => {
    const fake = new FakeClient({
      insertTrial: [{ rows: [inserted(4, 4, 4)] }, { rows: [inserted(5, 5, 5)] }],
      allocation: [{ rows: [{ study: 1, count: 5, next: 5 }] }],
    });
    const a = allocations(fake);
    a.hint(5, { count: 4, next: 4 });
    a.hint(6, { count: 9, next: 9 });
    assert.equal((await a.createTrial(5, { cap: null, worker: 'w', build }))?.number, 4);
    assert.deepEqual(fake.sent(), ['insertTrial']);
    assert.equal((await a.createTrial(5, { cap: null, worker: 'w', build }))?.number, 5);
    assert.deepEqual(fake.sent(), ['insertTrial', 'allocation', 'insertTrial']);
    const capped = new FakeClient({});
    const c = allocations(capped);
    c.hint(5, { count: 3, next: 3 });
    assert.equal(await c.createTrial(5, { cap: 3, worker: 'w', build }), null, 'the cap is checked against the hint');
    assert.deepEqual(capped.sent(), []);
  });

  it('a claim sends the worker, the attributes kept, the attempts, the orphan owners and the staleness bound', async () => {
    const fake = new FakeClient({ claimOne: [{ rows: [claimedRow(3)] }, { rows: [NO_CLAIM] }, { rows: [{ study: 0, id: null }] }] });
    const a = allocations(fake);
    const trial = await a.claim(5, { worker: 'w2', staleBefore: 't9', orphanOwners: ['dead'], maxAttempts: 3 });
    assert.deepEqual(fake.calls[0]?.values, [5, 'w2', [...TRIAL_ATTRS_KEPT_ON_CLAIM], 3, ['dead'], 't9']);
    assert.equal(trial?.number, 3);
    assert.deepEqual(trial?.params, { x: 0.5 });
    assert.equal(await a.claim(5, { worker: 'w2', staleBefore: null, orphanOwners: [], maxAttempts: null }), null);
    await assert.rejects(a.claim(6, { worker: 'w2', staleBefore: null, orphanOwners: [], maxAttempts: null }), /study 6 not found/);
  });

  it('a reclaim of a study that is not there is NotFound; a row without an id is no trial', async () => {
    const fake = new FakeClient({
      allocation: [{ rows: [{ study: 1, count: 0, next: 0 }] }],
      insertTrial: [{ rows: [nothingInserted(1, 1)], retried: true }],
      reclaimOwn: [{ rows: [{ study: 0 }] }],
    });
    await assert.rejects(allocations(fake).createTrial(5, { cap: null, worker: 'w', build }), NotFoundError);
    const undef = new FakeClient({ claimOne: [{ rows: [{ study: 1 }] }] });
    assert.equal(await allocations(undef).claim(5, { worker: 'w', staleBefore: null, orphanOwners: [], maxAttempts: null }), null);
  });

  it('after a lost connection, the next hand-out first takes back a trial of this owner it does not hold', async () => {
    const fake = new FakeClient({
      claimOne: [{ rows: [claimedRow(1)] }, { rows: [claimedRow(2)] }, { rows: [NO_CLAIM] }],
      reclaimOwn: [{ rows: [claimedRow(4)] }, { rows: [NO_CLAIM] }],
    });
    const a = allocations(fake);
    const options = { worker: 'w', staleBefore: null, orphanOwners: [], maxAttempts: null };
    assert.equal((await a.claim(5, options))?.number, 1);
    fake.losses = 1;
    assert.equal((await a.claim(5, options))?.number, 4, 'the lost hand-out, instead of a claim');
    assert.deepEqual(fake.sent(), ['claimOne', 'reclaimOwn']);
    assert.deepEqual(fake.calls[1]?.values[3], [1], 'not the trial it holds');
    assert.equal((await a.claim(5, options))?.number, 2, 'the loss is made good once');
    fake.losses = 2;
    a.release(5, 4);
    a.release(7, 1);
    assert.equal((await a.claim(5, options)), null);
    assert.deepEqual(fake.sent(), ['claimOne', 'reclaimOwn', 'claimOne', 'reclaimOwn', 'claimOne'], 'nothing to take back: a claim');
    assert.deepEqual(fake.calls[3]?.values[3], [1, 2], 'a released trial is not held');
  });

  it('hand-outs run one at a time, and one that fails does not stop the next', async () => {
    const fake = new FakeClient({ claimOne: [new Error('boom'), { rows: [claimedRow(1)] }] });
    const a = allocations(fake);
    const options = { worker: 'w', staleBefore: null, orphanOwners: [], maxAttempts: null };
    const first = a.claim(5, options);
    const second = a.claim(5, options);
    await assert.rejects(first, /boom/);
    assert.equal((await second)?.number, 1);
  });
});

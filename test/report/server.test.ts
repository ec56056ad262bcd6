// The live page's server in process (no CLI, no browser): routes, the ETag and 304, the
// waiting page, a failing load; and the page's own safety rules (script JSON, escaping).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { EpochRecord, FrozenTrial } from '../../src/core/types.js';
import { isReportPage, POLL_INTERVAL_MS, renderPage, shapeReport, startLiveServer, type LiveServer, type ReportInput } from '../../src/report/index.js';
import { scriptJson } from '../../src/report/page.js';

function trial(number: number, value: number): FrozenTrial {
  return {
    ...{ studyId: 1, number, state: 'complete', params: { lr: 0.1 }, distributions: { lr: { type: 'log_uniform_values', min: 1e-3, max: 1 } } },
    ...{ value, seed: 0, attempt: 1, started: null, finished: null, heartbeat: null, worker: null, error: null, attrs: {} },
  };
}

let input: ReportInput | null = null;
let failing = false;
let loads = 0;
const curves = new Map<number, EpochRecord[]>();
const servers: LiveServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

let failure: unknown = new Error('storage went away');
const errors: unknown[] = [];

async function serve(host = '127.0.0.1', port = 0): Promise<string> {
  const server = await startLiveServer(
    () => {
      loads++;
      // A load may fail with something other than an Error: the answer still says what.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return failing ? Promise.reject(failure) : Promise.resolve(input);
    },
    { host, port, onError: (e) => errors.push(e) },
  );
  servers.push(server);
  return server.url;
}

const STUDY = { name: 'live', direction: 'maximize', metric: 'val_accuracy', attrs: {}, specJson: '{}' } as const;

describe('live server', () => {
  it('waits for the study, then serves the page and its data with an ETag that changes only with the study', async () => {
    const url = await serve();
    input = null;
    const waiting = await fetch(url);
    assert.equal(waiting.status, 200);
    assert.match(await waiting.text(), /Waiting for the study to be created/);
    const noData = await fetch(`${url}api/data`);
    assert.equal(noData.status, 503);
    assert.equal(noData.headers.get('retry-after'), '1');

    input = { study: { name: 'live <b>', direction: 'maximize', metric: 'val_accuracy', attrs: {}, specJson: '{}' }, trials: [trial(0, 0.5)], curves };
    const page = await fetch(url);
    const html = await page.text();
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.ok(isReportPage(html));
    assert.match(html, new RegExp(`data-live="/api/data" data-interval="${POLL_INTERVAL_MS}"`));
    assert.match(html, /<title>hpsearch · live &lt;b&gt;<\/title>/);

    const first = await fetch(`${url}api/data`);
    assert.equal(first.status, 200);
    const etag = first.headers.get('etag')!;
    const data = (await first.json()) as { trials: { number: number; value: number }[]; best: number };
    assert.deepEqual(data.trials.map((t) => [t.number, t.value]), [[0, 0.5]]);
    const again = await fetch(`${url}api/data`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);

    // A first and a second epoch, a new trial, a changed value: each changes the ETag.
    const seen = new Set([etag]);
    const next = async (): Promise<void> => {
      const r = await fetch(`${url}api/data`, { headers: { 'If-None-Match': etag } });
      assert.equal(r.status, 200);
      const tag = r.headers.get('etag')!;
      assert.ok(!seen.has(tag), 'a new ETag');
      seen.add(tag);
    };
    curves.set(0, [{ epoch: 0, metrics: { val_accuracy: 0.5 } }]);
    await next();
    // A running trial's second epoch, as much as its first.
    curves.set(0, [{ epoch: 0, metrics: { val_accuracy: 0.5 } }, { epoch: 1, metrics: { val_accuracy: 0.5 } }]);
    await next();
    input = { ...input, trials: [trial(0, 0.5), trial(1, 0.7)] };
    await next();
    input = { ...input, trials: [trial(0, 0.6), trial(1, 0.7)] };
    await next();
  });

  it('answers 404 elsewhere, 405 to other methods, and 500 with the reason when the study cannot be read', async () => {
    const url = await serve();
    const missing = await fetch(`${url}elsewhere`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /not found: \/elsewhere/);
    const post = await fetch(url, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    failing = true;
    const broken = await fetch(`${url}api/data`);
    assert.equal(broken.status, 500);
    assert.match(await broken.text(), /hpsearch: storage went away/);
    assert.equal(broken.headers.get('content-type'), 'text/plain');
    assert.deepEqual(errors.splice(0).map((e) => (e as Error).message), ['storage went away'], 'the error reaches onError');
    failure = 'a plain string';
    const thrown = await fetch(url);
    assert.equal(thrown.status, 500);
    assert.equal(await thrown.text(), 'hpsearch: a plain string\n');
    assert.deepEqual(errors.splice(0), ['a plain string']);
    failing = false;
    const before = loads;
    assert.equal((await fetch(`${url}api/data`)).status, input === null ? 503 : 200, 'it keeps serving');
    assert.equal(loads, before + 1, 'each request reads the study afresh');
  });

  it('names each answer by its content type and how long it may be kept', async () => {
    const url = await serve();
    input = null;
    const missing = await fetch(`${url}api/data/more`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'text/plain');
    assert.equal(await missing.text(), 'not found: /api/data/more\n');
    const waiting = await fetch(url);
    assert.equal(waiting.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(waiting.headers.get('cache-control'), 'no-store');
    assert.match(await waiting.text(), /^<!doctype html>.*<meta http-equiv="refresh" content="1">/);
    const noData = await fetch(`${url}api/data`);
    assert.equal(noData.headers.get('content-type'), 'text/plain');
    assert.equal(await noData.text(), 'the study does not exist yet\n');

    input = { study: STUDY, trials: [trial(0, 0.5)], curves: new Map() };
    const page = await fetch(`${url}?refresh=1`);
    assert.equal(page.status, 200, 'a query does not change the route');
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    const data = await fetch(`${url}api/data?since=3`);
    assert.equal(data.status, 200);
    assert.equal(data.headers.get('content-type'), 'application/json');
    assert.equal(data.headers.get('cache-control'), 'no-cache');
    const etag = data.headers.get('etag')!;
    assert.match(etag, /^"[0-9a-f]{40}"$/);
    const unchanged = await fetch(`${url}api/data`, { headers: { 'If-None-Match': etag } });
    assert.equal(unchanged.status, 304);
    assert.equal(unchanged.headers.get('etag'), etag);
    assert.equal(await unchanged.text(), '');
    const other = await fetch(`${url}api/data`, { headers: { 'If-None-Match': '"something else"' } });
    assert.equal(other.status, 200);
    const head = await fetch(`${url}api/data`, { method: 'HEAD' });
    assert.equal(head.status, 200, 'HEAD is answered like GET');
    assert.equal(head.headers.get('etag'), etag);
    for (const method of ['PUT', 'DELETE']) {
      const r = await fetch(`${url}api/data`, { method });
      assert.equal(r.status, 405, method);
    }
  });

  it('shapes an unchanged study once: the data, its time of shaping included, stays as first shaped', async () => {
    const url = await serve();
    input = { study: STUDY, trials: [trial(0, 0.5), trial(1, 0.6)], curves: new Map() };
    const first = await (await fetch(`${url}api/data`)).text();
    const shaped = Date.now();
    while (Date.now() < shaped + 2) await new Promise((done) => setTimeout(done, 2));
    assert.equal(await (await fetch(`${url}api/data`)).text(), first);
    input = { ...input, trials: [trial(0, 0.5), trial(1, 0.6), trial(2, 0.7)] };
    assert.notEqual(await (await fetch(`${url}api/data`)).text(), first);
  });

  it("changes the ETag when a trial's state changes, or the study is another one", async () => {
    const url = await serve();
    const tag = async (): Promise<string> => (await fetch(`${url}api/data`)).headers.get('etag')!;
    const running: FrozenTrial = { ...trial(1, 0.6), state: 'running' };
    input = { study: STUDY, trials: [trial(0, 0.5), running], curves: new Map() };
    const before = await tag();
    input = { ...input, trials: [trial(0, 0.5), { ...running, state: 'complete' }] };
    const completed = await tag();
    assert.notEqual(completed, before, 'the same value, another state');
    input = { ...input, study: { ...STUDY, name: 'other' } };
    assert.notEqual(await tag(), completed, 'another study of the same trials');
  });

  it('refuses a port already taken, and writes an IPv6 host in brackets', async () => {
    const url = await serve();
    const port = Number(new URL(url).port);
    await assert.rejects(serve('127.0.0.1', port), /EADDRINUSE/);
    input = null;
    const v6 = await serve('::1');
    assert.match(v6, /^http:\/\/\[::1\]:\d+\/$/);
    assert.equal((await fetch(v6)).status, 200);
  });
});

describe('report page', () => {
  it('keeps the data inert inside its script element', () => {
    assert.equal(scriptJson({ a: '</script><!--' }), '{"a":"\\u003c/script>\\u003c!--"}');
    assert.equal(scriptJson('\u2028\u2029'), '"\\u2028\\u2029"');
    const data = shapeReport({ study: { name: 'x</script>', direction: 'minimize', metric: 'val_loss', attrs: {}, specJson: '{}' }, trials: [trial(0, 0.3)], curves: new Map() });
    const html = renderPage(data);
    assert.equal(html.split('</script>').length - 1, (html.match(/<script/g) ?? []).length, 'no early end of a script element');
    assert.ok(!/data-live/.test(html), 'a static report does not poll');
    assert.equal(isReportPage('<html>something else</html>'), false);
  });
});

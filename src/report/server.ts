/**
 * The live page's HTTP server: `/` is the report page (it polls), `/api/data` the current
 * data as JSON with an ETag, so an unchanged study costs a 304. Loopback unless told otherwise.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderPage } from './page.js';
import { shapeReport } from './shape.js';
import type { ReportData, ReportInput } from './types.js';

/** How often the page asks for new data (ms). */
export const POLL_INTERVAL_MS = 2000;
const DATA_PATH = '/api/data';

/** Reads the study afresh (through the caller's Storage); null while it does not exist yet. */
export type LoadInput = () => Promise<ReportInput | null>;

export interface LiveServer {
  url: string;
  close(): Promise<void>;
}

interface Current {
  data: ReportData;
  json: string;
  etag: string;
}

/** What changes when a study moves on: trials, their states and values, epochs recorded. */
function fingerprint(input: ReportInput): string {
  const h = createHash('sha1').update(`${input.study.name}\0${input.trials.length}`);
  for (const t of input.trials) h.update(`${t.number}:${t.state}:${String(t.value)}:${input.curves.get(t.number)?.length ?? 0};`);
  return h.digest('hex');
}

/** The data of the study now; shaped again (charts, importance) only when the study changed. */
function tracker(load: LoadInput): () => Promise<Current | null> {
  let cached: (Current & { key: string }) | null = null;
  return async () => {
    const input = await load();
    if (input === null) return null;
    const key = fingerprint(input);
    if (cached?.key !== key) {
      const data = shapeReport(input);
      cached = { key, data, json: JSON.stringify(data), etag: `"${key}"` };
    }
    return cached;
  };
}

const WAITING = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><meta http-equiv="refresh" content="1"><title>hpsearch</title>
<p style="font-family:sans-serif">Waiting for the study to be created… (this page reloads itself)</p>`;

async function handle(current: () => Promise<Current | null>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  if (path !== '/' && path !== DATA_PATH) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${path}\n`);
    return;
  }
  const now = await current();
  if (now === null) {
    if (path === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(WAITING);
    else res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '1' }).end('the study does not exist yet\n');
    return;
  }
  if (path === '/') {
    const page = renderPage(now.data, { live: { dataUrl: DATA_PATH, intervalMs: POLL_INTERVAL_MS } });
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page);
    return;
  }
  if (req.headers['if-none-match'] === now.etag) {
    res.writeHead(304, { ETag: now.etag }).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json', ETag: now.etag, 'Cache-Control': 'no-cache' }).end(now.json);
}

/** Starts the live page on host:port (port 0: any free port). Errors of one request answer 500 and keep serving. */
export function startLiveServer(load: LoadInput, options: { host: string; port: number; onError?: (error: unknown) => void }): Promise<LiveServer> {
  const current = tracker(load);
  const server: Server = createServer((req, res) => {
    handle(current, req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`hpsearch: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${host}:${port}/`,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

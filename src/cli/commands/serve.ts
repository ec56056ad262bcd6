import { UsageError } from '../../core/errors.js';
import { storageLocation } from '../context.js';
import { serveStudy } from '../live.js';
import { err, out } from '../output.js';
import type { Args } from '../parser.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function portOf(value: unknown): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a whole number from 0 to 65535 (0: any free port)');
  return port;
}

/** `hpsearch serve`: the report page of a study, live, until Ctrl-C. */
export default async function serve(args: Args): Promise<void> {
  const host = String(args['host']);
  const server = await serveStudy(storageLocation(args['storage']), typeof args['study'] === 'string' ? args['study'] : undefined, {
    host,
    port: portOf(args['port']),
  });
  if (!LOOPBACK.has(host)) err(`hpsearch: serving on ${host}: anyone who can reach this address can read the study`);
  out(server.url);
  err('hpsearch: the page follows the study as epochs arrive; Ctrl-C stops the server');
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
}

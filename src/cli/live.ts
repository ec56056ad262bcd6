import { NotFoundError } from '../core/errors.js';
import { startLiveServer, type LiveServer } from '../report/index.js';
import { openStorage } from '../store/open.js';
import { resolveStudy, withStorage } from './context.js';
import { err } from './output.js';
import { readReportInput } from './report-input.js';

/**
 * Serves the live page of a study. Each request opens the database afresh (a query:
 * never created, never written), so it follows a `run` writing it from another process.
 */
export function serveStudy(location: string, study: string | undefined, options: { host: string; port: number }): Promise<LiveServer> {
  const load = async () => {
    try {
      return await withStorage(await openStorage(location, { mustExist: true }), async (storage) =>
        readReportInput(storage, await resolveStudy(storage, study)),
      );
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };
  return startLiveServer(load, { ...options, onError: (error) => err(`hpsearch serve: ${error instanceof Error ? error.message : String(error)}`) });
}

/** `run --serve`: the live page on loopback beside the run, its URL on stderr. */
export async function serveBeside(location: string, study: string, port: number): Promise<LiveServer> {
  const server = await serveStudy(location, study, { host: '127.0.0.1', port });
  err(`hpsearch: live report at ${server.url}`);
  return server;
}

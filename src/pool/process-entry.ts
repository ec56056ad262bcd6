/**
 * The entry of a slot's child process (compiled to dist/src/pool/process-entry.js), forked
 * with an IPC channel. The parent decides when trials stop, so Ctrl-C (which a terminal
 * sends to the whole process group) is ignored here; the process ends when its channel
 * closes (the parent exited or let it go), when the parent dies (parent-watch.ts) or when
 * the parent kills it.
 */
import { errorMessage } from '../core/errors.js';
import type { FromWorker } from './protocol.js';
import { isToWorker } from './protocol.js';
import { endWithParent } from './parent-watch.js';
import { serve } from './serve.js';

const MB = 1024 * 1024;

function send(message: FromWorker, then?: () => void): void {
  if (process.send === undefined || !process.connected) {
    then?.();
    return;
  }
  process.send(message, undefined, undefined, () => then?.());
}

process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
process.on('disconnect', () => process.exit(0));
endWithParent();

/** An error nobody caught: tell the parent why, then end (exit code 70, EX_SOFTWARE). */
function crash(error: unknown): void {
  setTimeout(() => process.exit(70), 1000).unref();
  send({ type: 'crash', message: errorMessage(error) }, () => process.exit(70));
}
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

serve(
  {
    post: (message) => send(message),
    listen: (handler) => process.on('message', (message: unknown) => isToWorker(message) && handler(message)),
  },
  () => process.memoryUsage().rss / MB,
);

/** The entry of a slot's worker thread (compiled to dist/src/pool/thread-entry.js). */
import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { isToWorker } from './protocol.js';
import { serve } from './serve.js';

const port = parentPort;
if (port === null) throw new Error('thread-entry.js runs only as a worker thread');

const MB = 1024 * 1024;

/** This thread's Linux thread id ("/proc/thread-self" → "PID/task/TID"); null elsewhere. */
function threadTid(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) ? tid : null;
  } catch {
    return null;
  }
}

serve(
  {
    post: (message) => port.postMessage(message),
    listen: (handler) => port.on('message', (message: unknown) => isToWorker(message) && handler(message)),
  },
  // This thread's own heap and the buffers it holds (rss would be the whole process's).
  () => {
    const usage = process.memoryUsage();
    return (usage.heapTotal + usage.external) / MB;
  },
  threadTid(),
  (workerData as { stopFlag?: Int32Array } | null)?.stopFlag ?? null,
);

import { Worker } from 'node:worker_threads';

/** How often the watch looks at the parent (ms): a child ends well within a second of it. */
const WATCH_MS = 200;

// A thread of its own, so a trial that busy-loops on the main thread cannot hold it up; it
// reads the live parent id (a dead parent's children are adopted by init or a subreaper).
const SOURCE = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.parent) process.kill(process.pid, 'SIGKILL');
}, workerData.ms);
`;

/**
 * Ends this process when its parent dies, even by kill -9, whatever the main thread is
 * doing. The IPC channel's 'disconnect' covers a parent that lets go; this covers a parent
 * that vanished while a trial kept the event loop busy.
 */
export function endWithParent(): void {
  const watch = new Worker(SOURCE, { eval: true, workerData: { parent: process.ppid, ms: WATCH_MS } });
  watch.unref();
}

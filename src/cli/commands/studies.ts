import { openForQuery, withStorage } from '../context.js';
import { formatOf } from '../options.js';
import { printRows } from '../output.js';
import type { Args } from './index.js';

/** `hpsearch studies`: every study in the database with its trial counts and best value. */
export default async function studies(args: Args): Promise<void> {
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const list = await storage.listStudies();
    const head = ['study', 'metric', 'goal', 'trials', 'complete', 'running', 'failed', 'diverged', 'best', 'created'];
    const rows = list.map((s) => {
      const total = Object.values(s.counts).reduce((a, b) => a + b, 0);
      return [s.name, s.metric, s.direction, total, s.counts.complete, s.counts.running, s.counts.failed, s.counts.diverged, s.best, s.created];
    });
    const json = list.map((s) => ({ name: s.name, metric: s.metric, direction: s.direction, seed: s.seed, created: s.created, counts: s.counts, best: s.best }));
    printRows(formatOf(args), head, rows, json);
  });
}

import { UsageError } from '../../core/errors.js';
import { copyStudies } from '../../store/copy.js';
import { openForCommand, withStorage } from '../context.js';
import { err, printJson } from '../output.js';
import type { Args } from './index.js';

/** `hpsearch copy --from A --to B [--study S]`: copies studies between two storages (SQLite ↔ PostgreSQL). */
export default async function copy(args: Args): Promise<void> {
  const from = args['from'];
  const to = args['to'];
  if (typeof from !== 'string' || from === '' || typeof to !== 'string' || to === '') {
    throw new UsageError('copy needs --from and --to (a SQLite file or a postgresql:// URL each)');
  }
  const raw = args['study'];
  const names = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String);
  // A study already in the destination (the same storage given twice, too) is refused before anything is written.
  const copied = await withStorage(await openForCommand(from, { mustExist: true }), async (source) =>
    withStorage(await openForCommand(to), (dest) => copyStudies(source, dest, names)),
  );
  if (args['json'] === true) {
    printJson(copied);
    return;
  }
  for (const c of copied) err(`copied study ${c.study}: ${c.trials} trials, ${c.epochs} epochs`);
}

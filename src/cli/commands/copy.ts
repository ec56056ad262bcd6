import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { copyStudies, studiesToCopy } from '../../store/copy.js';
import type { Storage, StudyRecord } from '../../store/storage.js';
import { modelsRoot } from '../../study/keep.js';
import { openForCommand, withStorage } from '../context.js';
import { err, printJson } from '../output.js';
import type { Args } from '../parser.js';

/** `hpsearch copy --from A --to B [--study S]`: copies studies between two storages (SQLite ↔ PostgreSQL), kept models too. */
export default async function copy(args: Args): Promise<void> {
  const from = args['from'];
  const to = args['to'];
  if (typeof from !== 'string' || from === '' || typeof to !== 'string' || to === '') {
    throw new UsageError('copy needs --from and --to (a SQLite file, a postgresql:// URL or journal:PATH each)');
  }
  const raw = args['study'];
  const names = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String);
  // An unknown study is refused before the destination is opened (so no empty database is
  // left); one already in the destination (the same storage given twice, too) before anything is written.
  const copied = await withStorage(await openForCommand(from, { mustExist: true }), async (source) => {
    const chosen = await studiesToCopy(source, names);
    const done = await withStorage(await openForCommand(to), (dest) => copyStudies(source, dest, chosen));
    await copyKeptModels(source, to, chosen);
    return done;
  });
  if (args['json'] === true) {
    printJson(copied);
    return;
  }
  for (const c of copied) err(`copied study ${c.study}: ${c.trials} trials, ${c.epochs} epochs`);
}

/** The kept models of the copied trials, into the destination's models folder (where one is kept apart). */
async function copyKeptModels(source: Storage, to: string, studies: readonly StudyRecord[]): Promise<void> {
  const fromRoot = modelsRoot(source.location);
  const toRoot = modelsRoot(to);
  if (fromRoot === null || toRoot === null || fromRoot === toRoot) return;
  for (const study of studies) {
    for (const trial of await source.listTrials(study.id)) {
      const name = trial.attrs['model'];
      if (typeof name !== 'string' || !existsSync(join(fromRoot, name)) || existsSync(join(toRoot, name))) continue;
      cpSync(join(fromRoot, name), join(toRoot, name), { recursive: true });
    }
  }
}

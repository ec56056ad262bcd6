import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError, UsageError } from '../../core/errors.js';
import { rankByValue } from '../../core/types.js';
import { modelsRoot } from '../../study/keep.js';
import { openForQuery, resolveStudy, withStorage } from '../context.js';
import { fmt, out, printJson, table } from '../output.js';
import type { Args } from '../parser.js';

/** `hpsearch ensemble --top K`: the mean softmax of the best K kept models on the test split, against the best single one. */
export default async function ensemble(args: Args): Promise<void> {
  const top = Number(args['top']);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a positive integer, got ${JSON.stringify(args['top'])}`);
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const study = await resolveStudy(storage, args['study']);
    const root = modelsRoot(storage.location);
    // A model that left the top k was deleted; its trial still names where it was.
    const kept = (await storage.listTrials(study.id)).filter(
      (t) => t.state === 'complete' && typeof t.attrs['model'] === 'string' && root !== null && existsSync(join(root, t.attrs['model'])),
    );
    const chosen = rankByValue(kept, study.direction).slice(0, top);
    if (chosen.length === 0 || root === null) throw new NotFoundError(`study '${study.name}' has no complete trial with a kept model`);
    const { ensembleAccuracy } = await import('../../train/keep/ensemble.js');
    const result = await ensembleAccuracy(chosen.map((t) => join(root, t.attrs['model'] as string)));
    const best = result.members.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
    if (args['json'] === true) {
      printJson({ study: study.name, members: result.members.map(({ trial, accuracy }) => ({ trial, test_accuracy: accuracy })), ensemble_test_accuracy: result.ensemble, best_single: { trial: best.trial, test_accuracy: best.accuracy }, test_rows: result.testRows });
      return;
    }
    out(table(['trial', 'test_accuracy'], result.members.map((m) => [m.trial, m.accuracy])));
    out(`ensemble of ${result.members.length} (mean softmax): test_accuracy ${fmt(result.ensemble)}; best single model (trial ${best.trial}): ${fmt(best.accuracy)} (${result.testRows} test rows)`);
    if (chosen.length < top) out(`(only ${chosen.length} kept models: keep_models keeps the best 5 by default)`);
  });
}

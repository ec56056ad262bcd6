import { UsageError } from '../../core/errors.js';
import { openForQuery, withStorage } from '../context.js';
import { keptTrial, trialNumber } from '../kept.js';
import { out, printJson } from '../output.js';
import type { Args } from '../parser.js';

/** `hpsearch export-model TRIAL --out DIR`: a kept model, checked, copied where tf.loadLayersModel can read it. */
export default async function exportModel(args: Args): Promise<void> {
  const number = trialNumber(args['trial']);
  const target = args['out'];
  if (typeof target !== 'string' || target === '') throw new UsageError('--out DIR is required');
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const { dir } = await keptTrial(storage, args['study'], number);
    const { exportKeptModel } = await import('../../train/keep/export.js');
    const files = await exportKeptModel(dir, target);
    if (args['json'] === true) printJson({ trial: number, from: dir, out: target, files });
    else out(`trial ${number}: wrote ${files.join(', ')} to ${target} (load with tf.loadLayersModel)`);
  });
}

import { openForQuery, withStorage } from '../context.js';
import { keptTrial, trialNumber } from '../kept.js';
import { formatOf } from '../options.js';
import { printRows } from '../output.js';
import type { Args } from '../parser.js';

/** `hpsearch predict TRIAL data.csv`: class probabilities of each row by the trial's kept model. */
export default async function predict(args: Args): Promise<void> {
  const number = trialNumber(args['trial']);
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const { dir } = await keptTrial(storage, args['study'], number);
    const { predictCsv } = await import('../../train/keep/predict.js');
    const { classNames, rows } = await predictCsv(dir, String(args['data']));
    const predicted = rows.map((p) => classNames[p.indexOf(Math.max(...p))] ?? '');
    const head = ['row', 'predicted', ...classNames.map((c) => `p(${c})`)];
    const format = formatOf(args);
    // A table shows each probability to 3 decimals (1.000e-6 would be false precision); CSV keeps it whole.
    const cells = rows.map((p, r) => [r + 1, predicted[r] ?? '', ...p.map((v) => (format === 'table' ? v.toFixed(3) : v))]);
    const json = rows.map((p, r) => ({ row: r + 1, predicted: predicted[r], probabilities: Object.fromEntries(classNames.map((c, k) => [c, p[k]])) }));
    printRows(format, head, cells, json);
  });
}

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { isReportPage, renderPage, shapeReport } from '../../report/index.js';
import { openForQuery, resolveStudy, withStorage } from '../context.js';
import { readReportInput } from '../report-input.js';
import type { Args } from './index.js';

/** `hpsearch report`: one self-contained HTML page of a study (charts, table, details). */
export default async function report(args: Args): Promise<void> {
  const out = resolve(String(args['out']));
  if (existsSync(out) && !isReportPage(readFileSync(out, 'utf8').slice(0, 2000))) {
    throw new UsageError(`${out} exists and is not an hpsearch report: choose another --out (hpsearch replaces only its own reports)`);
  }
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const study = await resolveStudy(storage, args['study']);
    const data = shapeReport(await readReportInput(storage, study));
    writeFileSync(out, renderPage(data));
    process.stderr.write(`wrote ${out}: ${data.trials.length} trials of study '${study.name}'\n`);
  });
}

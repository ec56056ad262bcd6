import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { isReportPage, renderPage, shapeReport } from '../../report/index.js';
import type { Storage, StudyRecord } from '../../store/storage.js';
import { folderName, modelsRoot } from '../../study/keep.js';
import { openForQuery, resolveStudy, withStorage } from '../context.js';
import { readReportInput } from '../report-input.js';
import type { Args } from '../parser.js';

/** `hpsearch report`: one self-contained HTML page of a study (charts, table, details). */
export default async function report(args: Args): Promise<void> {
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const study = await resolveStudy(storage, args['study']);
    const out = typeof args['out'] === 'string' ? resolve(args['out']) : besideStorage(storage, study);
    if (existsSync(out) && !isReportPage(readFileSync(out, 'utf8').slice(0, 2000))) {
      throw new UsageError(`${out} exists and is not an hpsearch report: choose another --out (hpsearch replaces only its own reports)`);
    }
    const data = shapeReport(await readReportInput(storage, study));
    writeFileSync(out, renderPage(data));
    process.stderr.write(`wrote ${out}: ${data.trials.length} trials of study '${study.name}'\n`);
  });
}

/** Without --out: STUDY-report.html in the storage's folder (runs/ for a database server), where its kept models are. */
function besideStorage(storage: Storage, study: StudyRecord): string {
  return join(modelsRoot(storage.location) ?? process.cwd(), `${folderName(study.name)}-report.html`);
}

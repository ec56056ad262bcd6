import { NotFoundError, UsageError } from '../../core/errors.js';
import { STANDARD_EPOCH_METRICS } from '../../core/types.js';
import { openForQuery, resolveStudy, withStorage } from '../context.js';
import { formatOf } from '../options.js';
import { fmt, out, printJson, printRows, table } from '../output.js';
import { lastFiniteText, shownValue, trialJson, trialSeconds } from '../trial-rows.js';
import { stageLines } from './studies.js';
import { storedStages } from '../../search/stored-stages.js';
import { withCurrentVerdicts } from '../verdicts.js';
import type { Args } from '../parser.js';
import { isLayerMetric, layerHealthTable } from '../layer-table.js';
import { objectiveValue, severalObjectives } from '../objectives.js';
import { lineageLines } from '../lineage.js';
import { lineageOf } from '../../search/pbt-lineage.js';

/** `hpsearch show TRIAL`: parameters, state and reason, attributes, and the per-epoch table. */
export default async function show(args: Args): Promise<void> {
  const number = Number(args['trial']);
  if (!Number.isInteger(number) || number < 0) throw new UsageError(`TRIAL must be a trial number, got '${JSON.stringify(args['trial'])}'`);
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const study = await resolveStudy(storage, args['study']);
    const stored = await storage.getTrial(study.id, number);
    if (stored === null) throw new NotFoundError(`study '${study.name}' has no trial ${number}`);
    const [trial = stored] = await withCurrentVerdicts(storage, study, [stored]);
    const epochs = await storage.getEpochs(study.id, number);
    const extra = [...new Set(epochs.flatMap((e) => Object.keys(e.metrics)))].filter(
      (k) => !(STANDARD_EPOCH_METRICS as readonly string[]).includes(k),
    );
    const format = formatOf(args);
    const objectives = severalObjectives(study);
    // On a terminal the layer-health metrics get their own table (CSV keeps every column).
    const columns = format === 'csv' ? extra : extra.filter((k) => !isLayerMetric(k));
    const names = [...STANDARD_EPOCH_METRICS.filter((k) => epochs.some((e) => e.metrics[k] !== undefined)), ...columns];
    const head = ['epoch', ...names];
    const rows = epochs.map((e) => [e.epoch, ...names.map((n) => e.metrics[n])]);
    const lineage = trial.attrs['pbt'] === undefined ? [] : lineageOf(await storage.listTrials(study.id), number);
    if (format === 'json') {
      printJson({ ...trialJson(trial, objectives), study: study.name, metric: study.metric, epochs, ...(lineage.length === 0 ? {} : { lineage }) });
      return;
    }
    if (format === 'csv') {
      printRows('csv', head, rows, null);
      return;
    }
    const last = lastFiniteText(trial);
    const figures = objectives.length > 1 ? objectives.map((o, i) => `${o.name} = ${fmt(objectiveValue(trial, i))}`).join(', ') : `${study.metric} = ${fmt(shownValue(trial))}`;
    out(`trial ${trial.number} of study ${study.name}: ${trial.state}, ${figures}${last === null ? '' : ` (${last})`}`);
    if (trial.error !== null) out(`reason: ${trial.error}`);
    const stage = trial.attrs['stage'];
    if (typeof stage === 'number') {
      const stages = storedStages(await storage.listTrials(study.id), study.attrs['stages']);
      for (const line of stageLines(study.name, stages, stage)) out(line);
    }
    out(`seed ${trial.seed}, attempt ${trial.attempt}, ${fmt(trialSeconds(trial))} s, worker ${trial.worker ?? '-'}`);
    out(table(['parameter', 'value'], Object.entries(trial.params).map(([k, v]) => [k, v])));
    for (const line of lineageLines(lineage)) out(line);
    const verdict = trial.attrs['verdict'];
    if (verdict !== null && typeof verdict === 'object' && !Array.isArray(verdict)) {
      out(`verdict: ${typeof verdict['summary'] === 'string' ? verdict['summary'] : JSON.stringify(verdict['verdict'])}`);
      if (typeof verdict['hint'] === 'string') out(`hint: ${verdict['hint']} (hpsearch diagnose ${trial.number} for the evidence)`);
    }
    const attrs = Object.entries(trial.attrs).filter(([k]) => k !== 'verdict' && k !== 'layer_histograms' && k !== 'pbt');
    if (attrs.length > 0) out(table(['attribute', 'value'], attrs.map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v])));
    out(epochs.length > 0 ? table(head, rows) : '(no epochs recorded)');
    const health = layerHealthTable(epochs);
    if (health !== null) out(health);
  });
}

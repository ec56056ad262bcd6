import { NotFoundError, UsageError } from '../../core/errors.js';
import type { Distribution } from '../../core/distributions.js';
import { isFinished, type EpochRecord, type FrozenTrial } from '../../core/types.js';
import { asciiChart, diagnoseStudy, pruningSavings, verdictLabel, VERDICTS, type Diagnosis, type MajorityVerdict, type PruningSavings } from '../../diagnose/index.js';
import type { StudyRecord } from '../../store/storage.js';
import { openForQuery, resolveStudy, withStorage } from '../context.js';
import { csv, fmt, out, printJson, table } from '../output.js';
import { shownValue } from '../trial-rows.js';
import { studyJudge } from '../verdicts.js';
import { listedTrials, omittedLine } from '../diagnose-summary.js';
import type { Args } from '../parser.js';

/** The search space the study was created with (suggestions are about it, not a narrowed stage). */
function spaceOf(study: StudyRecord): Record<string, Distribution> {
  const parsed = JSON.parse(study.specJson) as { parameters?: Record<string, Distribution>; diagnose?: { target_accuracy?: number | null } };
  return parsed.parameters ?? {};
}

/** The spec's fixed `train.epochs`, if any. */
function fixedEpochs(study: StudyRecord): number | null {
  const parsed = JSON.parse(study.specJson) as { train?: Record<string, unknown> };
  const epochs = parsed.train?.['epochs'];
  return typeof epochs === 'number' ? epochs : null;
}

/** A verdict most trials share that no searched parameter can fix: the remedy in words. */
function majorityLine(m: MajorityVerdict): string {
  return `${m.trials} of ${m.judged} trials ${verdictLabel(m.verdict)}, and no searched parameter carries the remedy or separates them: ${m.advice} (search such a parameter in \`parameters:\`)`;
}

function savingsLine(s: PruningSavings): string {
  const share = s.planned > 0 ? ` (${Math.round((100 * s.saved) / s.planned)} % of the ${s.planned} planned)` : '';
  return `pruning: ${s.pruned} trials pruned, ${s.saved} epochs saved${share}`;
}

/** `hpsearch diagnose [TRIAL]`: one trial in detail, or the whole study's verdicts and suggestions. */
export default async function diagnose(args: Args): Promise<void> {
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const study = await resolveStudy(storage, args['study']);
    // Verdicts are judged afresh, so the stored ones (and the histograms) are not read.
    const trials = (await storage.listTrials(study.id, { omitAttrs: ['verdict', 'layer_histograms'] })).filter((t) => isFinished(t.state));
    const { curves, judge } = await studyJudge(storage, study, trials);
    if (args['trial'] !== undefined) {
      const number = Number(args['trial']);
      if (!Number.isInteger(number) || number < 0) throw new UsageError(`TRIAL must be a trial number, got '${JSON.stringify(args['trial'])}'`);
      const trial = await storage.getTrial(study.id, number);
      if (trial === null) throw new NotFoundError(`study '${study.name}' has no trial ${number}`);
      if (args['csv'] === true) printCsv(study.metric, [{ trial, diagnosis: judge(trial) }]);
      else showTrial(trial, curves.get(number) ?? [], judge(trial), args['json'] === true);
      return;
    }
    const diagnosed = trials.map((t) => ({ trial: t, epochs: curves.get(t.number) ?? [], diagnosis: judge(t) }));
    if (args['csv'] === true) {
      printCsv(study.metric, diagnosed);
      return;
    }
    const result = diagnoseStudy(diagnosed, spaceOf(study), study.direction);
    const listed = listedTrials(diagnosed, study.direction, args['all'] === true);
    const pruning = pruningSavings(trials, curves, fixedEpochs(study));
    if (args['json'] === true) {
      printJson({
        study: study.name,
        counts: result.counts,
        suggestions: result.suggestions,
        majority: result.majority,
        total: diagnosed.length,
        pruning,
        trials: listed.map((d) => ({ number: d.trial.number, state: d.trial.state, value: shownValue(d.trial), ...d.diagnosis })),
      });
      return;
    }
    out(`study ${study.name}: ${result.trials} finished trials`);
    out(VERDICTS.filter((v) => result.counts[v] > 0).map((v) => `${result.counts[v]} ${verdictLabel(v)}`).join(', ') || 'no verdicts yet');
    if (pruning.pruned > 0) out(savingsLine(pruning));
    out(table(['trial', 'state', study.metric, 'verdict', 'summary'], listed.map((d) => [d.trial.number, d.trial.state, shownValue(d.trial), verdictLabel(d.diagnosis.verdict), d.diagnosis.summary])));
    const omitted = omittedLine(listed.length, diagnosed.length);
    if (omitted !== null) out(omitted);
    const unmoved = result.majority.filter((m) => m.parameters.length === 0);
    if (result.suggestions.length === 0 && unmoved.length === 0) out('search space: no change suggested');
    else {
      out('search space:');
      for (const s of result.suggestions) out(`  - ${s.message}`);
      for (const m of unmoved) out(`  - ${majorityLine(m)}`);
    }
  });
}

/** One CSV row per trial: its verdict, the others it shows, the summary and the hint. */
function printCsv(metric: string, rows: readonly { trial: FrozenTrial; diagnosis: Diagnosis }[]): void {
  const head = ['trial', 'state', metric, 'verdict', 'also', 'summary', 'hint'];
  out(csv(head, rows.map(({ trial, diagnosis: d }) => [trial.number, trial.state, shownValue(trial), d.verdict, d.also.join(' '), d.summary, d.hint])));
}

function showTrial(trial: FrozenTrial, epochs: EpochRecord[], d: Diagnosis, json: boolean): void {
  if (json) {
    printJson({ number: trial.number, state: trial.state, value: trial.value, params: trial.params, ...d, epochs });
    return;
  }
  out(`trial ${trial.number}: ${verdictLabel(d.verdict)}${d.also.length > 0 ? ` (also ${d.also.map(verdictLabel).join(', ')})` : ''}`);
  out(d.summary);
  out(`hint: ${d.hint}`);
  const evidence = Object.entries(d.evidence);
  if (evidence.length > 0) {
    out(table(['evidence', 'value', 'measured as'], evidence.map(([k, v]) => [k, typeof v === 'number' ? fmt(v) : v, d.labels[k] ?? ''])));
  }
  const series = [
    { name: 'train_loss', symbol: '*', values: epochs.map((e) => e.metrics['train_loss'] ?? Number.NaN) },
    { name: 'val_loss', symbol: 'o', values: epochs.map((e) => e.metrics['val_loss'] ?? Number.NaN) },
  ].filter((s) => s.values.some((v) => !Number.isNaN(v)));
  if (series.length > 0 && epochs.length >= 2) out(asciiChart(series, { width: Math.min(70, Math.max(20, epochs.length * 3)), height: 12, title: 'loss by epoch' }));
}

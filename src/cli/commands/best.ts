import { CheckFailedError, UsageError } from '../../core/errors.js';
import type { FrozenTrial, ValueBy } from '../../core/types.js';
import { rankByValue, valueFromCurve } from '../../core/types.js';
import { openForQuery, resolveStudy, withStorage } from '../context.js';
import { formatOf } from '../options.js';
import { printTrials } from '../trial-rows.js';
import { withCurrentVerdicts } from '../verdicts.js';
import { filterTrials, parseWhere, readsVerdict } from '../where.js';
import type { Args } from '../parser.js';
import type { Objective } from '../../core/objectives.js';
import type { Storage, StudyRecord } from '../../store/storage.js';
import { paretoTrials, severalObjectives } from '../objectives.js';
import { err } from '../output.js';

/** `hpsearch best`: the top complete trials, by their final value or their curve's min or max (optionally --where). */
export default async function best(args: Args): Promise<void> {
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const study = await resolveStudy(storage, args['study']);
    const objectives = severalObjectives(study);
    if (objectives.length > 1 && (args['by'] === undefined || args['by'] === 'last')) {
      await front(storage, study, objectives, args);
      return;
    }
    const by = (args['by'] ?? 'last') as ValueBy;
    const top = Number(args['top'] ?? 1);
    if (!Number.isInteger(top) || top < 1) throw new UsageError('--top must be a whole number ≥ 1');
    const where = parseWhere(args['where']);
    let ranked: FrozenTrial[];
    // Without --where the index answers; with it, every complete trial is ranked, then filtered.
    if (by === 'last' && where.length === 0) ranked = await storage.topTrials(study.id, { direction: study.direction, limit: top });
    else if (by === 'last') ranked = rankByValue(await storage.listTrials(study.id, { states: ['complete'] }), study.direction);
    else {
      const curves = await storage.getStudyEpochs(study.id, { states: ['complete'], metrics: [study.metric] });
      const complete = await storage.listTrials(study.id, { states: ['complete'] });
      ranked = rankByValue(complete.map((t) => ({ ...t, value: valueFromCurve(curves.get(t.number) ?? [], study.metric, by) })), study.direction);
    }
    // A verdict condition sees the verdicts shown, judged against the study as it is now.
    const judged = readsVerdict(where) ? await withCurrentVerdicts(storage, study, ranked) : ranked;
    const matching = (await filterTrials(storage, study, judged, where)).slice(0, top);
    const chosen = judged === ranked ? await withCurrentVerdicts(storage, study, matching) : matching;
    if (chosen.length === 0 && where.length > 0) throw new CheckFailedError(`no complete trial of study '${study.name}' matches --where ${where.map((c) => c.text).join(' and ')}`);
    if (chosen.length === 0) throw new CheckFailedError(`study '${study.name}' has no complete trial yet`);
    printTrials(formatOf(args), chosen, by === 'last' ? study.metric : `${study.metric} (${by})`);
  });
}

/** A multi-objective study's best: the Pareto front of its complete trials (optionally --where, at most --top). */
async function front(storage: Storage, study: StudyRecord, objectives: Objective[], args: Args): Promise<void> {
  const where = parseWhere(args['where']);
  const top = args['top'] === undefined ? Infinity : Number(args['top']);
  if (top !== Infinity && (!Number.isInteger(top) || top < 1)) throw new UsageError('--top must be a whole number ≥ 1');
  const complete = await storage.listTrials(study.id, { states: ['complete'] });
  // --where narrows the trials first: the front of those that match.
  const judged = readsVerdict(where) ? await withCurrentVerdicts(storage, study, complete) : complete;
  const matching = await filterTrials(storage, study, judged, where);
  const whole = paretoTrials(matching, objectives);
  const chosen = whole.slice(0, top);
  if (chosen.length === 0 && where.length > 0) throw new CheckFailedError(`no complete trial of study '${study.name}' matches --where ${where.map((c) => c.text).join(' and ')}`);
  if (chosen.length === 0) throw new CheckFailedError(`study '${study.name}' has no complete trial yet`);
  const shown = judged === complete ? await withCurrentVerdicts(storage, study, chosen) : chosen;
  const format = formatOf(args);
  if (format === 'table') err(`Pareto front of ${study.name}: ${whole.length} of ${complete.length} complete trials${whole.length > shown.length ? `, ${shown.length} shown` : ''} (${objectives.map((o) => `${o.goal} ${o.name}`).join(', ')})`);
  printTrials(format, shown, study.metric, objectives);
}

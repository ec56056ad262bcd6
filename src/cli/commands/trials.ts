import type { TrialState } from '../../core/types.js';
import { rankByValue } from '../../core/types.js';
import { openForQuery, resolveStudy, withStorage } from '../context.js';
import { formatOf } from '../options.js';
import { printTrials, shownValue } from '../trial-rows.js';
import { withCurrentVerdicts } from '../verdicts.js';
import { filterTrials, parseWhere } from '../where.js';
import { severalObjectives } from '../objectives.js';
import type { Args } from '../parser.js';

/** `hpsearch trials`: a study's trials, optionally of one state or --where, by number or by value. */
export default async function trials(args: Args): Promise<void> {
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const study = await resolveStudy(storage, args['study']);
    const state = args['state'] as TrialState | undefined;
    const where = parseWhere(args['where']);
    const all = await storage.listTrials(study.id, state === undefined ? undefined : { states: [state] });
    // Ranked by the value shown: diverged and failed trials have none and come last.
    const sorted = args['sort'] === 'value' ? rankByValue(all.map((t) => ({ ...t, value: shownValue(t) })), study.direction) : all;
    // Filtered after judging, so a verdict condition sees the verdicts shown.
    const list = await filterTrials(storage, study, await withCurrentVerdicts(storage, study, sorted), where);
    printTrials(formatOf(args), list, study.metric, severalObjectives(study));
  });
}

import { CheckFailedError, UsageError } from '../../core/errors.js';
import type { FrozenTrial, ValueBy } from '../../core/types.js';
import { rankByValue, valueFromCurve } from '../../core/types.js';
import { openForQuery, resolveStudy, withStorage } from '../context.js';
import { formatOf } from '../options.js';
import { printTrials } from '../trial-rows.js';
import { withCurrentVerdicts } from '../verdicts.js';
import type { Args } from '../parser.js';

/** `hpsearch best`: the top complete trials, by their final value or their curve's min or max. */
export default async function best(args: Args): Promise<void> {
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const study = await resolveStudy(storage, args['study']);
    const by = (args['by'] ?? 'last') as ValueBy;
    const top = Number(args['top'] ?? 1);
    if (!Number.isInteger(top) || top < 1) throw new UsageError('--top must be a whole number ≥ 1');
    let ranked: FrozenTrial[];
    if (by === 'last') ranked = await storage.topTrials(study.id, { direction: study.direction, limit: top });
    else {
      const curves = await storage.getStudyEpochs(study.id, { states: ['complete'], metrics: [study.metric] });
      const complete = await storage.listTrials(study.id, { states: ['complete'] });
      ranked = rankByValue(complete.map((t) => ({ ...t, value: valueFromCurve(curves.get(t.number) ?? [], study.metric, by) })), study.direction).slice(0, top);
    }
    const chosen = await withCurrentVerdicts(storage, study, ranked);
    if (chosen.length === 0) throw new CheckFailedError(`study '${study.name}' has no complete trial yet`);
    printTrials(formatOf(args), chosen, by === 'last' ? study.metric : `${study.metric} (${by})`);
  });
}

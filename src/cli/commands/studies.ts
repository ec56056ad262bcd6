import { NotFoundError } from '../../core/errors.js';
import { openForQuery, withStorage } from '../context.js';
import { formatOf } from '../options.js';
import { fmt, out, printRows } from '../output.js';
import type { Distribution } from '../../core/distributions.js';
import type { StageRanges } from '../../search/sampler.js';
import { storedStages } from '../../search/stored-stages.js';
import type { Args } from '../parser.js';

/** `hpsearch studies`: every study in the database with its trial counts and best value. */
export default async function studies(args: Args): Promise<void> {
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const name = args['study'];
    const all = await storage.listStudies();
    const list = typeof name === 'string' && name !== '' ? all.filter((s) => s.name === name) : all;
    if (list.length === 0 && all.length > 0) throw new NotFoundError(`no study named '${String(name)}' (studies: ${all.map((s) => s.name).join(', ')})`);
    const stages = new Map<number, StageRanges[]>();
    for (const s of list) if (isCoarseToFine(s.specJson)) stages.set(s.id, storedStages(await storage.listTrials(s.id), s.attrs['stages']));
    const head = ['study', 'metric', 'goal', 'trials', 'complete', 'running', 'failed', 'diverged', 'best', 'created'];
    const rows = list.map((s) => {
      const total = Object.values(s.counts).reduce((a, b) => a + b, 0);
      return [s.name, s.metric, s.direction, total, s.counts.complete, s.counts.running, s.counts.failed, s.counts.diverged, s.best, s.created];
    });
    const json = list.map((s) => ({
      name: s.name,
      metric: s.metric,
      direction: s.direction,
      seed: s.seed,
      created: s.created,
      counts: s.counts,
      best: s.best,
      stages: stages.get(s.id) ?? null,
    }));
    const format = formatOf(args);
    printRows(format, head, rows, json);
    if (format === 'table') for (const s of list) for (const line of stageLines(s.name, stages.get(s.id) ?? [])) out(line);
  });
}

/** One line per coarse-to-fine stage (or only stage `only`): its trials, what it was fitted to, and its ranges. */
export function stageLines(study: string, stages: readonly StageRanges[], only?: number): string[] {
  return stages.filter((s) => only === undefined || s.stage === only).map((stage) => {
    const fitted = stage.fittedTo.length > 0 ? `, fitted to trials ${stage.fittedTo.join(', ')}` : '';
    const ranges = Object.entries(stage.parameters).map(([name, d]) => `${name} ${rangeText(d)}`);
    return `${study} stage ${stage.stage} (trials ${stage.trials[0]}–${stage.trials[1]}${fitted}): ${ranges.join('; ')}`;
  });
}

function isCoarseToFine(specJson: string): boolean {
  try {
    return (JSON.parse(specJson) as { method?: unknown }).method === 'coarse-to-fine';
  } catch {
    return false;
  }
}

function rangeText(d: Distribution): string {
  if (d.type === 'constant') return fmt(typeof d.value === 'number' ? d.value : String(d.value));
  if (d.type === 'categorical') return `{${d.values.map((v) => (typeof v === 'number' ? fmt(v) : String(v))).join(', ')}}`;
  return `${fmt(d.min)}…${fmt(d.max)}`;
}

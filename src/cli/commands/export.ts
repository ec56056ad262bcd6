import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EpochRecord, FrozenTrial } from '../../core/types.js';
import { UsageError } from '../../core/errors.js';
import { openForQuery, resolveStudy, withStorage } from '../context.js';
import { csv, err, out } from '../output.js';
import { trialJson } from '../trial-rows.js';
import { withCurrentVerdicts } from '../verdicts.js';
import type { Args } from '../parser.js';

function verdictOf(t: FrozenTrial): string | null {
  const v = t.attrs['verdict'];
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v['verdict'] === 'string' ? v['verdict'] : null;
}

/** One row per trial: its fields, each parameter a column, then the last epoch's metrics. */
function csvText(trials: readonly FrozenTrial[], curves: ReadonlyMap<number, readonly EpochRecord[]>): string {
  const params = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort();
  const metrics = [...new Set(trials.flatMap((t) => Object.keys(curves.get(t.number)?.at(-1)?.metrics ?? {})))].sort();
  const head = ['number', 'state', 'value', 'verdict', 'reason', 'epochs', 'started', 'finished', ...params, ...metrics.map((m) => `last_${m}`)];
  const rows = trials.map((t) => {
    const curve = curves.get(t.number) ?? [];
    const last = curve.at(-1)?.metrics ?? {};
    return [t.number, t.state, t.value, verdictOf(t), t.error, curve.length, t.started, t.finished, ...params.map((p) => t.params[p]), ...metrics.map((m) => last[m])];
  });
  return csv(head, rows);
}

/** `hpsearch export`: the study for other tools: Optuna's SQLite schema, CSV or JSON. */
export default async function exportStudy(args: Args): Promise<void> {
  const format = String(args['format']);
  const target = typeof args['out'] === 'string' && args['out'] !== '' ? resolve(args['out']) : null;
  if (format === 'optuna' && target === null) throw new UsageError('--format optuna needs --out FILE (a new SQLite file)');
  if (target !== null && existsSync(target)) throw new UsageError(`${target} exists: hpsearch exports only to a new file (remove it or choose another --out)`);
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const study = await resolveStudy(storage, args['study']);
    const trials = await withCurrentVerdicts(storage, study, await storage.listTrials(study.id));
    const curves = await storage.getStudyEpochs(study.id);
    let text: string;
    if (format === 'optuna') {
      const { writeOptunaStudy } = await import('../../store/optuna-export.js');
      writeOptunaStudy(target as string, { study, trials, curves });
      err(`wrote ${target}: study '${study.name}' in Optuna's schema (optuna.load_study(study_name=${JSON.stringify(study.name)}, storage="sqlite:///${target}"))`);
      return;
    }
    if (format === 'csv') {
      text = csvText(trials, curves);
    } else {
      const json = {
        study: { name: study.name, metric: study.metric, direction: study.direction, seed: study.seed, created: study.created, attrs: study.attrs, spec: study.specText },
        trials: trials.map((t) => ({ ...trialJson(t), epochs: curves.get(t.number) ?? [] })),
      };
      text = `${JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
    }
    if (target === null) out(text);
    else {
      writeFileSync(target, text, { flag: 'wx' });
      err(`wrote ${target}: ${trials.length} trials of study '${study.name}'`);
    }
  });
}

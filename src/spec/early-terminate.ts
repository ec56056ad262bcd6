/** `early_terminate:` → EarlyTerminate: each rule's keys, defaults and W&B's hyperband names. */
import type { Distribution } from '../core/distributions.js';
import type { EarlyTerminate, SettingValue } from '../core/spec.js';
import type { Issues } from './issues.js';
import type { earlyTerminateSchema } from './schema.js';

type Raw = (typeof earlyTerminateSchema)['_zod']['output'];

const COMMON = ['type', 'metric', 'restore_best'];
const HALVING = ['min_resource', 'reduction_factor', 'min_early_stopping_rate', 'min_iter', 'eta'];
/** The keys each rule takes. */
const KEYS: Record<EarlyTerminate['type'], string[]> = {
  patience: [...COMMON, 'patience', 'min_delta'],
  median: [...COMMON, 'n_startup_trials', 'n_warmup_steps', 'interval_steps', 'n_min_trials', 'include_running'],
  successive_halving: [...COMMON, ...HALVING],
  hyperband: [...COMMON, 'min_resource', 'max_resource', 'reduction_factor', 'min_iter', 'max_iter', 'eta', 's'],
};
/** W&B's name → ours. */
const ALIASES = { min_iter: 'min_resource', max_iter: 'max_resource', eta: 'reduction_factor' } as const;

/**
 * Builds the rule with its defaults; undefined (issues recorded) when keys don't fit the
 * type. `metric` is the study's objective (pruners watch it unless told otherwise);
 * hyperband's max_resource defaults to a fixed `train.epochs`, or to `epochs: { value: n }`
 * under parameters: (as a W&B sweep file fixes it).
 */
export function buildEarlyTerminate(
  et: Raw,
  studyMetric: string,
  train: Record<string, SettingValue> | undefined,
  issues: Issues,
  parameters: Record<string, Distribution> = {},
): EarlyTerminate | undefined {
  const before = issues.count;
  const given = Object.entries(et).filter(([, v]) => v !== undefined && v !== null).map(([k]) => k);
  for (const key of given) {
    if (!KEYS[et.type].includes(key)) {
      const takes = Object.entries(KEYS).filter(([, keys]) => keys.includes(key)).map(([t]) => t);
      issues.add(['early_terminate', key], `\`${key}\` does not apply to type ${et.type} (it goes with ${takes.join(', ')})`, { at: 'key' });
    }
  }
  for (const [alias, name] of Object.entries(ALIASES)) {
    if (given.includes(alias) && given.includes(name)) issues.add(['early_terminate', alias], `give ${name} or its W&B name ${alias}, not both`, { at: 'key' });
  }
  if (issues.count !== before) return undefined;
  const common = { metric: et.metric ?? (et.type === 'patience' ? 'val_loss' : studyMetric), restore_best: et.restore_best ?? false };
  const eta = et.reduction_factor ?? et.eta ?? 3;
  switch (et.type) {
    case 'patience':
      return { type: 'patience', ...common, patience: et.patience ?? 5, min_delta: et.min_delta ?? 0 };
    case 'median':
      return {
        type: 'median',
        ...common,
        n_startup_trials: et.n_startup_trials ?? 5,
        n_warmup_steps: et.n_warmup_steps ?? 0,
        interval_steps: et.interval_steps ?? 1,
        n_min_trials: et.n_min_trials ?? 1,
        include_running: et.include_running ?? false,
      };
    case 'successive_halving':
      return {
        type: 'successive_halving',
        ...common,
        min_resource: et.min_resource ?? et.min_iter ?? 1,
        reduction_factor: eta,
        min_early_stopping_rate: et.min_early_stopping_rate ?? 0,
      };
    case 'hyperband':
      return hyperband(et, common, eta, fixedEpochs(train, parameters), issues);
  }
}

/** The epochs every trial trains, when the spec fixes them. */
function fixedEpochs(train: Record<string, SettingValue> | undefined, parameters: Record<string, Distribution>): unknown {
  const p = parameters['epochs'];
  return train?.['epochs'] ?? (p?.type === 'constant' ? p.value : undefined);
}

function hyperband(et: Raw, common: { metric: string; restore_best: boolean }, eta: number, epochs: unknown, issues: Issues): EarlyTerminate | undefined {
  let min = et.min_resource ?? et.min_iter;
  let max = et.max_resource ?? et.max_iter ?? (typeof epochs === 'number' ? epochs : undefined);
  // W&B: max_iter with s brackets puts the first cut at max_iter / η^s; min_iter with s, the last at min_iter · η^s.
  if (min === undefined && max !== undefined && et.s != null) min = Math.max(1, Math.round(max / eta ** et.s));
  min ??= 1;
  if (max === undefined && et.s != null) max = min * eta ** et.s;
  if (max === undefined) {
    issues.add(['early_terminate', 'max_resource'], 'hyperband needs max_resource (or max_iter): the most epochs a trial trains (neither train.epochs nor an epochs parameter fixes it)', { at: 'parent' });
    return undefined;
  }
  if (max <= min) {
    issues.add(['early_terminate', et.max_resource != null ? 'max_resource' : et.max_iter != null ? 'max_iter' : 'min_resource'], `hyperband needs max_resource (${max}) > min_resource (${min})`);
    return undefined;
  }
  return { type: 'hyperband', ...common, min_resource: min, max_resource: max, reduction_factor: eta, brackets: et.s ?? null };
}

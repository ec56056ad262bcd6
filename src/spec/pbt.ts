/** Rules of `method: pbt` and its `pbt:` settings (defaults filled in). */
import { resolve } from 'node:path';
import type { Distribution } from '../core/distributions.js';
import { PBT_DEFAULTS, type EarlyTerminate, type PbtOptions, type SearchMethod, type SettingValue } from '../core/spec.js';
import type { Issues } from './issues.js';
import type { pbtSchema } from './schema.js';

type RawPbt = (typeof pbtSchema)['_zod']['output'];

export interface PbtInput {
  method: SearchMethod;
  /** `pbt:` as validated; null when absent, undefined when invalid (reported already). */
  raw: RawPbt | null | undefined;
  train: Record<string, SettingValue> | undefined;
  parameters: Record<string, Distribution>;
  early: EarlyTerminate | null | undefined;
  dir: string;
}

/** The training epochs a pbt member runs in all: `train.epochs`, else the built-in default. */
export function pbtEpochs(train: Record<string, SettingValue>, fallback = 10): number {
  const e = train['epochs'];
  return typeof e === 'number' ? e : fallback;
}

/** Checks the rules of method pbt; returns its options (undefined for other methods or when invalid). */
export function checkPbt(input: PbtInput, issues: Issues): PbtOptions | undefined {
  if (input.method !== 'pbt') {
    if (input.raw !== null) issues.add(['pbt'], `pbt: settings apply only to method: pbt (this spec's method is ${input.method})`, { at: 'key' });
    return undefined;
  }
  if (input.raw === undefined) return undefined;
  const raw = input.raw ?? {};
  const options: PbtOptions = {
    population: raw.population ?? PBT_DEFAULTS.population,
    perturbation_interval: raw.perturbation_interval ?? PBT_DEFAULTS.perturbation_interval,
    quantile_fraction: raw.quantile_fraction ?? PBT_DEFAULTS.quantile_fraction,
    resample_probability: raw.resample_probability ?? PBT_DEFAULTS.resample_probability,
    perturbation_factors: raw.perturbation_factors ?? [...PBT_DEFAULTS.perturbation_factors],
    synch: raw.synch ?? PBT_DEFAULTS.synch,
    checkpoint_dir: raw.checkpoint_dir === null || raw.checkpoint_dir === undefined ? null : resolve(input.dir, raw.checkpoint_dir),
    epochs: pbtEpochs(input.train ?? {}),
  };
  const before = issues.count;
  if (Object.hasOwn(input.parameters, 'epochs')) {
    issues.add(['parameters', 'epochs'], 'method pbt trains every member for train.epochs; epochs cannot be searched', { at: 'key' });
  }
  if (input.early !== null && input.early !== undefined) {
    issues.add(['early_terminate'], 'method pbt judges members itself (its bottom quantile copies the top); drop early_terminate', { at: 'key' });
  }
  if (options.perturbation_interval > options.epochs) {
    issues.add(['pbt', 'perturbation_interval'], `perturbation_interval (${options.perturbation_interval}) exceeds train.epochs (${options.epochs}): members would never be compared`);
  }
  if (options.perturbation_factors.some((f) => f === 1) && options.perturbation_factors.length === 1) {
    issues.add(['pbt', 'perturbation_factors'], 'a single factor of 1 never changes a parameter: give factors such as [0.8, 1.2]');
  }
  if (Object.values(input.parameters).every((d) => d.type === 'constant')) {
    issues.add(['parameters'], 'method pbt needs at least one searched parameter to perturb', { at: 'key' });
  }
  return issues.count === before ? options : undefined;
}

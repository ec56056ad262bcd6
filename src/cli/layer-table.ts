import type { EpochRecord } from '../core/types.js';
import { table } from './output.js';

/** Layer-health metrics (`layer<k>.<name>`): shown in their own table, not as epoch columns. */
export const isLayerMetric = (name: string): boolean => /^layer\d+\./.test(name);

const COLUMNS: [string, string][] = [
  ['act_mean', 'act mean'],
  ['act_std', 'act std'],
  ['dead_fraction', 'dead'],
  ['saturated_fraction', 'saturated'],
  ['weight_norm', '‖W‖'],
  ['grad_norm', '‖∇W‖'],
  ['update_ratio', '‖ΔW‖/‖W‖ (epoch)'],
];

/** The last epoch's layer health, a row per hidden layer; null when the trainer recorded none. */
export function layerHealthTable(epochs: readonly EpochRecord[]): string | null {
  const last = epochs.at(-1);
  if (last === undefined) return null;
  const layers = [...new Set(Object.keys(last.metrics).filter(isLayerMetric).map((k) => Number(/^layer(\d+)\./.exec(k)?.[1])))].sort((a, b) => a - b);
  if (layers.length === 0) return null;
  const used = COLUMNS.filter(([m]) => layers.some((l) => last.metrics[`layer${l}.${m}`] !== undefined));
  const rows = layers.map((l) => [l, ...used.map(([m]) => last.metrics[`layer${l}.${m}`])]);
  return `layer health at epoch ${last.epoch} (monitoring batch):\n${table(['layer', ...used.map(([, label]) => label)], rows)}`;
}

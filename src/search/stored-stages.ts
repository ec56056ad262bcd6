import { STAGE_RANGES_ATTR } from '../core/stages.js';
import type { FrozenTrial, JsonValue } from '../core/types.js';
import type { StageRanges } from './sampler.js';

/**
 * The coarse-to-fine stages a study has decided, from its trials' `stage_ranges` attrs (and
 * the study attr `stages` of databases written before them): one per stage, the copy on the
 * lowest-numbered trial, ordered by stage. Every process fits a stage the same way, so any
 * copy is the stage.
 */
export function storedStages(trials: readonly Pick<FrozenTrial, 'number' | 'attrs'>[], legacy?: JsonValue): StageRanges[] {
  const byStage = new Map<number, StageRanges>();
  const take = (list: JsonValue | undefined): void => {
    if (!Array.isArray(list)) return;
    for (const stage of list as unknown as StageRanges[]) if (!byStage.has(stage.stage)) byStage.set(stage.stage, stage);
  };
  for (const t of [...trials].sort((a, b) => a.number - b.number)) take(t.attrs[STAGE_RANGES_ATTR]);
  take(legacy);
  return [...byStage.values()].sort((a, b) => a.stage - b.stage);
}

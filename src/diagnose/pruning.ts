import type { EpochRecord, FrozenTrial } from '../core/types.js';
import { isFinished } from '../core/types.js';

/** What pruning saved a study, in epochs. */
export interface PruningSavings {
  pruned: number;
  /** Epochs every finished trial would have trained without pruning. */
  planned: number;
  /** Epochs the pruned trials did not train. */
  saved: number;
}

/**
 * Epochs saved by pruning: for each pruned trial, its planned epochs (its `epochs` parameter,
 * else the spec's `train.epochs`, else the longest complete curve) less those it trained.
 */
export function pruningSavings(trials: readonly FrozenTrial[], curves: ReadonlyMap<number, readonly EpochRecord[]>, fixedEpochs: number | null): PruningSavings {
  const finished = trials.filter((t) => isFinished(t.state));
  const longest = Math.max(0, ...finished.filter((t) => t.state === 'complete').map((t) => curves.get(t.number)?.length ?? 0));
  const plannedOf = (t: FrozenTrial): number => {
    const p = t.params['epochs'];
    return typeof p === 'number' ? p : (fixedEpochs ?? longest);
  };
  let planned = 0;
  let saved = 0;
  let pruned = 0;
  for (const t of finished) {
    const trained = curves.get(t.number)?.length ?? 0;
    planned += Math.max(plannedOf(t), trained);
    if (t.state !== 'pruned') continue;
    pruned += 1;
    saved += Math.max(0, plannedOf(t) - trained);
  }
  return { pruned, planned, saved };
}

import { errorMessage } from '../../core/errors.js';
import type { TrialTask } from '../../core/trainer.js';
import { loadData } from '../data/index.js';
import { buildNetwork } from '../model/network.js';
import { resolveSettings } from '../settings.js';
import { checkCompatible, keptModelShapes } from './warm.js';

/** Why a kept model cannot start `task`'s network (its shapes, or too many frozen layers), or null. */
export function checkFixedNetwork(dir: string, task: TrialTask, freeze: number): string | null {
  try {
    if (task.data === null) return 'init_from needs data:';
    const net = buildNetwork(resolveSettings(task), loadData(task.data));
    checkCompatible(dir, keptModelShapes(dir), net);
    if (freeze > net.blocks.length) return `freeze: ${freeze} is more than the network's ${net.blocks.length} layers`;
    return null;
  } catch (error) {
    return errorMessage(error);
  }
}

// Samplers behind one interface: createSampler dispatches on spec.method.
import { UsageError } from '../core/errors.js';
import { chooseMethod, type MethodChoice } from './auto.js';
import { CoarseToFineSampler } from './coarse-to-fine.js';
import { ConditionalSampler } from './conditions.js';
import { GpSampler } from './gp-sampler.js';
import { GridSampler } from './grid.js';
import { chooseMultiObjective } from './auto-objectives.js';
import { MultiObjectiveTpeSampler } from './mo-tpe.js';
import { Nsga2Sampler } from './nsga2-sampler.js';
import { PbtSampler } from './pbt-sampler.js';
import { RandomSampler } from './random.js';
import { TpeSampler } from './tpe-sampler.js';
import type { Sampler, SamplerOptions } from './sampler.js';

export function createSampler(options: SamplerOptions): Sampler {
  const sampler = methodSampler(options);
  const conditions = options.spec.conditions;
  return conditions === undefined || Object.keys(conditions).length === 0 ? sampler : new ConditionalSampler(sampler, conditions);
}

function methodSampler(options: SamplerOptions): Sampler {
  const method: string = options.spec.method;
  const several = options.spec.objectives !== undefined && options.spec.objectives.length > 1;
  if (several) return multiObjectiveSampler(options, method);
  switch (method) {
    case 'random':
      return new RandomSampler(options);
    case 'grid':
      return new GridSampler(options);
    case 'coarse-to-fine':
      return new CoarseToFineSampler(options);
    case 'tpe':
      return new TpeSampler(options);
    case 'gp':
      return new GpSampler(options);
    case 'nsga2':
      return new Nsga2Sampler(options);
    case 'pbt':
      return new PbtSampler(options);
    case 'auto': {
      const choice = chooseMethod(options.spec);
      return withChoice(choice.method === 'gp' ? new GpSampler(options) : new TpeSampler(options), choice);
    }
    default:
      throw new UsageError(`unknown search method "${method}" (random, grid, coarse-to-fine, tpe, gp, nsga2, auto or pbt)`);
  }
}

/** The samplers that weigh several objectives (spec validation refuses the others first). */
function multiObjectiveSampler(options: SamplerOptions, method: string): Sampler {
  switch (method) {
    case 'random':
      return new RandomSampler(options);
    case 'tpe':
      return new MultiObjectiveTpeSampler(options);
    case 'nsga2':
      return new Nsga2Sampler(options);
    case 'auto': {
      const choice = chooseMultiObjective(options.spec);
      return withChoice(choice.method === 'nsga2' ? new Nsga2Sampler(options) : new MultiObjectiveTpeSampler(options), choice);
    }
    default:
      throw new UsageError(`method ${method} takes one objective; with several use nsga2, tpe, random or auto`);
  }
}

function withChoice(sampler: Sampler, choice: MethodChoice): Sampler {
  return { planned: sampler.planned, choice, suggest: sampler.suggest.bind(sampler), stages: sampler.stages.bind(sampler) };
}

export type { SampledTrial, Sampler, SamplerOptions, StageRanges, Suggestion } from './sampler.js';
export { CoarseToFineSampler, stageOfTrial, stagePlan, type StageSlot } from './coarse-to-fine.js';
export { GridSampler, gridAxes, gridAxis, gridSize } from './grid.js';
export { RandomSampler, drawParams } from './random.js';
export { checkDistribution, drawValue } from './draw.js';
export { paramStream } from './rng.js';
export { activeParams } from './conditions.js';
export { TpeSampler } from './tpe-sampler.js';
export { neededCheckpoints, type Segment } from './pbt.js';
export { PbtSampler, segmentOf, type SegmentAttr, type SegmentPlan } from './pbt-sampler.js';
export { GpSampler } from './gp-sampler.js';
export { gpParams, GP_STARTUP_TRIALS } from './gp.js';
export { AUTO_GP_MAX_PARAMETERS, AUTO_GP_MAX_TRIALS, chooseMethod, type MethodChoice } from './auto.js';
export { TPE_DEFAULTS, tpeParams } from './tpe.js';
export { Nsga2Sampler } from './nsga2-sampler.js';
export { MultiObjectiveTpeSampler } from './mo-tpe.js';
export { AUTO_NSGA2_GENERATIONS, chooseMultiObjective } from './auto-objectives.js';

import { CheckFailedError, UsageError } from '../../core/errors.js';
import { rankByValue } from '../../core/types.js';
import { checkRequirements, parseRequirement, type Requirement, type RequirementResult } from '../../diagnose/requirements.js';
import { didYouMean } from '../../spec/issues.js';
import type { Storage, StudyRecord } from '../../store/storage.js';
import { openForQuery, resolveStudy, withStorage } from '../context.js';
import { err, fmt, printJson } from '../output.js';
import type { Args } from '../parser.js';
import type { Objective } from '../../core/objectives.js';
import { bestOnObjective, severalObjectives } from '../objectives.js';

/** The --require values of a command, parsed (a malformed one exits 2). */
export function requirementsOf(args: Args): Requirement[] {
  const raw = args['require'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((r) => parseRequirement(String(r)));
}

/**
 * Checks the study's best complete trial against every requirement; prints each result and
 * throws CheckFailedError (exit 1) when one fails or nothing completed.
 */
export async function gate(storage: Storage, study: StudyRecord, requirements: readonly Requirement[], json: boolean): Promise<void> {
  const objectives = severalObjectives(study);
  if (objectives.length > 1) {
    await gateObjectives(storage, study, objectives, requirements, json);
    return;
  }
  const best = rankByValue(await storage.listTrials(study.id, { states: ['complete'] }), study.direction)[0];
  if (best === undefined) {
    if (json) printJson({ study: study.name, trial: null, passed: false, requirements: [] });
    throw new CheckFailedError(`check failed: study '${study.name}' has no complete trial`);
  }
  const epochs = await storage.getEpochs(study.id, best.number);
  const results = checkRequirements(best, study.metric, epochs, requirements);
  // A typo in a CI gate must not look like a quality regression: it is bad usage.
  const names = [study.metric, ...Object.keys(best.attrs).filter((k) => typeof best.attrs[k] === 'number'), ...epochs.flatMap((e) => Object.keys(e.metrics))];
  checkNames(results.filter((r) => r.source === null), names, 'the best trial recorded');
  const passed = results.every((r) => r.passed);
  if (json) printJson({ study: study.name, trial: best.number, value: best.value, passed, requirements: results });
  else for (const r of results) err(line(r, best.number));
  if (!passed) {
    const failed = results.filter((r) => !r.passed).map((r) => r.text);
    throw new CheckFailedError(`check failed for the best trial (${best.number}) of '${study.name}': ${failed.join(', ')}`);
  }
  if (!json) err(`check passed: trial ${best.number} of ${study.name} meets ${results.map((r) => r.text).join(', ')}`);
}

/**
 * A multi-objective study's gate: a requirement on an objective is checked on the complete
 * trial best on that objective; any other on the trial best on the first objective.
 */
async function gateObjectives(storage: Storage, study: StudyRecord, objectives: readonly Objective[], requirements: readonly Requirement[], json: boolean): Promise<void> {
  const trials = await storage.listTrials(study.id, { states: ['complete'] });
  const results: Array<RequirementResult & { trial: number }> = [];
  for (let i = 0; i < objectives.length; i++) {
    const on = requirements.filter((r) => (objectives.findIndex((o) => o.name === r.metric) === i) || (i === 0 && !objectives.some((o) => o.name === r.metric)));
    if (on.length === 0) continue;
    const best = bestOnObjective(trials, objectives, i);
    if (best === undefined) {
      if (json) printJson({ study: study.name, trial: null, passed: false, requirements: [] });
      throw new CheckFailedError(`check failed: study '${study.name}' has no complete trial`);
    }
    const epochs = await storage.getEpochs(study.id, best.number);
    const checked = checkRequirements(best, objectives[i]!.name, epochs, on);
    const names = [...objectives.map((o) => o.name), ...Object.keys(best.attrs).filter((k) => typeof best.attrs[k] === 'number'), ...epochs.flatMap((e) => Object.keys(e.metrics))];
    checkNames(checked.filter((r) => r.source === null), names, 'the best trial recorded');
    results.push(...checked.map((r) => ({ ...r, trial: best.number })));
  }
  const passed = results.every((r) => r.passed);
  if (json) printJson({ study: study.name, passed, requirements: results });
  else for (const r of results) err(line(r, r.trial));
  if (!passed) {
    const failed = results.filter((r) => !r.passed).map((r) => `${r.text} (trial ${r.trial}, best on ${objectiveOf(r.metric, objectives)})`);
    throw new CheckFailedError(`check failed for '${study.name}': ${failed.join(', ')}`);
  }
  if (!json) err(`check passed: ${results.map((r) => `${r.text} (trial ${r.trial})`).join(', ')}`);
}

function objectiveOf(metric: string, objectives: readonly Objective[]): string {
  return objectives.some((o) => o.name === metric) ? metric : objectives[0]!.name;
}

/**
 * Refuses (exit 2) each requirement whose metric is not among `known`, with a did-you-mean
 * as the spec errors give. `suspect`: which of those to refuse, when `known` may not be all
 * there is (default: every one).
 */
export function checkNames(requirements: readonly Requirement[], known: readonly string[], what: string, suspect: (metric: string) => boolean = () => true): void {
  const names = [...new Set(known)];
  const unknown = requirements.filter((r) => !names.includes(r.metric) && suspect(r.metric));
  if (unknown.length === 0) return;
  const each = unknown.map((r) => `\`${r.metric}\`${didYouMean(r.metric, names)}`);
  throw new UsageError(`--require names no metric ${what}: ${each.join(', ')} (known: ${names.join(', ')})`);
}

function line(r: RequirementResult, trial: number): string {
  const mark = r.passed ? 'ok  ' : 'FAIL';
  const where = r.source === 'epoch' ? ` at epoch ${String(r.epoch)}` : r.source === 'value' ? ", the trial's value" : '';
  const actual = r.actual === null ? `no '${r.metric}' recorded` : `${r.metric} = ${fmt(r.actual)}${where}`;
  return `${mark} ${r.text}: ${actual} (trial ${trial})`;
}

/** `hpsearch check --require 'metric>=x' …`: exit 0 when the best trial meets every requirement, 1 otherwise. */
export default async function check(args: Args): Promise<void> {
  const requirements = requirementsOf(args);
  if (requirements.length === 0) throw new UsageError("check needs at least one --require, e.g. --require 'val_accuracy>=0.95'");
  await withStorage(await openForQuery(args['storage']), async (storage) => {
    const study = await resolveStudy(storage, args['study']);
    await gate(storage, study, requirements, args['json'] === true);
  });
}

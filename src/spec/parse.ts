/** YAML text → validated Spec, with every issue of the file collected in one pass. */
import { basename, dirname, extname, resolve } from 'node:path';
import type { Distribution } from '../core/distributions.js';
import { SpecError } from '../core/errors.js';
import { DEFAULT_KEEP_MODELS, type KeepModels, TPE_DEFAULTS, type SearchMethod, type Spec, type TrainerKind } from '../core/spec.js';
import { impliedTrainer, parseCommand } from './command.js';
import { takeInitFrom } from './init-from.js';
import { takeUserModel } from './user-model.js';
import { existingFile, parseData } from './data.js';
import { parseConditions } from './conditions.js';
import { buildEarlyTerminate } from './early-terminate.js';
import { specHash } from './hash.js';
import { Issues, isPlainObject, show } from './issues.js';
import { checkParameterKnob, parseTrain } from './knobs.js';
import { checkSpecSize } from './limits.js';
import { checkMethod } from './method.js';
import { checkObjectiveMethod, checkObjectives, DEFAULT_METRIC, metricSchemaFor, nsga2Options } from './objectives.js';
import { checkPbt } from './pbt.js';
import { checkTfjsRules } from './tfjs-rules.js';
import { parseParameter } from './parameters.js';
import { TOP_SCHEMAS, topKeysSchema } from './schema.js';
import { hasNode, parseYaml } from './yaml-positions.js';
import type { ParsedYaml } from './yaml-positions.js';
import { validate } from './zod-issues.js';
import { plainValue } from './yaml-value.js';

export const DEFAULT_STORAGE = 'runs/hpsearch.db';
export { DEFAULT_METRIC } from './objectives.js';

type TopKey = keyof typeof TOP_SCHEMAS;
type Top = { [K in TopKey]: (typeof TOP_SCHEMAS)[K]['_zod']['output'] };

/**
 * Parses and validates a spec. `file` is the spec's path (made absolute): it names the file
 * in messages and relative paths in the spec resolve against its directory.
 * @throws SpecError with every issue found.
 */
export function parseSpec(text: string, file: string): Spec {
  const path = resolve(file);
  const dir = dirname(path);
  checkSpecSize(path, Buffer.byteLength(text, 'utf8'));
  const { parsed, problems } = parseYaml(text);
  const issues = new Issues();
  for (const p of problems) issues.addAtOffset(p.path, p.message, p.offset);
  const spec = problems.some((p) => p.fatal) ? undefined : build(parsed, text, path, dir, issues);
  if (issues.count > 0 || spec === undefined) throw new SpecError(issues.resolve(parsed, path));
  return spec;
}

function build(parsed: ParsedYaml, text: string, path: string, dir: string, issues: Issues): Spec | undefined {
  const plain = plainValue(parsed);
  if (!plain.ok) {
    issues.addAtOffset(plain.problem.path, plain.problem.message, plain.problem.offset);
    return undefined;
  }
  const root: unknown = plain.value;
  if (root === null || root === undefined) {
    issues.add([], 'the spec is empty: write at least method, run_cap and parameters (see configs/ for examples)');
    return undefined;
  }
  if (!isPlainObject(root)) {
    issues.add([], `a spec is a mapping of keys (name:, method:, parameters: …), got ${show(root)}`);
    return undefined;
  }
  validate(topKeysSchema, root, [], issues);
  const top: Partial<Top> = {};
  const bad = new Set<string>();
  for (const key of Object.keys(TOP_SCHEMAS) as TopKey[]) {
    const schema = key === 'metric' ? metricSchemaFor(root[key]) : TOP_SCHEMAS[key];
    const value = validate(schema, root[key], [key], issues, {
      wrongValue: (_rel, input) =>
        key === 'pool' && isPlainObject(input)
          ? 'pool is auto, thread or process; the other pool settings are top-level keys (max_trials_per_worker, max_rss_mb, trial_timeout, max_retries, devices)'
          : undefined,
    });
    if (value === undefined && root[key] !== undefined) bad.add(key);
    (top as Record<string, unknown>)[key] = value ?? null;
  }

  // With an unknown trainer, checks that depend on the trainer are skipped (it is reported).
  const trainerKnown = !bad.has('trainer');
  const trainer: TrainerKind = top.trainer ?? impliedTrainer(root) ?? 'tfjs';
  const tfjs = trainerKnown && trainer === 'tfjs';
  const module = trainerKnown ? checkModule(top.module ?? null, trainer, root, dir, issues) : undefined;
  const commandInput = { trainer, command: top.command ?? null, program: top.program ?? null, cwd: top.cwd ?? null, stop_grace: top.stop_grace ?? null, artifacts: top.artifacts ?? null };
  const command = trainerKnown ? parseCommand(commandInput, dir, issues) : null;
  const data = parseData(root.data, dir, issues);
  if (tfjs && data === null) {
    // At `trainer: tfjs` when written; else at an empty `data:`, or the top of the file.
    issues.add(['data'], 'trainer tfjs needs data: (source: csv, mnist or synthetic)', {
      where: hasNode(parsed, ['trainer']) ? ['trainer'] : ['data'],
    });
  }
  const warm = takeInitFrom(root.train, tfjs, issues);
  const own = takeUserModel(warm.train, tfjs, dir, issues);
  // A user model's build() may take settings of its own names (no training knob).
  const ownNames = own.user_model !== null;
  const train = parseTrain(own.train, tfjs, issues, ownNames);
  const { parameters, complete } = parseParameters(root.parameters, tfjs, train, issues, ownNames);
  const conditions = parseConditions(root.parameters, parameters, issues);
  const objectives = checkObjectives(top.metric, issues);
  const metric = objectives?.metric;
  const et = top.early_terminate === null || top.early_terminate === undefined ? null : buildEarlyTerminate(top.early_terminate, metric?.name ?? DEFAULT_METRIC.name, train, issues, parameters);
  if (tfjs && train !== undefined && data !== undefined) {
    checkTfjsRules(
      {
        metric: metric?.name ?? null,
        objectives: objectives?.objectives?.map((o) => o.name) ?? [],
        earlyMetric: et === null || et === undefined ? null : et.metric,
        data,
        train,
        parameters,
      },
      issues,
    );
  }

  const method: SearchMethod = top.method ?? 'random';
  const methodInput = {
    method,
    methodWritten: top.method !== null && top.method !== undefined,
    runCap: top.run_cap ?? null,
    runCapInvalid: bad.has('run_cap'),
    parameters,
    complete,
    stages: root.stages === undefined || root.stages === null ? undefined : (top.stages ?? null),
  };
  // With an unknown method (reported), its rules can't be checked.
  const stages = bad.has('method') ? [] : checkMethod(methodInput, issues);
  if (!bad.has('method')) checkObjectiveMethod(method, objectives?.objectives, methodInput.methodWritten, issues);
  const nsga2 = nsga2Options(top.nsga2, method === 'nsga2' || (method === 'auto' && objectives?.objectives !== undefined), issues);
  if (top.tpe !== null && top.tpe !== undefined && method !== 'tpe' && method !== 'auto' && !stages.some((s) => s.method === 'tpe')) {
    issues.add(['tpe'], 'tpe: settings apply only to method: tpe or auto, or a stage with method: tpe', { at: 'key' });
  }
  const pbtRaw = root.pbt === undefined || root.pbt === null ? null : bad.has('pbt') ? undefined : top.pbt;
  const pbt = bad.has('method') ? undefined : checkPbt({ method, raw: pbtRaw, train, parameters, early: et, dir }, issues);
  if (
    issues.count > 0 ||
    bad.size > 0 ||
    et === undefined ||
    data === undefined ||
    train === undefined ||
    module === undefined ||
    command === undefined ||
    warm.init_from === undefined ||
    own.user_model === undefined ||
    metric === undefined
  ) {
    return undefined;
  }
  const spec: Spec = {
    name: top.name ?? basename(path, extname(path)),
    storage: top.storage ?? DEFAULT_STORAGE,
    seed: top.seed ?? 0,
    method,
    metric,
    ...(objectives?.objectives === undefined ? {} : { objectives: objectives.objectives }),
    ...(nsga2 === undefined ? {} : { nsga2 }),
    run_cap: top.run_cap ?? null,
    parallelism: top.parallelism ?? null,
    trainer,
    module,
    ...(command === null ? {} : { command }),
    ...keepModels(top.keep_models ?? null),
    ...(warm.init_from === null ? {} : { init_from: warm.init_from }),
    ...(own.user_model === null ? {} : { user_model: own.user_model }),
    data,
    train,
    parameters,
    early_terminate: et,
    stages,
    pool: {
      mode: top.pool ?? 'auto',
      max_trials_per_worker: top.max_trials_per_worker ?? null,
      max_rss_mb: top.max_rss_mb ?? null,
      trial_timeout: top.trial_timeout ?? null,
      max_retries: top.max_retries ?? 2,
      devices: top.devices ?? null,
    },
    diagnose: { target_accuracy: top.diagnose?.target_accuracy ?? null },
    source: { path, dir, text, hash: '' },
  };
  if (conditions !== undefined) {
    spec.conditions = conditions;
    if (method === 'grid') issues.add(['method'], 'method grid does not take conditional parameters (when:); use random, tpe or coarse-to-fine');
  }
  const usesTpe = method === 'tpe' || method === 'auto' || stages.some((s) => s.method === 'tpe');
  if (usesTpe) {
    const t = top.tpe;
    spec.tpe = {
      n_startup_trials: t?.n_startup_trials ?? TPE_DEFAULTS.n_startup_trials,
      n_ei_candidates: t?.n_ei_candidates ?? TPE_DEFAULTS.n_ei_candidates,
      multivariate: t?.multivariate ?? TPE_DEFAULTS.multivariate,
    };
  }
  if (pbt !== undefined) spec.pbt = pbt;
  spec.source.hash = specHash(spec);
  return spec;
}

function checkModule(
  module: string | null,
  trainer: TrainerKind,
  root: Record<string, unknown>,
  dir: string,
  issues: Issues,
): string | null | undefined {
  if (trainer !== 'module') {
    if (module !== null) issues.add(['module'], '`module` applies only to trainer: module', { at: 'key' });
    return null;
  }
  if (module === null) {
    if (root.module === undefined || root.module === null) {
      issues.add(['module'], 'trainer: module needs module: (the path of a JavaScript file exporting train(params, ctx))', {
        where: ['trainer'],
      });
    }
    return undefined;
  }
  return existingFile(module, dir, ['module'], issues);
}

function parseParameters(
  raw: unknown,
  tfjs: boolean,
  train: Record<string, unknown> | undefined,
  issues: Issues,
  ownNames = false,
): { parameters: Record<string, Distribution>; complete: boolean } {
  const parameters: Record<string, Distribution> = {};
  if (raw === undefined || raw === null) return { parameters, complete: true };
  if (!isPlainObject(raw)) {
    issues.add(['parameters'], `expected a mapping of parameter names to their ranges, got ${show(raw)}`);
    return { parameters, complete: false };
  }
  let complete = true;
  for (const [name, value] of Object.entries(raw)) {
    const d = parseParameter(value, ['parameters', name], issues);
    if (d === undefined) {
      complete = false;
      continue;
    }
    if (train !== undefined && Object.hasOwn(train, name)) {
      issues.add(['parameters', name], `\`${name}\` is both fixed in train: and searched here; keep one`, { at: 'key' });
    }
    const before = issues.count;
    if (tfjs) checkParameterKnob(name, d, issues, ownNames);
    if (issues.count === before) parameters[name] = d;
    else complete = false;
  }
  return { parameters, complete };
}

function keepModels(raw: Top['keep_models'] | null): { keep_models?: KeepModels } {
  if (raw === null || raw === undefined) return {};
  if (typeof raw === 'number') return { keep_models: { mode: 'top_k', k: raw } };
  return { keep_models: { ...DEFAULT_KEEP_MODELS, mode: raw } };
}

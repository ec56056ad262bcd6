/** Expansion of a `trainer: command` line's macros for one trial (no processes here: see pool/). */
import type { ParamValue, Params } from '../../core/types.js';
import { ENV_PROGRAM, INTERPRETER, MACRO_PATTERN } from '../identifiers.js';

export interface MacroValues {
  /** Fixed settings and sampled parameters, in the order they are passed. */
  params: Params;
  /** A sweep file's `program:`, or null. */
  program: string | null;
  /** Path of the file `${args_json_file}` names (written by the caller). */
  argsJsonFile: string;
  /** The environment `${envvar:NAME}` reads. */
  env: Readonly<Record<string, string | undefined>>;
  /** The folder `${checkpoint_dir}` names (method pbt: the segment's; else an empty scratch folder). */
  checkpointDir: string;
  /** `${start_epoch}`: epochs trained before this segment (0 outside method pbt). */
  startEpoch: number;
}


function text(value: ParamValue): string {
  return typeof value === 'string' ? value : String(value);
}

/** `{lr: 0.1}` as JSON, the form `${args_json}` and HPSEARCH_PARAMS_JSON carry. */
export function paramsJson(params: Params): string {
  return JSON.stringify(params);
}

/** Words a whole-word macro stands for; null for a macro that is not one of those. */
function wholeWord(name: string, values: MacroValues): string[] | null {
  const entries = Object.entries(values.params);
  switch (name) {
    case 'args':
      return entries.map(([k, v]) => `--${k}=${text(v)}`);
    case 'args_no_hyphens':
      return entries.map(([k, v]) => `${k}=${text(v)}`);
    default:
      return null;
  }
}

function scalar(name: string, values: MacroValues): string {
  const words = wholeWord(name, values);
  if (words !== null) return words.join(' ');
  if (name.startsWith('envvar:')) return values.env[name.slice('envvar:'.length)] ?? '';
  switch (name) {
    case 'args_json':
      return paramsJson(values.params);
    case 'args_json_file':
      return values.argsJsonFile;
    case 'env':
      return ENV_PROGRAM;
    case 'interpreter':
      return INTERPRETER;
    case 'program':
      return values.program ?? '';
    case 'checkpoint_dir':
      return values.checkpointDir;
    case 'start_epoch':
      return String(values.startEpoch);
    default:
      // spec/ rejects unknown macros; one that got here is left as written.
      return `\${${name}}`;
  }
}

/**
 * The command's words with every macro replaced. `${args}` and `${args_no_hyphens}` as a
 * whole word become one word per parameter (`--lr=0.1 --layers=2`), as sweep tools pass them.
 */
export function expandCommand(argv: readonly string[], values: MacroValues): string[] {
  const out: string[] = [];
  for (const word of argv) {
    const whole = /^\$\{([^}]*)\}$/.exec(word);
    const many = whole === null ? null : wholeWord(whole[1] as string, values);
    if (many !== null) out.push(...many);
    else out.push(word.replace(MACRO_PATTERN, (_m, name: string) => scalar(name, values)));
  }
  return out;
}

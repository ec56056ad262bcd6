/** `trainer: command`: the script's words, its macros, `program:`, `cwd:` and `stop_grace:`. */
import { isAbsolute, resolve } from 'node:path';
import { statSync } from 'node:fs';
import type { CommandSpec, TrainerKind } from '../core/spec.js';
import { COMMAND_MACROS, DEFAULT_COMMAND, MACRO_PATTERN } from '../train/identifiers.js';
import { checkProgram } from './command-program.js';
import type { Issues } from './issues.js';

export interface CommandInput {
  trainer: TrainerKind;
  command: string[] | null;
  program: string | null;
  cwd: string | null;
  stop_grace: number | null;
  artifacts: string | null;
}

/** Seconds a stopped script gets between SIGTERM and SIGKILL, by default. */
export const DEFAULT_STOP_GRACE = 10;
const KEYS = ['command', 'program', 'cwd', 'stop_grace', 'artifacts'] as const;

/** A sweep file names `program:` or `command:` and no trainer: that is a command trainer. */
export function impliedTrainer(root: Record<string, unknown>): TrainerKind | null {
  const given = (key: string): boolean => root[key] !== undefined && root[key] !== null;
  return given('command') || given('program') ? 'command' : null;
}

function checkMacros(argv: readonly string[], program: string | null, issues: Issues): void {
  argv.forEach((word, i) => {
    for (const m of word.matchAll(MACRO_PATTERN)) {
      const name = m[1] ?? '';
      if (name.startsWith('envvar:') && name.length > 'envvar:'.length) continue;
      if (!(COMMAND_MACROS as readonly string[]).includes(name)) {
        issues.add(['command', i], `unknown macro \${${name}} (known: ${COMMAND_MACROS.map((n) => `\${${n}}`).join(', ')}, \${envvar:NAME})`);
      } else if (name === 'program' && program === null) {
        issues.add(['command', i], '${program} needs program: (the script to run)');
      }
    }
  });
}

/** The validated command settings (undefined after an issue; absent for other trainers). */
export function parseCommand(input: CommandInput, dir: string, issues: Issues): CommandSpec | null | undefined {
  if (input.trainer !== 'command') {
    for (const key of KEYS) {
      if (input[key] !== null) issues.add([key], `\`${key}\` applies only to trainer: command`, { at: 'key' });
    }
    return null;
  }
  const before = issues.count;
  if (input.command === null && input.program === null) {
    issues.add(['command'], 'trainer: command needs command: (e.g. ["python3", "train.py", "${args}"]) or program:', {
      where: ['trainer'],
    });
    return undefined;
  }
  const argv = input.command ?? [...DEFAULT_COMMAND];
  checkMacros(argv, input.program, issues);
  const cwd = resolve(dir, input.cwd ?? '.');
  let isDir = false;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) issues.add(['cwd'], `no such directory: ${cwd} (relative paths are resolved against the spec's directory)`);
  else if (issues.count === before) checkProgram(argv, input.program, cwd, input.command !== null, issues);
  const artifacts = input.artifacts;
  if (artifacts !== null && (isAbsolute(artifacts) || artifacts.split(/[\\/]/).includes('..'))) {
    issues.add(['artifacts'], 'artifacts is a path pattern under cwd (no absolute path, no ..)');
  }
  if (issues.count > before) return undefined;
  return { argv, program: input.program, cwd, stop_grace: input.stop_grace ?? DEFAULT_STOP_GRACE, artifacts };
}

/**
 * Before anything starts (no study, no database): the command's program can be run, and the
 * script `program:` names is there. A misspelled name is a spec error (exit 2), not a study
 * of failed trials.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ENV_PROGRAM, INTERPRETER } from '../train/identifiers.js';
import type { Issues } from './issues.js';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return isFile(path);
  } catch {
    return false;
  }
}

/** Whether `program` names an executable file, as spawn finds it from `cwd`. */
export function findable(program: string, cwd: string): boolean {
  if (program.includes('/')) return executable(isAbsolute(program) ? program : resolve(cwd, program));
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => executable(join(dir === '' ? cwd : dir, program)));
}

/** A command word with the macros that name programs replaced (`${env}`, `${interpreter}`, `${program}`). */
function programWord(word: string, program: string | null): string {
  return word.replaceAll('${env}', ENV_PROGRAM).replaceAll('${interpreter}', INTERPRETER).replaceAll('${program}', program ?? '');
}

/**
 * Adds an issue when the script `program:` names is not a file under `cwd`, or the program
 * the command starts (after `/usr/bin/env`, the one it starts) is not executable.
 * `explicit`: the spec wrote `command:` (issues point at it), else the default command runs.
 */
export function checkProgram(argv: readonly string[], program: string | null, cwd: string, explicit: boolean, issues: Issues): void {
  if (program !== null && argv.some((word) => word.includes('${program}'))) {
    const path = resolve(cwd, program);
    if (!isFile(path)) {
      issues.add(['program'], `no such file: ${path} (program: is resolved against cwd, by default the spec's directory)`);
      return;
    }
  }
  let index = 0;
  let word = programWord(argv[0] ?? '', program);
  if (word === ENV_PROGRAM) {
    // env's own options and NAME=value words come before the program it starts.
    const started = argv.findIndex((w, i) => i > 0 && !w.startsWith('-') && !w.includes('='));
    if (started < 0) return;
    index = started;
    word = programWord(argv[started] ?? '', program);
  }
  if (findable(word, cwd)) return;
  const where = word.includes('/') ? `in ${cwd}` : 'on PATH';
  issues.add(explicit ? ['command', index] : ['program'], `${JSON.stringify(word)} is not an executable program (looked ${where})`);
}

/**
 * The command line, parsed by commander from the declarative command table
 * (commands/index.ts). commander loads in ~15 ms, where yargs cost ~90 ms of every start.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExitCode, HpsearchError } from '../core/errors.js';
import type { OptionSpec } from './options.js';

/** Arguments every handler may read: options by camelCase name, positionals by name. */
export type Args = Record<string, unknown>;

/** One command: `name <required> [optional]`, its options, and its lazily loaded implementation. */
export interface CommandDef {
  command: string;
  describe: string;
  options: Readonly<Record<string, OptionSpec>>;
  handler: (args: Args) => Promise<void>;
}

/** A usage error, with where to look for the right usage. */
class CommandLineError extends HpsearchError {
  constructor(message: string, where: string) {
    super(`${message}\n(hpsearch ${where}--help lists ${where === '' ? 'the commands and options' : 'its options'})`, ExitCode.usage);
  }
}

function parseNumber(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || Number.isNaN(n)) throw new InvalidArgumentError('Not a number.');
  return n;
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The commander Option of one table entry (`--no-NAME` for a boolean that defaults to true). */
function optionOf(name: string, spec: OptionSpec): Option {
  if (spec.type === 'boolean') return new Option(spec.default === true ? `--no-${name}` : `--${name}`, spec.describe);
  // An array takes the words up to the next option, and collects them again when repeated.
  const value = spec.type === 'number' ? 'n' : spec.array === true ? 'value...' : 'value';
  const option = new Option(`--${name} <${value}>`, spec.describe);
  if (spec.choices !== undefined) option.choices(spec.choices);
  if (spec.type === 'number') option.argParser(parseNumber);
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.demandOption === true) option.makeOptionMandatory();
  return option;
}

/** A command as the overall help lists it: `run <spec>` (its options are in its own help). */
function subcommandTerm(command: Command): string {
  const args = command.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`));
  return [command.name(), ...args].join(' ');
}

/** Builds the subcommand of `def` under `program`. */
function addCommand(program: Command, def: CommandDef): void {
  const [name = '', ...positionals] = def.command.split(' ');
  const command = program.command(name).description(def.describe);
  for (const p of positionals) command.argument(p);
  for (const [key, spec] of Object.entries(def.options)) command.addOption(optionOf(key, spec));
  command.action(async (...received: unknown[]) => {
    const args: Args = { ...command.opts() };
    for (const [key, spec] of Object.entries(def.options)) {
      if (spec.type === 'boolean' && spec.default !== true) args[camelCase(key)] ??= spec.default ?? false;
    }
    positionals.forEach((p, i) => {
      if (received[i] !== undefined) args[p.slice(1, -1)] = received[i];
    });
    await def.handler(args);
  });
}

/** Parses `argv` (the words after `hpsearch`) and runs the command it names. */
export async function runCommandLine(argv: readonly string[], commands: readonly CommandDef[], version: string): Promise<void> {
  if (argv.length === 0) throw new CommandLineError('Name a command.', '');
  const program = new Command('hpsearch')
    .usage('<command> [options]')
    .description('Hyperparameter search for neural networks.')
    .version(version, '--version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .helpCommand('help [command]', 'print the help of a command')
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .configureHelp({ helpWidth: Math.min(100, process.stdout.columns || 100), subcommandTerm });
  for (const def of commands) addCommand(program, def);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return;
    // The overall help was printed (to stderr) for a word that names no command.
    if (error.code === 'commander.help') throw new CommandLineError('Name one of the commands above.', '');
    const sub = argv.find((a) => !a.startsWith('-'));
    const known = sub !== undefined && commands.some((c) => c.command.split(' ')[0] === sub);
    throw new CommandLineError(error.message.replace(/^error: /, ''), known ? `${sub} ` : '');
  }
}

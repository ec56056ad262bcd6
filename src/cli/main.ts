import { readFileSync } from 'node:fs';
import { ExitCode, HpsearchError, errorMessage } from '../core/errors.js';
import { commands } from './commands/index.js';
import { runCommandLine } from './parser.js';

/** The package's version, from the package.json beside dist/. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/**
 * The hpsearch command line. Each command's implementation is imported only when that
 * command runs, so `hpsearch best` never loads TensorFlow.js.
 */
function main(argv: string[]): Promise<void> {
  return runCommandLine(argv, commands, version());
}

// `hpsearch trials | head` closes the pipe early: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof HpsearchError) {
    process.stderr.write(`hpsearch: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`hpsearch: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}\n`);
    process.exitCode = ExitCode.checkFailed;
  }
});

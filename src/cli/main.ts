import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ExitCode, HpsearchError, errorMessage } from '../core/errors.js';
import { commands } from './commands/index.js';

/**
 * The hpsearch command line. Each command's implementation is imported only when that
 * command runs, so `hpsearch best` never loads TensorFlow.js.
 */
async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('hpsearch')
    .usage('$0 <command> [options]\n\nHyperparameter search for neural networks.')
    .strict()
    .demandCommand(1, 'Name a command (hpsearch --help lists them).')
    .recommendCommands()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageErrorFromYargs(message);
    })
    .help()
    .version();
  for (const command of commands) cli = cli.command(command);
  await cli.parseAsync();
}

class UsageErrorFromYargs extends HpsearchError {
  constructor(message: string) {
    super(`${message}\n(hpsearch --help lists the commands and options)`, ExitCode.usage);
  }
}

// `hpsearch trials | head` closes the pipe early: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

main(hideBin(process.argv)).catch((error: unknown) => {
  if (error instanceof HpsearchError) {
    process.stderr.write(`hpsearch: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`hpsearch: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}\n`);
    process.exitCode = ExitCode.checkFailed;
  }
});

import { Command, Errors } from '@oclif/core';
import { EXIT } from './outcome.js';

/**
 * Shared behaviour of loadctl commands: flag and argument errors are bad input
 * (exit 2, one message and the --help pointer), as docs/architecture.md says.
 */
export abstract class BaseCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    const isParseError =
      (err instanceof Errors.CLIError || err.name === 'Error' || err.name === 'CLIError') &&
      /^\s*(Parsing --|Unexpected argument|Nonexistent flag|Missing \d+ required arg|Expected |--\S+=\S+ cannot also be provided)/m.test(err.message);
    if (isParseError) {
      const message = err.message.replace(/\s*See more help with --help\s*$/, '').trim();
      process.stderr.write(`error: ${message}\nSee more help with --help\n`);
      return this.exit(EXIT.badInput);
    }
    return super.catch(err);
  }

  /** Print a message on stderr and exit with `code`. */
  protected fail(message: string, code: number): never {
    process.stderr.write(`${message}\n`);
    return this.exit(code);
  }
}

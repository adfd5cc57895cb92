import { Command, type Interfaces } from '@oclif/core';
import { describeError, EXIT } from './outcome.js';

/**
 * Shared behaviour of loadctl commands: anything wrong with the flags or arguments is bad
 * input (exit 2, one message and the --help pointer); errors from core go through the one
 * mapping in outcome.ts, printed as text on stderr or, with --json, as `{ "error": … }` on stdout.
 */
export abstract class BaseCommand extends Command {
  /** `this.parse`, with every parse failure turned into exit 2 (docs/errors.md). */
  protected async parseInput<F extends Record<string, unknown>, B extends Record<string, unknown>, A extends Record<string, unknown>>(
    options: Interfaces.Input<F, B, A>,
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    try {
      return await this.parse(options);
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).replace(/\s*See more help with --help\s*$/, '').trim();
      process.stderr.write(`error: ${message}\nSee more help with --help\n`);
      return this.exit(EXIT.badInput);
    }
  }

  /** Print a message on stderr and exit with `code`. */
  protected fail(message: string, code: number): never {
    process.stderr.write(`${message}\n`);
    return this.exit(code);
  }

  /** Report an error thrown by core and exit with its code; oclif's own exit passes through. */
  protected failWith(err: unknown, flags: { json?: boolean; debug?: boolean }): never {
    if (err instanceof Error && 'oclif' in err) throw err;
    const d = describeError(err, flags.debug ?? false);
    if (flags.json) process.stdout.write(`${JSON.stringify({ error: { ...d.json, exitCode: d.exitCode } }, null, 2)}\n`);
    return this.fail(d.lines.join('\n'), d.exitCode);
  }

  /** Print `value` as JSON on stdout (the --json form of a command's outcome). */
  protected printJson(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}

import { Args, Flags } from '@oclif/core';
import { readResult } from '@loadctl/core';
import { writeHtmlReport } from '@loadctl/reporters';
import { BaseCommand } from '../lib/base-command.js';
import { describeError, EXIT } from '../lib/outcome.js';

export default class Report extends BaseCommand {
  static override summary = 'Write the HTML report of a result file, or of two overlaid (compare mode)';
  static override description = 'One self-contained HTML file with charts and tables that opens offline in any browser.';
  static override examples = ['<%= config.bin %> report results/result.json -o report.html', '<%= config.bin %> report base.json current.json -o compare.html'];
  static override args = {
    result: Args.string({ required: true, description: 'result.json of a run' }),
    current: Args.string({ required: false, description: 'a second result.json to compare against the first (the base)' }),
  };
  static override flags = {
    output: Flags.string({ char: 'o', description: 'where to write the HTML file', default: 'report.html' }),
    title: Flags.string({ description: 'page title' }),
    debug: Flags.boolean({ description: 'show stack traces for errors' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Report);
    try {
      const base = await readResult(args.result);
      const input = args.current === undefined ? base : { base, current: await readResult(args.current) };
      await writeHtmlReport(flags.output, input, { title: flags.title });
      process.stdout.write(`wrote ${flags.output}\n`);
      this.exit(EXIT.ok);
    } catch (err) {
      if (err instanceof Error && 'oclif' in err) throw err;
      const { lines } = describeError(err, flags.debug);
      this.fail(lines.join('\n'), EXIT.badInput);
    }
  }
}

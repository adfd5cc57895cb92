import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { readResult, writeResult, type Result } from '@loadctl/core';
import { readRunDirectory, RESULT_FILE, toResult } from '@loadctl/core/internal';
import { writeHtmlReport } from '@loadctl/reporters';
import { BaseCommand } from '../lib/base-command.js';
import { EXIT } from '../lib/outcome.js';

const isDirectory = (p: string): Promise<boolean> => stat(p).then((s) => s.isDirectory(), () => false);

/** A result.json, or the output directory of a run (finished, or killed: rebuilt from its checkpoint). */
async function load(path: string): Promise<Result> {
  return (await isDirectory(path)) ? readRunDirectory(path) : toResult(await readResult(path));
}

export default class Report extends BaseCommand {
  static override summary = 'Write the HTML report of a run (result file or output directory), or of two overlaid';
  static override description = `Given a run's output directory, builds report.html there; if the run did not finish (killed,
crashed, the machine stopped), also rebuilds result.json from its last checkpoint, marked partial.
One self-contained HTML file with charts and tables that opens offline in any browser.`;
  static override examples = [
    '<%= config.bin %> report results/',
    '<%= config.bin %> report results/result.json -o report.html',
    '<%= config.bin %> report base.json current.json -o compare.html',
  ];
  static override args = {
    result: Args.string({ required: true, description: 'result.json of a run, or its output directory' }),
    current: Args.string({ required: false, description: 'a second run to compare against the first (the base)' }),
  };
  static override flags = {
    output: Flags.string({ char: 'o', description: 'where to write the HTML file (default: report.html, in the directory when given one)' }),
    title: Flags.string({ description: 'page title' }),
    json: Flags.boolean({ description: 'print what was written as JSON on stdout' }),
    debug: Flags.boolean({ description: 'show stack traces for errors' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parseInput(Report);
    try {
      const dir = args.current === undefined && (await isDirectory(args.result)) ? args.result : undefined;
      const base = await load(args.result);
      const output = flags.output ?? (dir !== undefined ? join(dir, 'report.html') : 'report.html');
      let resultFile: string | undefined;
      if (dir !== undefined && base.partial) {
        resultFile = join(dir, RESULT_FILE);
        await writeResult(resultFile, base);
      }
      const input = args.current === undefined ? base : { base, current: await load(args.current) };
      await writeHtmlReport(output, input, { title: flags.title });
      if (flags.json) {
        this.printJson({ report: output, ...(resultFile ? { result: resultFile } : {}), partial: base.partial === true, ...(base.partialReason ? { partialReason: base.partialReason } : {}) });
      } else {
        if (base.partial) process.stderr.write(`partial result: ${base.partialReason}\n`);
        if (resultFile) process.stdout.write(`wrote ${resultFile}\n`);
        process.stdout.write(`wrote ${output}\n`);
      }
    } catch (err) {
      this.failWith(err, flags);
    }
    this.exit(EXIT.ok);
  }
}

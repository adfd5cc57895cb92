import { Args, Flags } from '@oclif/core';
import { mergeFiles, writeResult } from '@loadctl/core';
import { ConsoleReporter, writeHtmlReport } from '@loadctl/reporters';
import { BaseCommand } from '../lib/base-command.js';
import { describeError, exitCodeOf } from '../lib/outcome.js';

export default class Merge extends BaseCommand {
  static override summary = 'Merge the results of the shards of one run (run --segment k/n) into one result';
  static override description = `Counts are summed, latency histograms added losslessly (the merged percentiles are those of every sample),
timelines aligned by wall-clock interval, checks and errors summed; the scenario's thresholds are evaluated again
on the merged result and give the exit code (0 passed, 1 failed). Results of different scenarios, the same segment
twice or overlapping segments are refused (exit 2), and so are missing segments unless --allow-partial.
The merged result file feeds \`report\` and \`compare\` like any other.`;
  static override examples = [
    '<%= config.bin %> merge results/shard-*/result.json -o merged.json',
    '<%= config.bin %> merge a.json b.json c.json --allow-partial -o partial.json --html report.html',
  ];
  static override strict = false;
  static override args = { results: Args.string({ required: true, description: 'result.json files of the shards' }) };
  static override flags = {
    output: Flags.string({ char: 'o', description: 'where to write the merged result', default: 'merged.json' }),
    html: Flags.string({ description: 'also write the HTML report of the merged result here' }),
    'allow-partial': Flags.boolean({ description: 'merge even when segments are missing (the result carries a SEGMENTS_MISSING warning)' }),
    json: Flags.boolean({ description: 'print the merged summary as JSON on stdout' }),
    quiet: Flags.boolean({ char: 'q', description: 'print nothing but errors' }),
    debug: Flags.boolean({ description: 'show stack traces for errors' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Merge);
    try {
      const merged = await mergeFiles(argv as string[], { allowMissing: flags['allow-partial'] });
      await writeResult(flags.output, merged);
      if (flags.html) await writeHtmlReport(flags.html, merged, {});
      const s = merged.summary;
      if (flags.json) process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      else if (!flags.quiet) new ConsoleReporter({ quiet: true }).end(s);
      if (flags.json && !flags.quiet) for (const w of s.warnings) if (w.severity !== 'info') process.stderr.write(`warning: ${w.message}\n`);
      if (!flags.quiet) process.stderr.write(`merged ${argv.length} results (${s.meta.shards?.map((x) => x.segment).join(', ')}) into ${flags.output}\n`);
      this.exit(exitCodeOf(s));
    } catch (err) {
      if (err instanceof Error && 'oclif' in err) throw err;
      const { lines, exitCode } = describeError(err, flags.debug);
      this.fail(lines.join('\n'), exitCode);
    }
  }
}

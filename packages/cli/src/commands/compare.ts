import { Args, Flags } from '@oclif/core';
import { compareCapacity, compareResults, readResult, type RequestComparison } from '@loadctl/core';
import { isCapacityResult } from '@loadctl/core/internal';
import { renderCapacityComparisonMarkdown, renderCapacityComparisonText, renderComparisonMarkdown } from '@loadctl/reporters';
import { BaseCommand } from '../lib/base-command.js';
import { EXIT } from '../lib/outcome.js';

const percentFlag = Flags.custom<number>({
  parse: async (input) => {
    const m = /^(\d+(?:\.\d+)?)%?$/.exec(input.trim());
    if (!m) throw new Error(`"${input}" is not a percentage, e.g. 10%`);
    return Number(m[1]) / 100;
  },
});

function row(r: RequestComparison): string {
  if (!r.base || !r.current || !r.change) return `  ${r.name}: only in ${r.base ? 'base' : 'current'}`;
  const c = r.change;
  const f = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  const mark = r.regressions.length > 0 ? '✗' : '✓';
  return `  ${mark} ${r.name}: p50 ${r.current.p50.toFixed(2)} ms (${f(c.p50)})  p95 ${r.current.p95.toFixed(2)} ms (${f(c.p95)})  p99 ${r.current.p99.toFixed(2)} ms (${f(c.p99)})  ok/s ${r.current.throughput.toFixed(1)} (${f(c.throughput)})  errors ${(r.current.errorRate * 100).toFixed(2)}%`;
}

export default class Compare extends BaseCommand {
  static override summary = "Compare a run against a baseline: exit 1 when it regressed (a CI gate)";
  static override description = `Reads two result files; per request name and in total compares p50/p95/p99 latency, throughput (successful
requests/s over the load window) and error rate against the tolerances. Two runs with no request name in common are
refused (exit 2); a different scenario name, load model or target is warned about.
Two results of \`loadctl capacity\` are compared by their maximum RPS (--max-rps-drop) and the latency of the steps run at the
same offered load (judged with --max-latency-increase when given). Exit 0 no regression, 1 regressed, 2 bad input,
3 inconclusive (a capacity that is only a lower bound cannot show a regression).`;
  static override examples = [
    '<%= config.bin %> compare yesterday/result.json today/result.json --max-latency-increase 15%',
    '<%= config.bin %> compare baseline/result.json results/result.json --max-rps-drop 5% --markdown > comment.md',
  ];
  static override args = {
    base: Args.string({ required: true, description: 'result.json of the baseline run' }),
    current: Args.string({ required: true, description: 'result.json of the run to judge' }),
  };
  static override flags = {
    'max-latency-increase': percentFlag({ description: 'allowed increase of p50/p95/p99 (default 10%)' }),
    'max-rps-drop': percentFlag({ description: 'allowed drop of throughput, successful requests/s (default 10%)' }),
    'max-error-rate-increase': percentFlag({ description: 'allowed increase of the error rate, in points (default 1%)' }),
    json: Flags.boolean({ description: 'print the comparison as JSON' }),
    markdown: Flags.boolean({ description: 'print the comparison as Markdown (for a pull-request comment)', exclusive: ['json'] }),
    debug: Flags.boolean({ description: 'show stack traces for errors' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parseInput(Compare);
    let regressed = false;
    try {
      const [base, current] = [await readResult(args.base), await readResult(args.current)];
      if (isCapacityResult(base) || isCapacityResult(current)) {
        const c = compareCapacity(base, current, { maxRpsDrop: flags['max-rps-drop'], maxLatencyIncrease: flags['max-latency-increase'] });
        const text = flags.json ? JSON.stringify(c, null, 2) : flags.markdown ? renderCapacityComparisonMarkdown(c).trimEnd() : `${args.current} vs ${args.base}\n${renderCapacityComparisonText(c)}`;
        process.stdout.write(`${text}\n`);
        this.exit(c.verdict === 'regressed' ? EXIT.failed : c.verdict === 'inconclusive' ? EXIT.cannotProceed : EXIT.ok);
      }
      const c = compareResults(base, current, {
        maxLatencyIncrease: flags['max-latency-increase'],
        maxRpsDrop: flags['max-rps-drop'],
        maxErrorRateIncrease: flags['max-error-rate-increase'],
      });
      regressed = c.regressed;
      for (const w of c.warnings) process.stderr.write(`warning: ${w}\n`);
      if (flags.json) this.printJson(c);
      else if (flags.markdown) process.stdout.write(renderComparisonMarkdown(c));
      else {
        const lines = [`${args.current} vs ${args.base}`, row(c.total), ...c.requests.map(row)];
        for (const r of [c.total, ...c.requests]) for (const why of r.regressions) lines.push(`  regression in ${r.name}: ${why}`);
        lines.push(c.regressed ? 'REGRESSED' : 'NO REGRESSION');
        process.stdout.write(`${lines.join('\n')}\n`);
      }
    } catch (err) {
      this.failWith(err, flags);
    }
    this.exit(regressed ? EXIT.failed : EXIT.ok);
  }
}

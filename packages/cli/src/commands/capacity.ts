import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { capacity, loadScenario, parseDuration, quickCapacity, type CapacityOptions, type HttpMethod, type RunResult } from '@loadctl/core';
import { capacityOutcome, parseShare, quickConfig, quickScenario, redactScenario, sloLabel, sloSpecs } from '@loadctl/core/internal';
import { capacityJson, capacityStepHeader, capacityStepRow, renderCapacitySummary } from '@loadctl/reporters';
import { BaseCommand } from '../lib/base-command.js';
import { countFlag, durationFlag, loadCeilingOf, positiveFlag, runFlags } from '../lib/flags.js';
import { describeError, EXIT, interruptSignal, printWrittenFiles } from '../lib/outcome.js';
import { reportersFor } from '../lib/reporters.js';

/** A duration that may be 0 (--confirm 0 skips the confirmation). */
const durationOrZeroFlag = Flags.custom<number>({
  parse: async (input) => {
    const ms = parseDuration(input);
    if (ms === undefined || ms < 0) throw new Error(`"${input}" is not a duration; use e.g. 0, 30s, 1m`);
    return ms;
  },
});

const { warmup: _warmup, ...outputFlags } = runFlags;

export default class Capacity extends BaseCommand {
  static override summary = 'Find the highest request rate the target holds within its SLOs (and how many instances you need)';
  static override description = `An open-model search: a climb (×2 per step), then bisection between the highest passing and the lowest
failing rate down to --resolution, each step held --step with its first part excluded as warm-up, and the answer
confirmed over --confirm. A scenario keeps its flows and weights (its load section is replaced); a URL is one request
per iteration. The answer says what limited it: the target, the generator (add workers) or the range (--max-rate,
--max-duration). See docs/capacity.md.

Exit codes: 0 a capacity was found (with --min-rps: the gate passed); 1 the --min-rps gate failed, or no rate met
the SLOs; 2 bad input; 3 no capacity could be determined (generator- or range-limited, out of time, target
unreachable) and no --min-rps gate it already meets; 130 interrupted (results are still written).`;
  static override examples = [
    `<%= config.bin %> capacity scenarios/behaviour.yml --slo 'p(99) < 100ms' --slo 'error_rate < 0.5%'`,
    `<%= config.bin %> capacity http://127.0.0.1:8080/api --slo 'p(95) < 50ms' --resolution 2%`,
    `<%= config.bin %> capacity service.yml --min-rps 450 --traffic 5000 --headroom 30% --out-dir results`,
  ];
  static override args = { target: Args.string({ required: true, description: 'scenario YAML file, or a URL (http/https)' }) };
  static override flags = {
    slo: Flags.string({ description: "SLO every step must meet, threshold grammar, e.g. 'p(99) < 100ms' (repeatable; default: the scenario's thresholds, else p(99) < 500ms and error_rate < 1%)", multiple: true }),
    resolution: Flags.string({ description: 'stop bisecting when pass and fail are this close: 2% or a rate like 25/s (default 5%)' }),
    step: durationFlag({ description: 'hold of each step (default 20s)' }),
    'step-warmup': durationOrZeroFlag({ description: 'first part of each step left out of its figures (default a quarter of --step)' }),
    confirm: durationOrZeroFlag({ description: 'hold of the confirmation of the answer; 0 skips it (default 1m)' }),
    'start-rate': positiveFlag({ description: 'first rate asked, iterations/s (default 100)' }),
    'max-rate': positiveFlag({ description: 'highest rate asked; holding it ends the search as range-limited (default 100000)' }),
    'max-duration': durationFlag({ description: 'bound on the whole search (default 10m)' }),
    'min-rps': positiveFlag({ description: 'CI gate: exit 1 when the capacity is below this many requests/s' }),
    traffic: positiveFlag({ description: 'traffic to hold (requests/s): print the instances needed' }),
    headroom: Flags.string({ description: 'share of each instance kept free when sizing, e.g. 30% (default 0%)' }),
    connections: countFlag({ char: 'c', description: 'connections per step (default min(in-flight cap, 256))' }),
    'max-in-flight': countFlag({ description: 'requests in flight per step before arrivals are dropped (default max(100, 2 s of arrivals))' }),
    env: Flags.string({ char: 'e', description: 'scenario: set a variable for ${env.NAME}: NAME=value (repeatable)', multiple: true }),
    method: Flags.string({ char: 'm', description: 'URL: HTTP method', default: 'GET' }),
    header: Flags.string({ char: 'H', description: "URL: request header 'name: value' (repeatable)", multiple: true }),
    body: Flags.string({ char: 'b', description: 'URL: request body', exclusive: ['body-file'] }),
    'body-file': Flags.string({ description: 'URL: read the request body from a file' }),
    timeout: durationFlag({ description: 'URL: per-request timeout (default 10s)' }),
    preflight: Flags.boolean({ description: 'check the target accepts a connection before starting', default: true, allowNo: true }),
    ...outputFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Capacity);
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(args.target);
    const out = flags.json ? process.stderr : process.stdout;
    const color = out.isTTY === true;
    let headerShown = false;
    const interrupt = interruptSignal();
    try {
      if (flags.slo) sloSpecs(flags.slo); // bad SLOs fail before anything starts
      const common: CapacityOptions = {
        slos: flags.slo,
        resolution: flags.resolution,
        stepMs: flags.step,
        warmupMs: flags['step-warmup'],
        confirmMs: flags.confirm,
        startRate: flags['start-rate'],
        maxRate: flags['max-rate'],
        maxDurationMs: flags['max-duration'],
        minRps: flags['min-rps'],
        traffic: flags.traffic,
        headroom: flags.headroom === undefined ? undefined : parseShare(flags.headroom, '--headroom'),
        connections: flags.connections,
        maxInFlight: flags['max-in-flight'],
        workers: flags.workers,
        loadCeiling: loadCeilingOf(flags),
        preflight: flags.preflight,
        signal: interrupt.signal,
        onStepStart: (s) => {
          if (!flags.quiet) process.stderr.write(`step ${s.index + 1}: ${s.kind} at ${s.rate}/s for ${s.durationMs / 1000} s (first ${s.warmupMs / 1000} s warm-up)\n`);
        },
        onStep: (s) => {
          if (process.stderr.isTTY) process.stderr.write('\r\u001b[2K');
          if (!headerShown) out.write(`${capacityStepHeader(s.slos.map(sloLabel))}\n`);
          headerShown = true;
          out.write(`${capacityStepRow(s, color)}\n`);
        },
      };
      let result: RunResult;
      if (isUrl) {
        const headers = this.headers(flags.header ?? []);
        const body = flags['body-file'] !== undefined ? await this.readBody(flags['body-file']) : flags.body;
        const q = { url: args.target, method: flags.method.toUpperCase() as HttpMethod, headers, body, timeoutMs: flags.timeout };
        quickScenario({ ...q, rate: 1 }); // bad URL or method: exit 2 before any reporter opens a file
        const config = { capacity: quickConfig(q) };
        const reporters = await reportersFor({ ...flags, json: true }, config, [], undefined);
        result = await quickCapacity({ ...common, ...q, reporters, config });
      } else {
        const env: Record<string, string | undefined> = { ...process.env };
        for (const kv of flags.env ?? []) {
          const i = kv.indexOf('=');
          if (i <= 0) this.fail(`bad --env "${kv}": expected NAME=value`, EXIT.badInput);
          env[kv.slice(0, i)] = kv.slice(i + 1);
        }
        const scenario = await loadScenario(args.target, { env });
        const config = redactScenario(scenario);
        const reporters = await reportersFor({ ...flags, json: true }, config, scenario.reporters, 'results', dirname(resolve(args.target)));
        result = await capacity(scenario, { ...common, reporters, config });
      }
      const report = result.summary.capacity!;
      if (flags.json) process.stdout.write(`${JSON.stringify(capacityJson(report, result.summary.meta), null, 2)}\n`);
      else out.write(`\n${renderCapacitySummary(report, color)}\n`);
      printWrittenFiles(result.summary);
      const end = result.summary.verdict.endReason;
      if (end === 'interrupted') this.exit(EXIT.interrupted);
      if (end === 'error') this.exit(EXIT.cannotProceed);
      const outcome = capacityOutcome(report);
      this.exit(outcome === 'passed' ? EXIT.ok : outcome === 'failed' ? EXIT.failed : EXIT.cannotProceed);
    } catch (err) {
      if (err instanceof Error && 'oclif' in err) throw err;
      const { lines, exitCode } = describeError(err, flags.debug);
      this.fail(lines.join('\n'), exitCode);
    } finally {
      interrupt.dispose();
    }
  }

  private headers(list: string[]): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const h of list) {
      const i = h.indexOf(':');
      if (i <= 0) this.fail(`bad header "${h}" (-H): expected 'name: value'`, EXIT.badInput);
      headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
    }
    return headers;
  }

  private async readBody(path: string): Promise<string> {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      return this.fail(`cannot read --body-file ${path}: ${(err as Error).message}`, EXIT.badInput);
    }
  }
}

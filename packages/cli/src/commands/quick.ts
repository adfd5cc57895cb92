import { readFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { startQuick, type HttpClientKind, type HttpMethod, type QuickOptions } from '@loadctl/core';
import { quickConfig, quickScenario } from '@loadctl/core/internal';
import { BaseCommand } from '../lib/base-command.js';
import { checkOutputs, reportersFor } from '../lib/reporters.js';
import { CHECKPOINT_HELP, countFlag, durationFlag, loadCeilingOf, positiveFlag, runFlags, seedFlag } from '../lib/flags.js';
import { monitorConfigFrom } from '../lib/monitor.js';
import { exitCodeOf, EXIT, printWrittenFiles, stopOnInterrupt } from '../lib/outcome.js';

export default class Quick extends BaseCommand {
  static override summary = 'Hammer one URL and print RPS, latency percentiles, status codes and errors';
  static override description = `Closed model by default: -c connections each keep one request in flight for -d (or until -n requests).
With -r the load is open: requests start at that rate whatever the target does, and latency is measured
from each request's scheduled time (free of coordinated omission).`;
  static override examples = [
    '<%= config.bin %> quick http://127.0.0.1:8080/ -c 50 -d 30s',
    '<%= config.bin %> quick http://127.0.0.1:8080/ -n 5000',
    '<%= config.bin %> quick http://127.0.0.1:8080/api -r 2000 -d 1m --json',
    `<%= config.bin %> quick http://127.0.0.1:8080/docs -m POST -H 'content-type: application/json' -b '{"a":1}'`,
  ];
  static override args = { url: Args.string({ required: true, description: 'target URL (http or https)' }) };
  static override flags = {
    connections: countFlag({ char: 'c', description: 'connections (default 50)' }),
    duration: durationFlag({ char: 'd', description: 'how long to run, e.g. 30s, 5m (default 10s unless -n)' }),
    requests: countFlag({ char: 'n', description: 'stop after this many requests' }),
    rate: positiveFlag({ char: 'r', description: 'open model: requests per second' }),
    'max-in-flight': countFlag({ description: 'open model: requests allowed in flight before arrivals are dropped (default max(100, rate))' }),
    method: Flags.string({ char: 'm', description: 'HTTP method', default: 'GET' }),
    header: Flags.string({ char: 'H', description: "request header 'name: value' (repeatable)", multiple: true }),
    body: Flags.string({ char: 'b', description: 'request body', exclusive: ['body-file'] }),
    'body-file': Flags.string({ description: 'read the request body from a file' }),
    timeout: durationFlag({ description: 'per-request timeout (default 10s)' }),
    pipelining: countFlag({ description: 'HTTP pipelining depth per connection (default 1)' }),
    preflight: Flags.boolean({ description: 'check the target accepts a connection before starting', default: true, allowNo: true }),
    'secret-header': Flags.string({ description: 'a header whose value is secret, redacted in every output like Authorization (repeatable)', multiple: true }),
    'secret-query': Flags.string({ description: 'a query parameter whose value is secret, redacted like api_key or token (repeatable)', multiple: true }),
    seed: seedFlag,
    ...runFlags,
    checkpoint: durationFlag({ description: CHECKPOINT_HELP, dependsOn: ['out-dir'] }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parseInput(Quick);
    const headers: Record<string, string> = {};
    for (const h of flags.header ?? []) {
      const i = h.indexOf(':');
      if (i <= 0) this.fail(`bad header "${h}" (-H): expected 'name: value'`, EXIT.badInput);
      headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
    }
    let body = flags.body;
    if (flags['body-file'] !== undefined) {
      try {
        body = await readFile(flags['body-file'], 'utf8');
      } catch (err) {
        this.fail(`cannot read --body-file ${flags['body-file']}: ${(err as Error).message}`, EXIT.badInput);
      }
    }
    let interrupt: { dispose(): void } | null = null;
    try {
      const options: QuickOptions = {
        url: args.url,
        connections: flags.connections,
        durationMs: flags.duration,
        requests: flags.requests,
        rate: flags.rate,
        maxInFlight: flags['max-in-flight'],
        method: flags.method.toUpperCase() as HttpMethod,
        headers,
        body,
        timeoutMs: flags.timeout,
        pipelining: flags.pipelining,
        secretHeaders: flags['secret-header'],
        secretQuery: flags['secret-query'],
        workers: flags.workers,
        loadCeiling: loadCeilingOf(flags),
        warmupMs: flags.warmup,
        httpClient: flags['http-client'] as HttpClientKind | undefined,
        preflight: flags.preflight,
        seed: flags.seed,
        monitor: monitorConfigFrom(flags, 'results'),
        trendWarmupMs: flags['trend-warmup'],
        outDir: flags['out-dir'],
        checkpointMs: flags.checkpoint,
      };
      quickScenario(options); // bad options fail here, before any reporter opens a file or a port
      const reporters = await reportersFor(flags, quickConfig(options));
      await checkOutputs(flags, reporters);
      const test = startQuick({ ...options, reporters, timelineLimit: 0 });
      interrupt = stopOnInterrupt(test);
      const { summary } = await test.done;
      if (flags.json) this.printJson(summary);
      printWrittenFiles(summary);
      this.exit(exitCodeOf(summary));
    } catch (err) {
      this.failWith(err, flags);
    } finally {
      interrupt?.dispose();
    }
  }
}

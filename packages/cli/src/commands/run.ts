import { dirname, resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { formatSegment, loadScenario, start, type HttpClientKind } from '@loadctl/core';
import { applyOverrides, redactScenario } from '@loadctl/core/internal';
import { BaseCommand } from '../lib/base-command.js';
import { durationFlag, loadCeilingOf, positiveFlag, runFlags, seedFlag, shardFlags } from '../lib/flags.js';
import { EXIT, exitCodeOf, printWrittenFiles, stopOnInterrupt } from '../lib/outcome.js';
import { checkOutputs, reportersFor } from '../lib/reporters.js';
import { monitorConfigFrom } from '../lib/monitor.js';

export default class Run extends BaseCommand {
  static override summary = 'Run a scenario file: weighted flows, open or closed load, thresholds';
  static override description = `Loads and validates the scenario, runs it on the worker engine with a live console,
then prints the summary and writes result.json, junit.xml and report.html into --out-dir (default ./results).
Exit code 0 when every threshold passed, 1 when one failed, 2 for a bad scenario, 3 when the run could not proceed,
130 when interrupted (results are still written).`;
  static override examples = [
    '<%= config.bin %> run scenarios/behaviour.yml',
    '<%= config.bin %> run scenarios/behaviour.yml --duration 2m --scale 0.5 --env BASE_URL=http://127.0.0.1:3000',
    '<%= config.bin %> run scenarios/behaviour.yml --segment 2/4 --start-at 2025-06-01T12:00:00Z -o results/shard-2.json',
    '<%= config.bin %> run soak.yml --reporter influxdb --influxdb-url http://127.0.0.1:8086 --influxdb-db loadctl --quiet',
  ];
  static override args = { scenario: Args.string({ required: true, description: 'scenario YAML file' }) };
  static override flags = {
    duration: durationFlag({ char: 'd', description: "stretch or shrink the stages to this total duration, keeping their shape" }),
    scale: positiveFlag({ description: 'multiply users (closed model) or rates (open model) by this factor' }),
    env: Flags.string({ char: 'e', description: 'set a variable for ${env.NAME} substitution: NAME=value (repeatable)', multiple: true }),
    ...shardFlags,
    seed: seedFlag,
    ...runFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parseInput(Run);
    const env: Record<string, string | undefined> = { ...process.env };
    for (const kv of flags.env ?? []) {
      const i = kv.indexOf('=');
      if (i <= 0) this.fail(`error: bad --env "${kv}": expected NAME=value`, EXIT.badInput);
      env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    let interrupt: { dispose(): void } | null = null;
    try {
      const loadCeiling = loadCeilingOf(flags);
      // A shard's part of the load is held to the ceiling when it runs (execute knows its share), not the whole here.
      const loaded = await loadScenario(args.scenario, { env, workers: flags.workers, loadCeiling: flags.segment ? false : loadCeiling });
      const scenario = applyOverrides(loaded, { durationMs: flags.duration, scale: flags.scale });
      const outDir = flags['out-dir'] ?? 'results';
      const reporters = await reportersFor(flags, redactScenario(scenario), scenario.reporters, outDir, dirname(resolve(args.scenario)));
      await checkOutputs(flags, reporters, outDir);
      const startAt = flags['start-at'];
      if (startAt !== undefined && startAt > Date.now() && !flags.quiet) {
        process.stderr.write(`waiting to start at ${new Date(startAt).toISOString()}${flags.segment ? ` (segment ${formatSegment(flags.segment)})` : ''}\n`);
      }
      const test = start(scenario, {
        workers: flags.workers,
        warmupMs: flags.warmup,
        httpClient: flags['http-client'] as HttpClientKind | undefined,
        seed: flags.seed,
        reporters,
        loadCeiling,
        monitor: monitorConfigFrom(flags, outDir),
        trendWarmupMs: flags['trend-warmup'],
        segment: flags.segment,
        startAt,
        startToleranceMs: flags['start-tolerance'],
        outDir,
        checkpointMs: flags.checkpoint,
        timelineLimit: 0,
      });
      interrupt = stopOnInterrupt(test);
      const result = await test.done;
      if (flags.json) this.printJson(result.summary);
      printWrittenFiles(result.summary);
      this.exit(exitCodeOf(result.summary));
    } catch (err) {
      this.failWith(err, flags);
    } finally {
      interrupt?.dispose();
    }
  }
}

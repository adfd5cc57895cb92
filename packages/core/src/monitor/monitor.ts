/**
 * The Monitor: every source sampled together, on the main thread, once per interval. run/
 * asks for a sample when the run starts and after each interval it emits, and joins the
 * latest finished sample to the next interval (Interval.monitor): so an interval carries the
 * sample taken at about its start, and CPU figures are means since the previous sample.
 * A sample that fails (process gone, URL down) is counted in the source's health and becomes
 * a warning at the end; it never stops the run.
 */
import type { MonitorSample, MonitorSourceHealth, MonitorValues, Warning } from '../metrics/model.js';
import { TargetCommand } from './command.js';
import { DEFAULT_SCRAPED_SERIES, DEFAULT_STOP_GRACE_MS, planSources, type MonitorConfig } from './config.js';
import { ProcessSource } from './process.js';
import { ScrapeSource } from './scrape.js';
import { GeneratorSource, HostSource } from './self.js';
import { failureText, type Source } from './source.js';

export interface StartedCommand {
  command: TargetCommand;
  health: MonitorSourceHealth;
}

export class Monitor {
  private readonly sources: Source[] = [];
  readonly commands: StartedCommand[] = [];
  private latest: { at: number; values: MonitorSample } | undefined;
  private inFlight: Promise<void> | null = null;
  private stopped = false;
  private readonly notes: Warning[] = [];

  /** Builds the sources (bad config throws a bad-input error); starts nothing yet. */
  constructor(
    private readonly config: MonitorConfig,
    intervalMs: number,
  ) {
    const plan = planSources(config);
    const logDir = config.logDir ?? process.cwd();
    for (const { spec, prefix } of plan.processes) {
      if (spec.pid !== undefined) {
        this.sources.push(new ProcessSource(spec.pid, prefix, 'pid', `pid ${spec.pid}`, intervalMs));
      } else {
        const command = new TargetCommand(spec.command!, logDir, prefix.replace(/\./g, '-'));
        const source = new ProcessSource(() => command.pid, prefix, 'cmd', spec.command!, intervalMs);
        this.sources.push(source);
        this.commands.push({ command, health: source.health });
      }
    }
    const series = config.series && config.series.length > 0 ? config.series : DEFAULT_SCRAPED_SERIES;
    for (const { spec, prefix } of plan.urls) this.sources.push(new ScrapeSource(spec.url, prefix, series, intervalMs));
    if (config.generator !== false) this.sources.push(new GeneratorSource());
    if (config.host !== false) this.sources.push(new HostSource());
  }

  /** Start the --monitor-cmd targets. */
  startCommands(): void {
    for (const c of this.commands) c.command.start();
  }

  /** A started command that has already exited on its own, if any. */
  exitedCommand(): TargetCommand | undefined {
    return this.commands.find((c) => c.command.exitedEarly)?.command;
  }

  /** Take a sample now unless one is still running. */
  sampleNow(): void {
    if (this.stopped || this.inFlight) return;
    const out: MonitorSample = {};
    const at = Date.now();
    this.inFlight = Promise.all(
      this.sources.map(async (s) => {
        s.health.samples++;
        // A process and an endpoint may share the "target" prefix: their series names differ.
        const values: MonitorValues = (out[s.health.name] ??= {});
        try {
          await s.sample(values);
        } catch (err) {
          s.health.failures++;
          s.health.lastError = failureText(err);
        }
      }),
    ).then(() => {
      for (const source in out) if (Object.keys(out[source]).length === 0) delete out[source];
      this.latest = { at, values: out };
      this.inFlight = null;
    });
  }

  /** The latest finished sample not yet joined to an interval (each sample joins one interval), with when it was taken (epoch ms). */
  take(): { at: number; values: MonitorSample } | undefined {
    const v = this.latest;
    this.latest = undefined;
    return v;
  }

  /** Wait for a running sample (tests, and the end of a run). */
  async settle(): Promise<void> {
    await this.inFlight;
  }

  health(): MonitorSourceHealth[] {
    return this.sources.map((s) => ({ ...s.health }));
  }

  /** Failed samples and early exits, for the run's warnings. */
  warnings(): Warning[] {
    const out: Warning[] = [...this.notes];
    for (const c of this.commands) {
      if (!c.command.exitedEarly) continue;
      const e = c.command.exit!;
      out.push({
        code: 'MONITOR_TARGET_EXITED',
        severity: 'warn',
        message: `monitored command "${c.command.command}" exited during the run (${e.signal ? `signal ${e.signal}` : `code ${e.code}`}); its output is in ${c.command.stderrPath}`,
      });
    }
    for (const s of this.sources) {
      if (s.health.failures === 0) continue;
      out.push({
        code: 'MONITOR_SAMPLE_FAILED',
        severity: 'warn',
        message: `monitor ${s.health.name} (${s.health.what}): ${s.health.failures} of ${s.health.samples} samples failed; last: ${s.health.lastError ?? 'unknown'}`,
      });
    }
    return out;
  }

  /** Stop sampling, stop started commands (SIGTERM, then SIGKILL after the grace), release everything. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.inFlight;
    const grace = this.config.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    await Promise.all(
      this.commands.map(async (c) => {
        const { killed } = await c.command.stop(grace);
        if (killed) {
          this.notes.push({ code: 'MONITOR_TARGET_KILLED', severity: 'info', message: `monitored command "${c.command.command}" did not stop within ${grace} ms of SIGTERM and was killed` });
        }
      }),
    );
    await Promise.all(this.sources.map((s) => s.close().catch(() => undefined)));
  }
}

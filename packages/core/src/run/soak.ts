/**
 * The soak half of a run: monitoring started before the load (a --monitor-cmd target is
 * started and awaited until it accepts connections), samples joined to intervals, and at the
 * end the trends, the one-line soak verdict and the monitor's health put into the summary.
 */
import { cannotProceed } from '../errors.js';
import type { Interval, Summary, Warning } from '../metrics/model.js';
import { DEFAULT_READY_TIMEOUT_MS, Monitor, type MonitorConfig } from '../monitor/index.js';
import { computeTrends, soakVerdict, steadyWindow } from '../soak/index.js';
import type { TrendPoints } from '../soak/trends.js';
import { preflight } from './preflight.js';

export interface SoakOptions {
  /** Monitor the target, the generator and its host during the run (docs/soak.md). */
  monitor?: MonitorConfig;
  /** Leave this much of the run's start out of trends (default: 10 % of the run, at most 5 min). */
  trendWarmupMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll the target until it accepts a connection; fail early if a started command exits. */
async function waitForTarget(m: Monitor, target: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const host = new URL(target).host;
  for (;;) {
    const exited = m.exitedCommand();
    if (exited) {
      const e = exited.exit!;
      throw cannotProceed(
        'E_MONITOR_CMD_EXITED',
        `the monitored command "${exited.command}" exited (${e.signal ? `signal ${e.signal}` : `code ${e.code}`}) before ${host} accepted connections`,
        `see ${exited.stderrPath}`,
      );
    }
    try {
      await preflight(target, 1000);
      return;
    } catch (err) {
      if (performance.now() >= deadline) {
        throw cannotProceed('E_TARGET_UNREACHABLE', `${host} did not accept connections within ${timeoutMs} ms of starting the monitored command`, 'is the command listening on the scenario\'s target address?');
      }
    }
    await sleep(100);
  }
}

/** Build the monitor and start its commands (waiting for the target); null when nothing is monitored. */
export async function startMonitoring(config: MonitorConfig | undefined, target: string, intervalMs: number): Promise<Monitor | null> {
  if (!config) return null;
  const m = new Monitor(config, intervalMs);
  if (m.commands.length === 0) return m;
  m.startCommands();
  try {
    await waitForTarget(m, target, config.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  } catch (err) {
    await m.stop();
    throw err;
  }
  return m;
}

/** Join the latest sample to an interval about to be reported, and ask for the next one. */
export function joinSample(m: Monitor | null, i: Interval): void {
  if (!m) return;
  const sample = m.take();
  if (sample) {
    i.monitor = sample.values;
    i.monitorAt = sample.at;
  }
  m.sampleNow();
}

/** Trends, soak verdict and monitor health into the summary; returns the monitor's warnings. */
export function finishSoak(summary: Summary, points: TrendPoints, m: Monitor | null, o: { stagesMs: readonly number[]; trendWarmupMs?: number }): Warning[] {
  const window = steadyWindow({ stagesMs: o.stagesMs, runMs: summary.durationMs, warmupMs: o.trendWarmupMs });
  summary.trends = computeTrends(points, { ...window, intervalMs: summary.meta.intervalMs });
  summary.soak = soakVerdict(summary.trends, window.fromMs, window.toMs);
  if (!m) return [];
  summary.monitor = m.health();
  return m.warnings();
}

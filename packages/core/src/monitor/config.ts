/**
 * What to monitor during a run, and the series names each source writes (metrics/series.ts):
 *
 *   process (--monitor-pid, --monitor-cmd)  <prefix>.rss .cpu .fds .threads .tcp.<state>
 *   scraped endpoint (--monitor-url)        <prefix>.<prometheus series>   (counters: <name>.rate, per second)
 *   the generator                           generator.heap .rss .cpu .lag
 *   its host                                host.cpu .mem.used .load1
 *
 * <prefix> is "target" when there is one process source, named or not (and "target" for one endpoint);
 * with several of a kind each gets "target.<name>", the name given as NAME=… or defaulted
 * (pid<PID>, cmd, cmd2, url, url2, …).
 */
import { badInput } from '../errors.js';

export interface MonitorConfig {
  /** Running processes to sample, by pid. */
  pids?: ReadonlyArray<{
    /** Process id (an integer). */
    pid: number;
    name?: string;
  }>;
  /** Commands to start (via /bin/sh), sample and stop at the end. */
  commands?: ReadonlyArray<{ command: string; name?: string }>;
  /** Prometheus text endpoints to scrape every interval. */
  urls?: ReadonlyArray<{ url: string; name?: string }>;
  /** Series kept from scraped endpoints: names, optionally with {label="value"} (default DEFAULT_SCRAPED_SERIES). */
  series?: readonly string[];
  /** Sample the generator process itself: main-thread heap, RSS, CPU, event-loop lag (default true). */
  generator?: boolean;
  /** Sample the host: CPU, memory used, load average (default true). */
  host?: boolean;
  /** Where a started command's stdout and stderr are written (default: the working directory). */
  logDir?: string;
  /** After SIGTERM, wait this long before SIGKILL (default 5 s). */
  stopGraceMs?: number;
  /** How long a started command's target may take to accept connections (default 30 s). */
  readyTimeoutMs?: number;
}

export const DEFAULT_SCRAPED_SERIES: readonly string[] = [
  'process_resident_memory_bytes',
  'nodejs_heap_size_used_bytes',
  'process_open_fds',
  'nodejs_active_handles_total',
  'process_cpu_seconds_total',
];

export const DEFAULT_STOP_GRACE_MS = 5000;
export const DEFAULT_READY_TIMEOUT_MS = 30_000;

export interface NamedSource<T> {
  spec: T;
  /** The series prefix: "target" or "target.<name>". */
  prefix: string;
}

const NAME = /^[A-Za-z_][\w-]*$/;

function prefixes<T extends { name?: string }>(items: readonly T[], fallback: (item: T, i: number) => string): Array<NamedSource<T>> {
  const single = items.length === 1;
  const seen = new Set<string>();
  return items.map((spec, i) => {
    const name = spec.name ?? fallback(spec, i);
    if (!NAME.test(name)) throw badInput('E_BAD_OPTION', `monitor name "${name}" must be letters, digits, "_" or "-"`);
    if (seen.has(name)) throw badInput('E_BAD_OPTION', `two monitored sources are named "${name}"`, 'give each a distinct NAME=');
    seen.add(name);
    return { spec, prefix: single ? 'target' : `target.${name}` };
  });
}

export interface PlannedSources {
  processes: Array<NamedSource<{ pid?: number; command?: string; name?: string }>>;
  urls: Array<NamedSource<{ url: string; name?: string }>>;
}

/** The sources of a config with their series prefixes; bad names or pids are bad input. */
export function planSources(c: MonitorConfig): PlannedSources {
  for (const p of c.pids ?? []) {
    if (!Number.isInteger(p.pid) || p.pid <= 0) throw badInput('E_BAD_OPTION', `--monitor-pid: "${p.pid}" is not a process id`);
  }
  for (const u of c.urls ?? []) {
    let url: URL;
    try {
      url = new URL(u.url);
    } catch {
      throw badInput('E_BAD_OPTION', `--monitor-url: "${u.url}" is not a URL`, 'e.g. http://127.0.0.1:9100/metrics');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput('E_BAD_OPTION', `--monitor-url: "${u.url}" is not http(s)`);
  }
  for (const cmd of c.commands ?? []) if (cmd.command.trim() === '') throw badInput('E_BAD_OPTION', '--monitor-cmd: the command is empty');
  type Proc = { pid?: number; command?: string; name?: string };
  const procs: Proc[] = [...(c.pids ?? []).map((p) => ({ pid: p.pid, name: p.name })), ...(c.commands ?? []).map((x) => ({ command: x.command, name: x.name }))];
  let cmds = 0;
  const processes = prefixes(procs, (p) => (p.pid !== undefined ? `pid${p.pid}` : ++cmds === 1 ? 'cmd' : `cmd${cmds}`));
  const urls = prefixes(c.urls ?? [], (_u, i) => (i === 0 ? 'url' : `url${i + 1}`));
  for (const s of c.series ?? []) parseSeriesSelector(s);
  return { processes, urls };
}

/** "NAME=value" or "value": the optional name of a --monitor-pid or --monitor-url value. */
export function splitName(value: string): { name?: string; value: string } {
  const m = /^([A-Za-z_][\w-]*)=(.*)$/.exec(value);
  return m ? { name: m[1], value: m[2] } : { value };
}

/** A scraped series: its family name and the labels a sample must carry (all of them). */
export interface SeriesSelector {
  text: string;
  name: string;
  labels: Record<string, string>;
}

export function parseSeriesSelector(text: string): SeriesSelector {
  const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?$/.exec(text.trim());
  if (!m) throw badInput('E_BAD_OPTION', `--monitor-series: "${text}" is not a series`, 'a Prometheus name, optionally with labels: nodejs_heap_space_size_used_bytes{space="old"}');
  const labels: Record<string, string> = {};
  const body = m[2]?.trim() ?? '';
  if (body !== '') {
    const re = /\s*([A-Za-z_]\w*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/gy;
    let at = 0;
    for (let x = re.exec(body); x; x = re.exec(body)) {
      labels[x[1]] = x[2].replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
      at = re.lastIndex;
      if (at >= body.length) break;
    }
    if (at < body.length) throw badInput('E_BAD_OPTION', `--monitor-series: cannot read the labels of "${text}"`, 'labels as name="value", separated by commas');
  }
  return { text: text.trim(), name: m[1], labels };
}

import { Flags } from '@oclif/core';
import { DEFAULT_HTTP_CLIENT, HTTP_CLIENTS, parseDuration, parseSegment, type Segment } from '@loadctl/core';
import { parseStartAt } from '@loadctl/core/internal';

/** A duration flag (`30s`, `5m`, `1h30m`) parsed to milliseconds. */
export const durationFlag = Flags.custom<number>({
  parse: async (input) => {
    const ms = parseDuration(input);
    if (ms === undefined || ms <= 0) throw new Error(`"${input}" is not a duration; use e.g. 500ms, 30s, 5m, 1h30m`);
    return ms;
  },
});

/** A duration flag that may be 0 (`0`, `30s`, `5m`). */
export const durationOrZeroFlag = Flags.custom<number>({
  parse: async (input) => {
    const ms = input.trim() === '0' ? 0 : parseDuration(input);
    if (ms === undefined || ms < 0) throw new Error(`"${input}" is not a duration; use e.g. 0, 30s, 5m`);
    return ms;
  },
});

/** A positive whole number flag. */
export const countFlag = Flags.custom<number>({
  parse: async (input) => {
    const n = Number(input);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`"${input}" is not a positive whole number`);
    return n;
  },
});

/** A positive number flag (rates may be fractional). */
export const positiveFlag = Flags.custom<number>({
  parse: async (input) => {
    const n = Number(input);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`"${input}" is not a positive number`);
    return n;
  },
});

/** The load ceiling option from --[no-]load-ceiling. */
export function loadCeilingOf(flags: { 'load-ceiling'?: boolean }): false | undefined {
  return flags['load-ceiling'] === false ? false : undefined;
}

/** Core's errors as the plain Error oclif reports as a flag problem (exit 2), with the hint. */
function plainError<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    const e = err as { message: string; hint?: string };
    throw new Error(e.hint ? `${e.message} (${e.hint})` : e.message);
  }
}

/** `--segment k/n` or `from:to`: this machine's part of a run split over several. */
export const segmentFlag = Flags.custom<Segment>({
  parse: async (input) => plainError(() => parseSegment(input)),
});

/** `--start-at <ISO date-time with zone>`, to epoch ms. */
export const startAtFlag = Flags.custom<number>({
  parse: async (input) => plainError(() => parseStartAt(input)),
});

/** Flags that split one run over several machines (`run`). */
export const shardFlags = {
  segment: segmentFlag({ description: 'run only this part of the load: k/n (e.g. 2/4) or from:to (e.g. 0.25:0.5); merge the parts with `loadctl merge`' }),
  'start-at': startAtFlag({ description: 'start the load at this ISO 8601 time (with zone, e.g. 2025-06-01T12:00:00Z), so independently started shards begin together' }),
  'start-tolerance': durationFlag({ description: 'how far in the past --start-at may be before the run is refused (default 30s)' }),
};

/** --checkpoint's help (quick adds that it needs --out-dir). */
export const CHECKPOINT_HELP =
  'save the cumulative figures to checkpoint.json in the output directory this often, so that `loadctl report DIR` works after a kill (default 1m)';

/** `--seed`: the run's PRNG seed (run, quick), so template randomness, random rows and think times replay. */
export const seedFlag = Flags.integer({
  description: "seed of the run's random numbers (randomInt, pick, random data rows, think times): the same seed replays them; the result records the one used (meta.seed)",
  min: 0,
  max: 2 ** 32 - 1,
});

/** Flags of every load-producing command: workers, output and reporters. */
export const runFlags = {
  workers: countFlag({ description: 'worker threads generating load (default: CPU cores - 1)' }),
  'load-ceiling': Flags.boolean({
    description: 'refuse users, rates and connections beyond what one machine can hold (per worker: 20 000 users or connections, 100 000/s); --no-load-ceiling lifts it',
    default: true,
    allowNo: true,
  }),
  warmup: durationOrZeroFlag({
    description: 'send unmeasured load this long first, so the numbers start with a warm JIT; 0 turns it off (default 2s, at most a tenth of the run; none when the run writes or is bounded by -n/iterations)',
  }),
  'http-client': Flags.string({
    description: `HTTP client for http:// targets: fast (lean HTTP/1.1 over sockets) or undici; https always uses undici (default ${DEFAULT_HTTP_CLIENT})`,
    options: [...HTTP_CLIENTS],
  }),
  json: Flags.boolean({ description: 'print the summary as JSON on stdout (live progress stays on stderr)' }),
  quiet: Flags.boolean({ char: 'q', description: 'no live progress line; summary only' }),
  'out-dir': Flags.string({ description: 'write result.json, junit.xml, report.html, the timeline (timeline.jsonl) and checkpoints into this directory' }),
  checkpoint: durationFlag({ description: CHECKPOINT_HELP }),
  out: Flags.string({ char: 'o', description: 'write the result file (result.json) here' }),
  html: Flags.string({ description: 'write the HTML report here' }),
  junit: Flags.string({ description: 'write JUnit XML (thresholds and checks as test cases) here' }),
  reporter: Flags.string({ description: 'stream results to a sink during the run (influxdb, prometheus), or use a reporter module of your own (./my-reporter.mjs: default export (options) => Reporter); repeatable', multiple: true }),
  'influxdb-url': Flags.string({ description: 'InfluxDB URL (env LOADCTL_INFLUXDB_URL)', env: 'LOADCTL_INFLUXDB_URL' }),
  'influxdb-db': Flags.string({ description: 'InfluxDB 1.x database (v1 write API)', env: 'LOADCTL_INFLUXDB_DB' }),
  'influxdb-rp': Flags.string({ description: 'InfluxDB 1.x retention policy' }),
  'influxdb-org': Flags.string({ description: 'InfluxDB 2.x organization (v2 write API)', env: 'LOADCTL_INFLUXDB_ORG' }),
  'influxdb-bucket': Flags.string({ description: 'InfluxDB 2.x bucket (v2 write API)', env: 'LOADCTL_INFLUXDB_BUCKET' }),
  'influxdb-flush': durationFlag({ description: 'how often points are written (default 5s)' }),
  'prometheus-port': Flags.integer({ description: 'serve Prometheus /metrics on this port during the run', min: 0, max: 65535 }),
  debug: Flags.boolean({ description: 'show stack traces for errors' }),
  ...monitorFlags(),
};

/** Monitoring and trend flags (docs/soak.md). */
function monitorFlags() {
  return {
    'monitor-pid': Flags.string({ description: 'sample this process every interval: RSS, CPU, descriptors, threads, TCP connections per state ([NAME=]PID, repeatable)', multiple: true }),
    'monitor-cmd': Flags.string({ description: "start the target with this command (e.g. 'node server.js'), monitor it, stop it at the end; its output goes to the out dir (repeatable)", multiple: true }),
    'monitor-url': Flags.string({ description: 'scrape this Prometheus text endpoint every interval ([NAME=]URL, repeatable)', multiple: true }),
    'monitor-series': Flags.string({ description: 'series to keep from --monitor-url, e.g. process_resident_memory_bytes or name{label="v"} (repeatable; default: RSS, heap, fds, handles, CPU)', multiple: true }),
    'monitor-self': Flags.boolean({ description: "sample loadctl itself and its host too: heap, CPU, event-loop lag, host CPU, memory, load (--no-monitor-self to skip)", default: true, allowNo: true }),
    'trend-warmup': durationOrZeroFlag({ description: 'leave this much of the start out of trends and the soak verdict (default: 10% of the run, at most 5m)' }),
  };
}

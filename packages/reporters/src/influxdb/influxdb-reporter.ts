import { inspect } from 'node:util';
import type { Interval, Reporter, ReporterLosses, RunMeta, Summary } from '@loadctl/core';
import {
  InfluxReporterConfigError,
  influxOptionsFromConfig,
  resolveInfluxOptions,
  type InfluxDBReporterOptions,
  type ResolvedInfluxOptions,
} from './options.js';
import { baseTags, endEvent, intervalLines, loadTagsOf, startEvent, summaryLines } from './points.js';
import { V1Sender, V2Sender, type LineSender } from './senders.js';
import { BufferedWriter, type WriteStats } from './writer.js';

/**
 * Streams a run to InfluxDB (1.x `/write` or the 2.x `/api/v2/write` API).
 *
 * `interval()` only turns the interval into line protocol and queues it; a
 * timer sends the queue every `flushIntervalMs` in the background. While the
 * server is slow or down, points wait in a bounded buffer (oldest dropped
 * first when full) and writes are retried with exponential backoff. `end()`
 * adds the summary and the end annotation and flushes for at most
 * `endTimeoutMs`. `notes()` accounts for every point: written, dropped (buffer
 * full / rejected by the server / unsent at the end).
 */
export class InfluxDBReporter implements Reporter {
  readonly name = 'influxdb';
  readonly kind = 'sink' as const;
  readonly #options: ResolvedInfluxOptions;
  readonly #sender: LineSender;
  readonly #writer: BufferedWriter;
  #tags: Record<string, string>;
  /** Side-by-side loads: the tags of each load's points. */
  #loadTags: Record<string, Record<string, string>> = {};
  #timer: NodeJS.Timeout | undefined;
  #ended = false;

  constructor(options: InfluxDBReporterOptions) {
    const o = resolveInfluxOptions(options);
    this.#options = o;
    this.#sender =
      o.version === 1
        ? new V1Sender({ url: o.url, db: o.db!, rp: o.rp, username: o.username, password: o.password })
        : new V2Sender({ url: o.url, org: o.org!, bucket: o.bucket!, token: o.token, requestTimeoutMs: o.requestTimeoutMs });
    this.#writer = new BufferedWriter(this.#sender, o);
    this.#tags = baseTags(undefined, o.tags);
  }

  /** Where points go, e.g. "http://127.0.0.1:8086 (v1 db=loadctl)". Never includes credentials. */
  get target(): string {
    return this.#sender.target;
  }

  start(meta: RunMeta): void {
    this.#tags = baseTags(meta, this.#options.tags);
    this.#loadTags = loadTagsOf(meta, this.#options.tags);
    this.#writer.add([startEvent(meta, this.#tags)]);
    if (!this.#timer) {
      this.#timer = setInterval(() => this.#writer.flush(), this.#options.flushIntervalMs);
      this.#timer.unref();
    }
  }

  interval(interval: Interval): void {
    if (this.#ended) return;
    this.#writer.add(intervalLines(interval, this.#tags, this.#loadTags));
  }

  async end(summary: Summary): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    const tags = baseTags(summary.meta, this.#options.tags);
    this.#writer.add([...summaryLines(summary, tags, loadTagsOf(summary.meta, this.#options.tags)), endEvent(summary, tags)]);
    await this.#writer.drain(this.#options.endTimeoutMs);
  }

  /** Exact point accounting (see WriteStats). */
  stats(): WriteStats {
    return this.#writer.stats();
  }

  /** Points that never reached InfluxDB and failed write requests: a warning of the run. */
  losses(): ReporterLosses {
    const s = this.#writer.stats();
    return {
      unit: 'points',
      total: s.points,
      lost: s.droppedBufferFull + s.rejected + s.unsentAtEnd,
      failures: s.failedRequests,
      ...(s.lastError ? { lastError: s.lastError } : {}),
    };
  }

  notes(): string[] {
    const s = this.#writer.stats();
    const dropped = s.droppedBufferFull + s.rejected + s.unsentAtEnd;
    const lines = [
      `influxdb ${this.#sender.target}: points written ${s.written}, write retries ${s.retries}, dropped ${dropped}` +
        (dropped > 0 ? ` (buffer full ${s.droppedBufferFull}, rejected ${s.rejected}, unsent at end ${s.unsentAtEnd})` : '') +
        (s.pending > 0 ? `, pending ${s.pending}` : ''),
    ];
    if (s.points > 0 && s.written === 0 && (this.#ended || s.failedRequests > 0)) {
      lines.push(
        `warning: no points reached InfluxDB at ${this.#options.url}` + (s.lastError ? ` (last error: ${s.lastError})` : ''),
      );
    } else if (dropped > 0) {
      lines.push(`warning: ${dropped} of ${s.points} points lost` + (s.lastError ? ` (last error: ${s.lastError})` : ''));
    }
    return lines;
  }

  toString(): string {
    return `InfluxDBReporter(${this.#sender.target})`;
  }

  toJSON(): Record<string, unknown> {
    const { password: _p, token: _t, ...safe } = this.#options;
    return { name: this.name, ...safe, ...(_p ? { password: '***' } : {}), ...(_t ? { token: '***' } : {}) };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** Config keys (YAML naming) for the option names resolveInfluxOptions reports. */
const OPTION_TO_CONFIG_KEY: Record<string, string> = {
  flushIntervalMs: 'flushInterval',
  minRetryDelayMs: 'minRetryDelay',
  maxRetryDelayMs: 'maxRetryDelay',
  requestTimeoutMs: 'timeout',
  endTimeoutMs: 'endTimeout',
};

/**
 * Build the reporter from a scenario `reporters:` entry, e.g.
 * `{ type: influxdb, url, version: 1, db, rp, flushInterval: 5s, tags }`. Pass secrets
 * merged from `influxOptionsFromEnv()`. Errors are InfluxReporterConfigError naming the key.
 */
export function createInfluxReporter(config: Record<string, unknown>): InfluxDBReporter {
  const options = influxOptionsFromConfig(config);
  const usesOptionNames = new Set(Object.keys(config));
  try {
    return new InfluxDBReporter(options);
  } catch (err) {
    if (err instanceof InfluxReporterConfigError && err.key && OPTION_TO_CONFIG_KEY[err.key] && !usesOptionNames.has(err.key)) {
      const key = OPTION_TO_CONFIG_KEY[err.key]!;
      throw new InfluxReporterConfigError(err.message.replace(/^influxdb reporter: /, '').split(`"${err.key}"`).join(`"${key}"`), key);
    }
    throw err;
  }
}

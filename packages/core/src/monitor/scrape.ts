/**
 * --monitor-url: a Prometheus text endpoint scraped every interval (parsed by
 * parse-prometheus-text-format). Each selected series is summed over the samples whose labels
 * match its selector. Gauges (and untyped series) are kept as they are; counters become a rate
 * per second between two scrapes, under "<name>.rate". `name_count` / `name_sum` select the
 * count and sum of a histogram or summary `name` (as counters).
 */
/// <reference path="../types/parse-prometheus-text-format.d.ts" />
import parsePrometheusTextFormat, { type PromFamily, type PromSample } from 'parse-prometheus-text-format';
import type { MonitorSourceHealth, MonitorValues } from '../metrics/model.js';
import { parseSeriesSelector, type SeriesSelector } from './config.js';
import type { Source } from './source.js';

/** Longest a scrape may take; a slower endpoint counts as a failed sample. */
export const MAX_SCRAPE_MS = 5000;
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The URL without credentials and query string, for messages and results. */
export function describeUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
}

function matches(sample: PromSample, sel: SeriesSelector): boolean {
  for (const k in sel.labels) if (sample.labels?.[k] !== sel.labels[k]) return false;
  return true;
}

/** The selected value (summed over matching samples) and whether it is a counter; undefined when absent. */
function pickSeries(families: readonly PromFamily[], sel: SeriesSelector): { value: number; counter: boolean } | undefined {
  const byName = new Map(families.map((f) => [f.name, f]));
  let field: 'value' | 'count' | 'sum' = 'value';
  let family = byName.get(sel.name);
  if (!family) {
    const m = /^(.*)_(count|sum)$/.exec(sel.name);
    const parent = m ? byName.get(m[1]) : undefined;
    if (m && parent && (parent.type === 'HISTOGRAM' || parent.type === 'SUMMARY')) {
      family = parent;
      field = m[2] as 'count' | 'sum';
    }
  }
  if (!family) return undefined;
  let sum = 0;
  let seen = false;
  for (const s of family.metrics) {
    if (!matches(s, sel)) continue;
    const v = Number(s[field]);
    if (!Number.isFinite(v)) continue;
    sum += v;
    seen = true;
  }
  if (!seen) return undefined;
  return { value: sum, counter: family.type === 'COUNTER' || field !== 'value' };
}

export class ScrapeSource implements Source {
  readonly health: MonitorSourceHealth;
  private readonly selectors: SeriesSelector[];
  private readonly previous = new Map<string, { value: number; at: number }>();

  constructor(
    private readonly url: string,
    prefix: string,
    series: readonly string[],
    private readonly timeoutMs: number,
  ) {
    this.selectors = series.map(parseSeriesSelector);
    this.health = { name: prefix, kind: 'url', what: describeUrl(url), samples: 0, failures: 0 };
  }

  async sample(out: MonitorValues): Promise<void> {
    const at = performance.now();
    const res = await fetch(this.url, { signal: AbortSignal.timeout(Math.min(this.timeoutMs, MAX_SCRAPE_MS)), headers: { accept: 'text/plain;version=0.0.4' } });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`${this.health.what} answered ${res.status}`);
    }
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_BODY_BYTES) {
      await res.body?.cancel();
      throw new Error(`${this.health.what}: ${length} bytes is more than a metrics page should be`);
    }
    const families = parsePrometheusTextFormat(await res.text());
    const missing: string[] = [];
    for (const sel of this.selectors) {
      const v = pickSeries(families, sel);
      if (!v) {
        missing.push(sel.text);
        continue;
      }
      const key = sel.text;
      if (!v.counter) {
        out[key] = v.value;
        continue;
      }
      const prev = this.previous.get(key);
      this.previous.set(key, { value: v.value, at });
      // A counter that went down was reset (the target restarted): no rate for this sample.
      if (prev && at > prev.at && v.value >= prev.value) out[`${key}.rate`] = ((v.value - prev.value) * 1000) / (at - prev.at);
    }
    if (missing.length > 0) this.health.lastError = `not exposed: ${missing.join(', ')}`;
  }

  async close(): Promise<void> {}
}

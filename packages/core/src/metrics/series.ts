/**
 * Names and units of the time series a run can carry beside its request stats: monitored
 * target processes, scraped Prometheus endpoints, the generator and its host (Interval.monitor),
 * and the derived performance series that trends are computed for.
 *
 * Names are dotted: `target.rss`, `target.tcp.established`, `target.api.fds` (a named target
 * when several are monitored), `target.nodejs_heap_size_used_bytes` (a scraped series),
 * `generator.heap`, `host.cpu`, plus `latency.p99`, `error_rate` and `rps`.
 */

/** Unit of a series' values (a trend's slope is this unit per hour). */
export type SeriesUnit = 'bytes' | 'ms' | 's' | 'ratio' | 'count' | '1/s' | '';

const EXACT: Record<string, SeriesUnit> = {
  error_rate: 'ratio',
  rps: '1/s',
};

/** The unit of a series, from its name: loadctl's own names, then Prometheus naming conventions. */
export function seriesUnit(name: string): SeriesUnit {
  const known = EXACT[name];
  if (known !== undefined) return known;
  if (name.startsWith('latency.')) return 'ms';
  // A scraped series keeps its Prometheus name (possibly with a {label="…"} selector);
  // a counter is kept as its rate per second, "<name>.rate".
  const rate = name.endsWith('.rate');
  const base = (rate ? name.slice(0, -5) : name).replace(/\{.*\}$/, '');
  const last = base.slice(base.lastIndexOf('.') + 1);
  if (rate) return /_seconds(_total)?$/.test(last) ? 'ratio' : '1/s'; // seconds per second: a CPU share
  if (/_bytes$/.test(last)) return 'bytes';
  if (/_seconds$/.test(last)) return 's';
  if (/_ratio$/.test(last)) return 'ratio';
  switch (last) {
    case 'rss':
    case 'heap':
    case 'used':
      return 'bytes';
    case 'cpu':
    case 'elu':
      return 'ratio';
    case 'lag':
      return 'ms';
    case 'load1':
      return '';
    default:
      return 'count';
  }
}

/** What a rising value of the series means: worse performance, or a resource piling up. */
export function seriesDirection(name: string): { bad: 'up' | 'down'; word: 'growing' | 'degrading' } {
  if (name === 'rps') return { bad: 'down', word: 'degrading' };
  if (name === 'error_rate' || name.startsWith('latency.')) return { bad: 'up', word: 'degrading' };
  return { bad: 'up', word: 'growing' };
}

function trim(v: number, digits: number): string {
  return String(Number(v.toFixed(digits)));
}

/** A value of a series in a human unit: 12.3 MB, 4.5 ms, 12%, 42, 3.2/s. */
export function formatSeriesValue(value: number, unit: SeriesUnit): string {
  const a = Math.abs(value);
  switch (unit) {
    case 'bytes': {
      const units = ['B', 'kB', 'MB', 'GB', 'TB'];
      let v = a;
      let u = 0;
      while (v >= 1000 && u < units.length - 1) {
        v /= 1000;
        u++;
      }
      return `${value < 0 ? '-' : ''}${trim(v, v >= 100 ? 0 : 1)} ${units[u]}`;
    }
    case 'ms':
      return `${trim(value, a >= 100 ? 0 : a >= 1 ? 1 : 3)} ms`;
    case 's':
      return `${trim(value, a >= 10 ? 1 : 3)} s`;
    case 'ratio':
      return `${trim(value * 100, a >= 1 ? 0 : a >= 0.1 ? 1 : 2)}%`;
    case '1/s':
      return `${trim(value, a >= 100 ? 0 : 1)}/s`;
    default:
      return trim(value, a >= 100 ? 0 : a >= 1 ? 1 : 3);
  }
}

/** A slope per hour in a human unit, signed: "+12.3 MB/h", "-4 ms/h", "+0.5%/h" (percentage points). */
export function formatSlope(perHour: number, unit: SeriesUnit): string {
  const text = formatSeriesValue(perHour, unit);
  const sign = perHour > 0 ? '+' : '';
  return `${sign}${text}${unit === '' || unit === 'count' ? '/h' : unit === '1/s' ? ' per h' : '/h'}`;
}

import { PrometheusReporter, PrometheusReporterError, type PrometheusReporterOptions } from './prometheus-reporter.js';

const KEYS = ['type', 'port', 'host', 'path', 'linger', 'lingerMs', 'labels'] as const;

function bad(key: string, message: string): PrometheusReporterError {
  const e = new PrometheusReporterError('E_REPORTER_CONFIG', `"${key}" ${message}`);
  (e as PrometheusReporterError & { key?: string }).key = key;
  return e;
}

function durationMs(key: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value);
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value) : null;
  if (!m) throw bad(key, `must be a duration like "15s" or "500ms", got ${JSON.stringify(value)}`);
  const unit = m[2] ?? 'ms';
  return Math.round(Number(m[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000));
}

/**
 * Build the reporter from a scenario `reporters:` entry
 * (`{ type: prometheus, port: 9464, host, path, linger: 15s, labels }`);
 * unknown keys and bad values throw a PrometheusReporterError (code E_REPORTER_CONFIG) naming the key.
 */
export function createPrometheusReporter(config: Record<string, unknown>): PrometheusReporter {
  const o: PrometheusReporterOptions = {};
  for (const [key, value] of Object.entries(config ?? {})) {
    if (value === undefined || value === null) continue;
    switch (key as (typeof KEYS)[number]) {
      case 'type':
        if (value !== 'prometheus') throw bad('type', `must be "prometheus", got ${JSON.stringify(value)}`);
        break;
      case 'port': {
        const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) throw bad('port', `must be an integer 0..65535, got ${JSON.stringify(value)}`);
        o.port = n;
        break;
      }
      case 'host':
        if (typeof value !== 'string' || value === '') throw bad('host', `must be a non-empty string, got ${JSON.stringify(value)}`);
        o.host = value;
        break;
      case 'path':
        if (typeof value !== 'string' || !value.startsWith('/')) throw bad('path', `must start with "/", got ${JSON.stringify(value)}`);
        o.path = value;
        break;
      case 'linger':
      case 'lingerMs':
        o.lingerMs = durationMs(key, value);
        break;
      case 'labels':
        if (typeof value !== 'object' || Array.isArray(value)) throw bad('labels', 'must be a map of strings');
        o.labels = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw bad(`labels.${k}`, 'must be a string');
          o.labels[k] = String(v);
        }
        break;
      default:
        throw bad(key, `is not a prometheus reporter option (known: ${KEYS.join(', ')})`);
    }
  }
  return new PrometheusReporter(o);
}

/**
 * Options of the InfluxDB reporter: the typed constructor options, the
 * validation shared by the constructor and by scenario `reporters:` entries,
 * and the environment variables the CLI reads secrets from.
 *
 * Secrets (token, password) are never echoed: not in errors, notes or toString.
 */
import { LoadctlError, parseDuration } from '@loadctl/core';

export interface InfluxDBReporterOptions {
  /** Base URL of the server, e.g. "http://127.0.0.1:8086" (no credentials in it). */
  url: string;
  /** Write API: 1 = InfluxDB 1.x `/write` (db, rp, username/password); 2 = `/api/v2/write` (org, bucket, token). Inferred from db/bucket when omitted. */
  version?: 1 | 2;
  /** v1: database (required) and retention policy (optional). */
  db?: string;
  rp?: string;
  /** v1: basic-auth credentials (optional). */
  username?: string;
  password?: string;
  /** v2: organization and bucket (required) and API token (optional for servers without auth, e.g. VictoriaMetrics). */
  org?: string;
  bucket?: string;
  token?: string;
  /** Extra tags on every point (in addition to the run's own tags). */
  tags?: Record<string, string>;
  /** How often buffered points are sent, ms (default 5000). Points are per interval either way. */
  flushIntervalMs?: number;
  /** Max points per write request (default 5000). */
  batchSize?: number;
  /** Max points held while the server is slow or down (default 100 000); beyond it the oldest are dropped (counted). */
  maxBufferPoints?: number;
  /** Retry backoff after a failed write: starts here (ms, default 1000) and doubles. */
  minRetryDelayMs?: number;
  /** Longest retry backoff (ms, default 30 000). */
  maxRetryDelayMs?: number;
  /** Per write request timeout, ms (default 10 000). */
  requestTimeoutMs?: number;
  /** How long `end()` may spend flushing what is left, ms (default 5000); what is still unsent then is counted as lost. */
  endTimeoutMs?: number;
}

export interface ResolvedInfluxOptions {
  url: string;
  version: 1 | 2;
  db?: string;
  rp?: string;
  username?: string;
  password?: string;
  org?: string;
  bucket?: string;
  token?: string;
  tags: Record<string, string>;
  flushIntervalMs: number;
  batchSize: number;
  maxBufferPoints: number;
  minRetryDelayMs: number;
  maxRetryDelayMs: number;
  requestTimeoutMs: number;
  endTimeoutMs: number;
}

export const INFLUX_DEFAULTS = {
  flushIntervalMs: 5000,
  batchSize: 5000,
  maxBufferPoints: 100_000,
  minRetryDelayMs: 1000,
  maxRetryDelayMs: 30_000,
  requestTimeoutMs: 10_000,
  endTimeoutMs: 5000,
} as const;

/** A bad reporter option; `key` names the option. Never contains secret values. */
export class InfluxReporterConfigError extends LoadctlError {
  declare readonly code: 'E_REPORTER_CONFIG';
  readonly key: string | undefined;
  constructor(message: string, key?: string) {
    super('E_REPORTER_CONFIG', `influxdb reporter: ${message}`, 2);
    this.name = 'InfluxReporterConfigError';
    this.key = key;
  }
}

const SECRET_KEYS = new Set(['token', 'password']);

function show(key: string, value: unknown): string {
  if (SECRET_KEYS.has(key)) return '(hidden)';
  const s = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return s.length > 60 ? s.slice(0, 60) + '…' : s;
}

function requireString(key: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new InfluxReporterConfigError(`"${key}" must be a non-empty string, got ${show(key, value)}`, key);
  }
  return value;
}

function requirePositiveInt(key: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InfluxReporterConfigError(`"${key}" must be an integer >= ${min}, got ${show(key, value)}`, key);
  }
  return value;
}

/** Validate and fill defaults. Throws InfluxReporterConfigError naming the bad option. */
export function resolveInfluxOptions(options: InfluxDBReporterOptions): ResolvedInfluxOptions {
  if (typeof options !== 'object' || options === null) throw new InfluxReporterConfigError('options must be an object');
  const urlText = requireString('url', options.url);
  if (urlText === undefined) throw new InfluxReporterConfigError('"url" is required (e.g. "http://127.0.0.1:8086")', 'url');
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new InfluxReporterConfigError(`"url" is not a valid URL: ${show('url', urlText.replace(/\/\/[^/@]*@/, '//***@'))}`, 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InfluxReporterConfigError(`"url" must be http or https, got ${url.protocol}`, 'url');
  }
  if (url.username || url.password) {
    throw new InfluxReporterConfigError('"url" must not contain credentials; use username/password (or LOADCTL_INFLUXDB_PASSWORD)', 'url');
  }
  if (url.search || url.hash) throw new InfluxReporterConfigError('"url" must not have a query string or fragment', 'url');

  const db = requireString('db', options.db);
  const rp = requireString('rp', options.rp);
  const org = requireString('org', options.org);
  const bucket = requireString('bucket', options.bucket);
  const username = requireString('username', options.username);
  const password = requireString('password', options.password);
  const token = requireString('token', options.token);

  let version = options.version;
  if (version === undefined) {
    if (db !== undefined && bucket === undefined) version = 1;
    else if (bucket !== undefined && db === undefined) version = 2;
    else throw new InfluxReporterConfigError('"version" is required (1 with db, or 2 with org and bucket)', 'version');
  }
  if (version !== 1 && version !== 2) {
    throw new InfluxReporterConfigError(`"version" must be 1 or 2, got ${show('version', version)}`, 'version');
  }
  // Credentials of the other version are ignored (not an error), so that all the
  // LOADCTL_INFLUXDB_* variables can be set at once; the locations may not be mixed.
  let secrets: { username?: string; password?: string; token?: string };
  if (version === 1) {
    if (db === undefined) throw new InfluxReporterConfigError('"db" is required for version 1', 'db');
    for (const [k, v] of [['org', org], ['bucket', bucket]] as const) {
      if (v !== undefined) throw new InfluxReporterConfigError(`"${k}" is for version 2; version 1 uses db/rp/username/password`, k);
    }
    if (password !== undefined && username === undefined) {
      throw new InfluxReporterConfigError('"password" given without "username"', 'username');
    }
    secrets = { username, password };
  } else {
    if (org === undefined) throw new InfluxReporterConfigError('"org" is required for version 2', 'org');
    if (bucket === undefined) throw new InfluxReporterConfigError('"bucket" is required for version 2', 'bucket');
    for (const [k, v] of [['db', db], ['rp', rp]] as const) {
      if (v !== undefined) throw new InfluxReporterConfigError(`"${k}" is for version 1; version 2 uses org/bucket/token`, k);
    }
    secrets = { token };
  }

  const tags: Record<string, string> = {};
  if (options.tags !== undefined) {
    if (typeof options.tags !== 'object' || options.tags === null || Array.isArray(options.tags)) {
      throw new InfluxReporterConfigError('"tags" must be a map of strings', 'tags');
    }
    for (const [k, v] of Object.entries(options.tags)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw new InfluxReporterConfigError(`"tags.${k}" must be a string, got ${show(k, v)}`, `tags.${k}`);
      }
      if (k === '') throw new InfluxReporterConfigError('"tags" has an empty key', 'tags');
      tags[k] = String(v);
    }
  }

  const maxBufferPoints = requirePositiveInt('maxBufferPoints', options.maxBufferPoints, INFLUX_DEFAULTS.maxBufferPoints);
  const minRetryDelayMs = requirePositiveInt('minRetryDelayMs', options.minRetryDelayMs, INFLUX_DEFAULTS.minRetryDelayMs);
  const maxRetryDelayMs = requirePositiveInt('maxRetryDelayMs', options.maxRetryDelayMs, Math.max(INFLUX_DEFAULTS.maxRetryDelayMs, minRetryDelayMs));
  if (maxRetryDelayMs < minRetryDelayMs) {
    throw new InfluxReporterConfigError(`"maxRetryDelayMs" (${maxRetryDelayMs}) must be >= "minRetryDelayMs" (${minRetryDelayMs})`, 'maxRetryDelayMs');
  }
  const resolved: ResolvedInfluxOptions = {
    url: url.toString().replace(/\/+$/, ''),
    version,
    tags,
    flushIntervalMs: requirePositiveInt('flushIntervalMs', options.flushIntervalMs, INFLUX_DEFAULTS.flushIntervalMs),
    batchSize: requirePositiveInt('batchSize', options.batchSize, INFLUX_DEFAULTS.batchSize),
    maxBufferPoints,
    minRetryDelayMs,
    maxRetryDelayMs,
    requestTimeoutMs: requirePositiveInt('requestTimeoutMs', options.requestTimeoutMs, INFLUX_DEFAULTS.requestTimeoutMs),
    endTimeoutMs: requirePositiveInt('endTimeoutMs', options.endTimeoutMs, INFLUX_DEFAULTS.endTimeoutMs, 0),
  };
  const optional = { db, rp, org, bucket, ...secrets };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (resolved as unknown as Record<string, unknown>)[k] = v;
  return resolved;
}

/** Secrets from the environment: LOADCTL_INFLUXDB_TOKEN, LOADCTL_INFLUXDB_USERNAME, LOADCTL_INFLUXDB_PASSWORD (empty = unset). */
export function influxOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): Pick<InfluxDBReporterOptions, 'token' | 'username' | 'password'> {
  const out: Pick<InfluxDBReporterOptions, 'token' | 'username' | 'password'> = {};
  if (env.LOADCTL_INFLUXDB_TOKEN) out.token = env.LOADCTL_INFLUXDB_TOKEN;
  if (env.LOADCTL_INFLUXDB_USERNAME) out.username = env.LOADCTL_INFLUXDB_USERNAME;
  if (env.LOADCTL_INFLUXDB_PASSWORD) out.password = env.LOADCTL_INFLUXDB_PASSWORD;
  return out;
}

/** A number of ms, or a duration in core's grammar ("5s", "500ms", "1m30s"; see docs/scenario.md). */
function durationOption(key: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value);
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms !== undefined) return Math.round(ms);
  throw new InfluxReporterConfigError(`"${key}" must be a duration like "5s" or "500ms", got ${show(key, value)}`, key);
}

/** Keys of a scenario `reporters:` entry (YAML naming) and how they map to options. */
const CONFIG_KEYS = {
  type: null,
  url: 'url',
  version: 'version',
  db: 'db',
  rp: 'rp',
  username: 'username',
  password: 'password',
  org: 'org',
  bucket: 'bucket',
  token: 'token',
  tags: 'tags',
  flushInterval: 'flushIntervalMs',
  batchSize: 'batchSize',
  maxBufferPoints: 'maxBufferPoints',
  minRetryDelay: 'minRetryDelayMs',
  maxRetryDelay: 'maxRetryDelayMs',
  timeout: 'requestTimeoutMs',
  endTimeout: 'endTimeoutMs',
  // The option names are accepted too (numbers are ms either way).
  flushIntervalMs: 'flushIntervalMs',
  minRetryDelayMs: 'minRetryDelayMs',
  maxRetryDelayMs: 'maxRetryDelayMs',
  requestTimeoutMs: 'requestTimeoutMs',
  endTimeoutMs: 'endTimeoutMs',
} as const;

const DURATION_KEYS = new Set([
  'flushInterval',
  'minRetryDelay',
  'maxRetryDelay',
  'timeout',
  'endTimeout',
  'flushIntervalMs',
  'minRetryDelayMs',
  'maxRetryDelayMs',
  'requestTimeoutMs',
  'endTimeoutMs',
]);

/**
 * Turn a scenario `reporters:` entry ({ type: influxdb, url, version, db, rp, org, bucket,
 * flushInterval: 5s, tags, ... }) into typed options; unknown keys and bad values throw
 * an InfluxReporterConfigError naming the key.
 */
export function influxOptionsFromConfig(config: Record<string, unknown>): InfluxDBReporterOptions {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InfluxReporterConfigError('config must be a map');
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!(key in CONFIG_KEYS)) {
      throw new InfluxReporterConfigError(`unknown option "${key}" (known: ${Object.keys(CONFIG_KEYS).join(', ')})`, key);
    }
    const target = CONFIG_KEYS[key as keyof typeof CONFIG_KEYS];
    if (target === null) {
      if (value !== 'influxdb') throw new InfluxReporterConfigError(`"type" must be "influxdb", got ${show(key, value)}`, 'type');
      continue;
    }
    if (value === undefined || value === null) continue;
    if (key === 'version') {
      const v = typeof value === 'string' && /^[12]$/.test(value) ? Number(value) : value;
      if (v !== 1 && v !== 2) throw new InfluxReporterConfigError(`"version" must be 1 or 2, got ${show(key, value)}`, 'version');
      out.version = v;
    } else if (DURATION_KEYS.has(key)) {
      out[target] = durationOption(key, value);
    } else {
      out[target] = value;
    }
  }
  return out as unknown as InfluxDBReporterOptions;
}

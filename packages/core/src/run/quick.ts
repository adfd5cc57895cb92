/**
 * `quick`: an ab/hey/autocannon-style run against one URL, expressed as a
 * one-flow, one-step scenario so it goes through the same engine as `run`.
 */
import { badInput } from '../errors.js';
import type { RunResult } from '../metrics/model.js';
import type { HttpMethod, SingleLoadScenario } from '../scenario/model.js';
import { escapeTemplateText } from '../scenario/template.js';
import { REDACTED, redactUrlSecrets, secretHeaderNames } from '../scenario/redact.js';
import { ceilingProblem, type LoadCeilingKey } from '../scenario/ceiling.js';
import { execute, type ExecuteOptions } from './execute.js';
import { controlled, createRunHandle, type RunHandle } from './handle.js';

export interface QuickOptions extends Omit<ExecuteOptions, 'kind' | 'config' | 'model' | 'judge' | 'listener' | 'gracefulSignal'> {
  url: string;
  /** Connections (closed model: one request in flight each, times pipelining). Default 50. */
  connections?: number;
  /** Run length in ms. Default 10 s unless `requests` is given. */
  durationMs?: number;
  /** Stop after this many requests. */
  requests?: number;
  /** Open model: requests per second, latency measured from each scheduled send time. */
  rate?: number;
  /** Open model: requests allowed in flight; beyond it they are dropped and counted. Default max(100, rate). */
  maxInFlight?: number;
  method?: HttpMethod;
  headers?: Record<string, string>;
  body?: string;
  /** Per-request timeout in ms. Default 10 s. */
  timeoutMs?: number;
  /** HTTP pipelining depth per connection. Default 1. */
  pipelining?: number;
  /** More header names whose values are secret (beyond Authorization, Cookie, X-Api-Key, ...). */
  secretHeaders?: string[];
  /** More query parameter names whose values are secret (beyond api_key, token, sig, ...). */
  secretQuery?: string[];
  /** JavaScript hooks module path or file: URL (docs/hooks.md), as `RunOptions.hooks`. */
  hooks?: string;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const DAY_MS = 24 * 3600 * 1000;

function positiveInt(value: number | undefined, what: string): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value <= 0) throw badInput('E_BAD_OPTION', `${what} must be a positive whole number, got ${value}`);
}

function positive(value: number | undefined, what: string): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value <= 0) throw badInput('E_BAD_OPTION', `${what} must be a positive number, got ${value}`);
}

/** Validate quick options and build the equivalent scenario. */
export function quickScenario(o: QuickOptions): SingleLoadScenario {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw badInput('E_BAD_URL', `not a valid URL: "${o.url}"`, 'give a full URL such as http://127.0.0.1:8080/path');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badInput('E_BAD_URL', `unsupported protocol "${url.protocol}" in "${o.url}"`, 'use http:// or https://');
  }
  positiveInt(o.connections, 'connections (-c)');
  positive(o.durationMs, 'duration (-d)');
  positiveInt(o.requests, 'requests (-n)');
  positive(o.rate, 'rate (-r)');
  positiveInt(o.maxInFlight, 'max in flight');
  positive(o.timeoutMs, 'timeout');
  positiveInt(o.pipelining, 'pipelining');
  positiveInt(o.workers, 'workers');
  const method = (o.method ?? 'GET').toUpperCase() as HttpMethod;
  if (!METHODS.includes(method)) throw badInput('E_BAD_OPTION', `unknown method "${o.method}" (-m); expected one of ${METHODS.join(', ')}`);

  const connections = o.connections ?? 50;
  const timeoutMs = o.timeoutMs ?? 10_000;
  // quick sends what it is given, literally: no template expansion.
  const path = escapeTemplateText(`${url.pathname}${url.search}`);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.headers ?? {})) headers[k.toLowerCase()] = escapeTemplateText(v);
  let body: SingleLoadScenario['flows'][number]['steps'][number]['body'];
  if (o.body !== undefined) {
    const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
    body = { kind: 'raw', value: escapeTemplateText(o.body), contentType: hasType ? undefined : /^\s*[[{]/.test(o.body) ? 'application/json' : 'text/plain' };
  }

  let load: SingleLoadScenario['load'];
  if (o.rate !== undefined) {
    const durationMs = o.durationMs ?? (o.requests !== undefined ? (o.requests / o.rate) * 1000 : 10_000);
    load = {
      model: 'open',
      startRate: o.rate,
      stages: [{ durationMs, rate: o.rate }],
      maxInFlight: o.maxInFlight ?? Math.max(100, Math.ceil(o.rate)),
      connections,
    };
  } else {
    const durationMs = o.durationMs ?? (o.requests !== undefined ? DAY_MS : 10_000);
    load = { model: 'closed', stages: [{ durationMs, users: connections }], iterations: o.requests };
  }

  // Beyond what this machine can hold: bad input, naming the flag, before any load.
  const ceiling = { workers: o.workers, ceiling: o.loadCeiling };
  const figures: Array<[LoadCeilingKey, number | undefined, string]> =
    load.model === 'closed'
      ? [['connections', connections, '-c']]
      : [
          ['rate', o.rate, '-r'],
          ['connections', connections, '-c'],
          ['maxInFlight', o.maxInFlight, '--max-in-flight'],
        ];
  for (const [key, value, flag] of figures) {
    const p = value === undefined ? undefined : ceilingProblem(key, value, ceiling);
    if (p) throw badInput('E_LOAD_CEILING', `${flag} ${value}: ${p.problem}`, p.expected);
  }

  const scenario: SingleLoadScenario = {
    name: 'quick',
    target: url.origin,
    headers: {},
    timeoutMs,
    pipelining: o.pipelining ?? 1,
    variables: {},
    data: {},
    load,
    flows: [{ name: 'quick', weight: 1, steps: [{ name: redactUrlSecrets(`${method} ${url.pathname}${url.search}`, o.secretQuery), method, path, query: {}, headers, body, captures: [], checks: [] }] }],
    thresholds: [],
    reporters: [],
    tags: {},
    secrets: { headers: (o.secretHeaders ?? []).map((h) => h.toLowerCase()), query: o.secretQuery ?? [] },
  };
  if (o.hooks !== undefined) scenario.hooks = o.hooks;
  return scenario;
}

function describe(o: QuickOptions, s: SingleLoadScenario): string {
  if (s.load.model === 'open') return `open ${o.rate}/s over ${s.load.connections} connections`;
  const pipe = (o.pipelining ?? 1) > 1 ? `, pipelining ${o.pipelining}` : '';
  return `closed ${o.connections ?? 50} connections${pipe}`;
}

/** The quick options as stored in result files: credentials in headers and the URL redacted, the body by size only. */
export function quickConfig(o: QuickOptions): unknown {
  const secret = secretHeaderNames(o.secretHeaders);
  const headers = Object.fromEntries(Object.entries(o.headers ?? {}).map(([k, v]) => [k, secret.includes(k.toLowerCase()) ? REDACTED : v]));
  const url = redactUrlSecrets(o.url, o.secretQuery);
  return {
    quick: {
      url,
      method: o.method ?? 'GET',
      connections: o.connections,
      durationMs: o.durationMs,
      requests: o.requests,
      rate: o.rate,
      maxInFlight: o.maxInFlight,
      pipelining: o.pipelining,
      timeoutMs: o.timeoutMs,
      headers,
      secretHeaders: o.secretHeaders,
      secretQuery: o.secretQuery,
      bodyBytes: o.body === undefined ? 0 : Buffer.byteLength(o.body),
    },
  };
}

/** Start hammering one URL in the background: the same handle as `start` gives for a scenario. */
export function startQuick(o: QuickOptions): RunHandle {
  return createRunHandle(async (c) => {
    const scenario = quickScenario(o);
    const { url: _url, hooks: _hooks, ...rest } = controlled(o, c);
    return execute(scenario, { ...rest, kind: 'quick', model: describe(o, scenario), config: quickConfig(o) });
  });
}

/** Hammer one URL to the end: the same result type as `run` (`startQuick(o).done`). */
export function quick(o: QuickOptions): Promise<RunResult> {
  return startQuick(o).done;
}

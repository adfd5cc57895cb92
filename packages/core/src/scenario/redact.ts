/**
 * Secrets out of anything written down: `redactScenario` gives a copy of a scenario that
 * is safe for result files and logs; `secretValues` lists the strings to scrub from text.
 *
 * Redacted ("***"): values of `secret: true` variables; headers named Authorization,
 * Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key, Api-Key, X-Auth-Token,
 * X-Access-Token (any case), and those listed under `secrets.headers`; headers whose
 * template refers to a secret variable; any literal occurrence of a secret value in any
 * string; the password of the target URL; query parameters named like credentials
 * (SECRET_QUERY_PARAMS plus `secrets.query`) in paths, `query:` maps, URLs and request
 * names; reporter options named like token/password/secret/key/auth. Data rows are not
 * copied (only their count).
 *
 * Request names are redacted where they are made (scenario normalisation, quick), so
 * every output (console, result.json, HTML, InfluxDB tags, Prometheus labels) gets the
 * redacted name without redacting anything itself.
 */
import { scenarioFlows } from './loads.js';
import type { Flow, Scenario, Step } from './model.js';
import { parseTemplate, templateRefs } from './template.js';

export const REDACTED = '***';

export const SENSITIVE_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
];

const SENSITIVE_OPTION = /token|password|passwd|secret|api[-_]?key|auth|credential/i;

/** Query parameters whose values are redacted (case-insensitive; "-" and "_" alike). `secrets.query` adds more. */
export const SECRET_QUERY_PARAMS: readonly string[] = ['api_key', 'apikey', 'key', 'token', 'access_token', 'auth', 'password', 'secret', 'signature', 'sig'];

function paramKey(name: string): string {
  let n = name;
  try {
    n = decodeURIComponent(name);
  } catch {
    // keep it as written
  }
  return n.toLowerCase().replace(/-/g, '_');
}

/** Is `name` a query parameter to redact (the built-in list plus `extra`)? */
export function isSecretQueryParam(name: string, extra: readonly string[] = []): boolean {
  const k = paramKey(name);
  return SECRET_QUERY_PARAMS.includes(k) || extra.some((e) => paramKey(e) === k);
}

/** A name placeholder such as "{token}" (a templated value in a request name) is no secret. */
const PLACEHOLDER = /^\{[^{}]*\}$/;

/**
 * Text with URL credentials replaced by "***": the values of credential-like query
 * parameters (`?api_key=abc&page=2` -> `?api_key=***&page=2`) and the password of a
 * `//user:password@host`. Works on URLs, paths and request names ("GET /x?token=abc").
 */
export function redactUrlSecrets(text: string, extraParams: readonly string[] = []): string {
  let out = text.replace(/(\/\/[^/?#@\s:]*:)[^/?#@\s]+@/g, `$1${REDACTED}@`);
  const q = out.indexOf('?');
  if (q < 0) return out;
  out =
    out.slice(0, q) +
    out.slice(q).replace(/([?&])([^=&#\s]+)=([^&#\s]*)/g, (m: string, sep: string, name: string, value: string) =>
      value !== '' && !PLACEHOLDER.test(value) && isSecretQueryParam(name, extraParams) ? `${sep}${name}=${REDACTED}` : m,
    );
  return out;
}

/** Constant values of credential-like query parameters in `text` (for secretValues). */
function queryValues(text: string, extra: readonly string[]): string[] {
  const q = text.indexOf('?');
  if (q < 0) return [];
  const out: string[] = [];
  for (const m of text.slice(q).matchAll(/[?&]([^=&#\s]+)=([^&#\s]*)/g)) {
    if (m[2] !== '' && !m[2].includes('${') && !PLACEHOLDER.test(m[2]) && isSecretQueryParam(m[1], extra)) out.push(m[2]);
  }
  return out;
}

/** Header names whose values are secret: the fixed list plus `extra` (lower-case). */
export function secretHeaderNames(extra: readonly string[] = []): string[] {
  return [...SENSITIVE_HEADERS, ...extra.map((h) => h.toLowerCase())];
}

function secretNames(s: Scenario): Set<string> {
  return new Set(Object.entries(s.variables).filter(([, v]) => v.secret).map(([k]) => k));
}

function refersToSecret(template: string, secrets: Set<string>): boolean {
  if (secrets.size === 0) return false;
  try {
    return templateRefs(parseTemplate(template)).some(({ ref }) => (ref.ns === 'vars' || ref.ns === 'name') && secrets.has(ref.path[0]));
  } catch {
    return false;
  }
}

/**
 * Strings to scrub from any text (logs, error messages, reports): secret variable
 * values and the constant values of sensitive headers (and their token after
 * "Bearer "/"Basic "), longest first.
 */
export function secretValues(s: Scenario): string[] {
  const out = new Set<string>();
  const headerNames = secretHeaderNames(s.secrets?.headers);
  const extraQuery = s.secrets?.query ?? [];
  for (const v of Object.values(s.variables)) if (v.secret && v.value !== '') out.add(v.value);
  for (const f of scenarioFlows(s)) {
    for (const st of f.steps) {
      for (const v of queryValues(st.path, extraQuery)) out.add(v);
      for (const [k, v] of Object.entries(st.query)) if (v !== '' && !v.includes('${') && isSecretQueryParam(k, extraQuery)) out.add(v);
    }
  }
  const fromHeaders = (h: Record<string, string>) => {
    for (const [k, v] of Object.entries(h)) {
      if (!headerNames.includes(k.toLowerCase()) || v.includes('${') || v === '') continue;
      out.add(v);
      const m = /^\s*\S+\s+(\S.*)$/.exec(v);
      if (m && m[1].length >= 4) out.add(m[1]);
    }
  };
  fromHeaders(s.headers);
  for (const f of scenarioFlows(s)) for (const st of f.steps) fromHeaders(st.headers);
  return [...out].sort((a, b) => b.length - a.length);
}

/** Replace every secret value in `text` by "***". */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const v of secrets) if (v !== '') out = out.split(v).join(REDACTED);
  return out;
}

/** A deep copy of the scenario that is safe to write to result files. */
export function redactScenario(s: Scenario): unknown {
  const secrets = secretNames(s);
  const values = secretValues(s);
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, values);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
    return v;
  };
  const headerNames = secretHeaderNames(s.secrets?.headers);
  const extraQuery = s.secrets?.query ?? [];
  const headers = (h: Record<string, string>): Record<string, string> =>
    Object.fromEntries(
      Object.entries(h).map(([k, v]) => [k, headerNames.includes(k.toLowerCase()) || refersToSecret(v, secrets) ? REDACTED : (scrub(v) as string)]),
    );
  const query = (q: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(q).map(([k, v]) => [k, isSecretQueryParam(k, extraQuery) || refersToSecret(v, secrets) ? REDACTED : (scrub(v) as string)]));
  const step = (st: Step): unknown => ({
    ...(scrub({ ...st, headers: {}, query: {} }) as object),
    name: redactUrlSecrets(scrub(st.name) as string, extraQuery),
    path: redactUrlSecrets(scrub(st.path) as string, extraQuery),
    query: query(st.query),
    headers: headers(st.headers),
  });

  const target = redactUrlSecrets(s.target, extraQuery);

  const flows = (list: Flow[]): unknown[] => list.map((f) => ({ ...(scrub({ ...f, steps: [] }) as object), steps: f.steps.map(step) }));
  const { data, variables, flows: _flows, loads, reporters, ...rest } = s;
  return {
    ...(scrub(rest) as object),
    target: scrub(target),
    ...(s.secrets ? { secrets: s.secrets } : {}),
    headers: headers(s.headers),
    variables: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v.secret ? { value: REDACTED, secret: true } : { value: scrub(v.value), secret: false }])),
    data: Object.fromEntries(Object.entries(data).map(([k, d]) => [k, { file: d.file, order: d.order, rowCount: d.rows.length }])),
    ...(loads !== undefined ? { loads: loads.map((l) => ({ ...(scrub({ ...l, flows: [] }) as object), flows: flows(l.flows) })) } : { flows: flows(s.flows ?? []) }),
    reporters: reporters.map((rc) => ({
      type: rc.type,
      options: Object.fromEntries(Object.entries(rc.options).map(([k, v]) => [k, SENSITIVE_OPTION.test(k) ? REDACTED : scrub(v)])),
    })),
  };
}

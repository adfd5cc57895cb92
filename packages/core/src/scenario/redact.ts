/**
 * Secrets out of anything written down: `redactScenario` gives a copy of a scenario that
 * is safe for result files and logs; `secretValues` lists the strings to scrub from text.
 *
 * Redacted ("***"): values of `secret: true` variables; headers named Authorization,
 * Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key, Api-Key, X-Auth-Token,
 * X-Access-Token (any case); headers whose template refers to a secret variable; any
 * literal occurrence of a secret value in any string; the password of the target URL;
 * reporter options named like token/password/secret/key/auth. Data rows are not copied
 * (only their count).
 */
import type { Scenario, Step } from './model.js';
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
  for (const v of Object.values(s.variables)) if (v.secret && v.value !== '') out.add(v.value);
  const fromHeaders = (h: Record<string, string>) => {
    for (const [k, v] of Object.entries(h)) {
      if (!SENSITIVE_HEADERS.includes(k.toLowerCase()) || v.includes('${') || v === '') continue;
      out.add(v);
      const m = /^\s*\S+\s+(\S.*)$/.exec(v);
      if (m && m[1].length >= 4) out.add(m[1]);
    }
  };
  fromHeaders(s.headers);
  for (const f of s.flows) for (const st of f.steps) fromHeaders(st.headers);
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
  const headers = (h: Record<string, string>): Record<string, string> =>
    Object.fromEntries(
      Object.entries(h).map(([k, v]) => [k, SENSITIVE_HEADERS.includes(k.toLowerCase()) || refersToSecret(v, secrets) ? REDACTED : (scrub(v) as string)]),
    );
  const step = (st: Step): unknown => ({ ...(scrub({ ...st, headers: {} }) as object), headers: headers(st.headers) });

  let target = s.target;
  try {
    const u = new URL(s.target);
    if (u.password) {
      u.password = REDACTED;
      target = u.toString().replace(/\/$/, s.target.endsWith('/') ? '/' : '');
    }
  } catch {
    /* validated already */
  }

  const { data, variables, flows, reporters, ...rest } = s;
  return {
    ...(scrub(rest) as object),
    target: scrub(target),
    headers: headers(s.headers),
    variables: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v.secret ? { value: REDACTED, secret: true } : { value: scrub(v.value), secret: false }])),
    data: Object.fromEntries(Object.entries(data).map(([k, d]) => [k, { file: d.file, order: d.order, rowCount: d.rows.length }])),
    flows: flows.map((f) => ({ ...(scrub({ ...f, steps: [] }) as object), steps: f.steps.map(step) })),
    reporters: reporters.map((rc) => ({
      type: rc.type,
      options: Object.fromEntries(Object.entries(rc.options).map(([k, v]) => [k, SENSITIVE_OPTION.test(k) ? REDACTED : scrub(v)])),
    })),
  };
}

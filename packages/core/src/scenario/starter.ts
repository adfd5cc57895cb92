/**
 * A commented starter scenario for one URL (`loadctl init`): valid as written, with the
 * `# yaml-language-server: $schema=` line that lets editors complete and check it.
 */
import { badInput } from '../errors.js';

export interface StarterOptions {
  /** The URL to load: its origin becomes the target, its path and query the first step. Default http://127.0.0.1:3000/. */
  url?: string;
  /** closed (virtual users, default) or open (arrival rate). */
  model?: 'closed' | 'open';
  /** Path (relative to the scenario file) or URL of scenario.schema.json, for the editor line. */
  schema: string;
  /** The file name, shown in the comment's commands. Default scenario.yml. */
  file?: string;
}

export const DEFAULT_STARTER_URL = 'http://127.0.0.1:3000/';

/** A YAML plain scalar when safe, else a double-quoted (JSON) string; `${` is escaped (not a template). */
function yamlText(s: string): string {
  const text = s.split('${').join('$${');
  return /^[\w/.~%?=&+:-]+$/.test(text) && !/^[-?:]|:$/.test(text) ? text : JSON.stringify(text);
}

const LOAD = {
  closed: [
    '# Closed model: virtual users run the steps back to back, so what you set is',
    '# concurrency and the request rate follows from latency. For a fixed arrival rate',
    '# whatever the latency (no coordinated omission), use the open model: loadctl init --model open',
    'load:',
    '  users: 10            # virtual users',
    '  spawnRate: 5         # started per second (omit to start all at once)',
    '  duration: 1m         # run length, ramp included; `loadctl run --duration 2m` overrides it',
  ],
  open: [
    '# Open model: iterations start at a fixed arrival rate whatever the latency, and',
    '# latency counts from the scheduled start (no coordinated omission). For virtual',
    '# users running back to back instead, use the closed model: loadctl init --model closed',
    'load:',
    '  rate: 20             # iterations started per second',
    '  duration: 1m         # `loadctl run --duration 2m` overrides it',
    '  maxInFlight: 100     # at most this many at once: later arrivals are dropped and counted',
  ],
};

/** The scenario text. Throws LoadctlError(E_BAD_URL) for a URL that is not http(s). */
export function starterScenario(o: StarterOptions): string {
  let url: URL;
  try {
    url = new URL(o.url ?? DEFAULT_STARTER_URL);
  } catch {
    throw badInput('E_BAD_URL', `"${o.url}" is not a URL`, 'an http:// or https:// URL, e.g. http://127.0.0.1:3000/health');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput('E_BAD_URL', `unsupported protocol "${url.protocol}" in ${o.url}`, 'an http:// or https:// URL');
  const model = o.model ?? 'closed';
  const file = o.file ?? 'scenario.yml';
  const name = url.hostname.replace(/[^A-Za-z0-9.-]+/g, '-') || 'starter';
  const path = `${url.pathname}${url.search}`;
  return [
    `# yaml-language-server: $schema=${o.schema}`,
    '#',
    `# A starter scenario for ${url.href}, written by \`loadctl init\`. The line above lets`,
    '# editors with the YAML language server complete and check every key (docs/scenario.md).',
    '#',
    `#   loadctl validate ${file}    every problem as file:line:column, before any load`,
    `#   loadctl run ${file}         live progress, then a summary and results/ (result.json,`,
    '#                                junit.xml, report.html); exit 1 when a threshold fails',
    '',
    `name: ${yamlText(name)}`,
    '# The system under test: step paths are appended to it. ${env.TARGET ?? \'...\'} would let',
    '# each environment point it elsewhere.',
    `target: ${yamlText(url.origin)}`,
    '',
    ...LOAD[model],
    '',
    '# The requests of one iteration, in order. Add flows (with weights) when there are',
    '# several kinds of users; capture values from responses for later steps.',
    'steps:',
    `  - get: ${yamlText(path)}`,
    '    check: { status: 200 }   # counted in the `checks` threshold below',
    ...(model === 'closed' ? ['    think: 1s                # pause after the request, as a user would'] : []),
    '',
    '# Pass/fail criteria, checked at the end (abortOnFail stops the run early).',
    'thresholds:',
    '  - p(95) < 500ms          # 95% of requests answered within 500 ms',
    '  - error_rate < 1%        # status >= 400 or transport errors',
    '  - checks > 99%           # share of checks that passed',
    '',
  ].join('\n');
}

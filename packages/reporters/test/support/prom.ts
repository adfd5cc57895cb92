/**
 * A strict parser of the Prometheus text exposition format (0.0.4): every line
 * is `# HELP name text`, `# TYPE name type`, a sample `name{labels} value [ts]`,
 * or empty. Label values must be properly escaped; every sample must belong to
 * a declared family; values must be floats (or NaN/+Inf/-Inf).
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Exposition {
  types: Record<string, string>;
  help: Record<string, string>;
  samples: Sample[];
}

const METRIC = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
const VALUE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]Inf)$/;

export function parseExposition(text: string): Exposition {
  const out: Exposition = { types: {}, help: {}, samples: [] };
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((line, idx) => {
    const fail = (msg: string): never => {
      throw new Error(`line ${idx + 1}: ${msg}: ${JSON.stringify(line)}`);
    };
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = new RegExp(`^# (HELP|TYPE) (${METRIC}) (.*)$`).exec(line);
      if (!m) return fail('bad comment');
      if (m[1] === 'TYPE') {
        if (!/^(counter|gauge|summary|histogram|untyped)$/.test(m[3]!)) fail('bad type');
        if (out.types[m[2]!]) fail('duplicate TYPE');
        out.types[m[2]!] = m[3]!;
      } else out.help[m[2]!] = m[3]!;
      return;
    }
    const m = new RegExp(`^(${METRIC})(\\{(.*)\\})? (\\S+)( -?\\d+)?$`).exec(line);
    if (!m) return fail('bad sample');
    const labels: Record<string, string> = {};
    if (m[3] !== undefined && m[3] !== '') {
      const re = new RegExp(`(${LABEL})="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"(,|$)`, 'y');
      let pos = 0;
      while (pos < m[3].length) {
        re.lastIndex = pos;
        const lm = re.exec(m[3]);
        if (!lm) return fail('bad labels');
        if (lm[1]! in labels) fail(`duplicate label ${lm[1]}`);
        labels[lm[1]!] = lm[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
        pos = re.lastIndex;
      }
    }
    if (!VALUE.test(m[4]!)) fail('bad value');
    const name = m[1]!;
    const family = Object.keys(out.types).find((f) => name === f || ((name === `${f}_sum` || name === `${f}_count` || name === `${f}_bucket`) && out.types[f] !== 'counter'));
    if (!family) fail(`sample of undeclared family ${name}`);
    out.samples.push({ name, labels, value: m[4] === '+Inf' ? Infinity : m[4] === '-Inf' ? -Infinity : Number(m[4]) });
  });
  return out;
}

/** Samples of `name` whose labels include `match`. */
export function select(exp: Exposition, name: string, match: Record<string, string> = {}): Sample[] {
  return exp.samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** The single value of `name{match}`; throws if not exactly one. */
export function value(exp: Exposition, name: string, match: Record<string, string> = {}): number {
  const s = select(exp, name, match);
  if (s.length !== 1) throw new Error(`${name}${JSON.stringify(match)}: ${s.length} samples`);
  return s[0]!.value;
}

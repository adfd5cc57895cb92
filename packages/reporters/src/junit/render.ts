import type { Summary, ThresholdResult, Verdict } from '@loadctl/core';
import { scopeLabel } from '@loadctl/core/internal';
import { attrs, escapeXmlText } from './xml.js';

/**
 * JUnit XML for CI systems (Jenkins, GitLab, GitHub test reporters):
 *
 * - testsuite "thresholds": one testcase per threshold, named "<scope>: <expression>"
 *   (a side-by-side load's scope: "load:api: …", "load:api › GET /x: …"; class loadctl.thresholds.load:api),
 *   with a <failure message="measured X vs limit Y"> when it did not pass; plus one
 *   testcase "run: <end reason>" when the run ended early (threshold abort, rate
 *   shortfall abort, interrupted, error).
 * - testsuite "checks": one testcase per check, failing when any evaluation failed
 *   (message with the counts).
 */
export function renderJUnit(summary: Summary): string {
  const timestamp = new Date(summary.meta.startedAt).toISOString().slice(0, 19);
  const seconds = (summary.durationMs / 1000).toFixed(3);
  const hostname = summary.meta.target;

  const thresholdCases = summary.verdict.thresholds.map(thresholdCase);
  const early = endReasonCase(summary.verdict);
  if (early) thresholdCases.push(early);
  // A run in which nothing succeeded fails even without thresholds.
  for (const r of summary.verdict.reasons ?? []) {
    if (r.code === 'NO_SUCCESSFUL_REQUESTS' || r.code === 'NO_REQUESTS') {
      thresholdCases.push({ name: `run: ${r.message.replace(/ \(.*$/, '')}`, classname: 'loadctl.run', failure: { message: r.message, type: r.code, body: r.message } });
    }
  }
  const checkCases = Object.entries(summary.checks).map(([name, c]) => checkCase(name, c.passes, c.fails));

  const suites = [
    suite('thresholds', thresholdCases, { timestamp, time: seconds, hostname }, summary),
    suite('checks', checkCases, { timestamp, time: seconds, hostname }, summary),
  ];
  const tests = thresholdCases.length + checkCases.length;
  const failures = [...thresholdCases, ...checkCases].filter((c) => c.failure).length;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites${attrs({ name: `loadctl ${summary.meta.scenario}`, tests, failures, errors: 0, time: seconds })}>\n` +
    suites.join('') +
    '</testsuites>\n'
  );
}

interface Case {
  name: string;
  classname: string;
  failure?: { message: string; type: string; body: string };
}

function suite(name: string, cases: Case[], a: { timestamp: string; time: string; hostname: string }, summary: Summary): string {
  const failures = cases.filter((c) => c.failure).length;
  let out = `  <testsuite${attrs({ name, tests: cases.length, failures, errors: 0, skipped: 0, ...a })}>\n`;
  out += '    <properties>\n';
  const props: Record<string, string> = {
    runId: summary.meta.runId,
    scenario: summary.meta.scenario,
    target: summary.meta.target,
    model: summary.meta.model,
    endReason: summary.verdict.endReason,
    loadctlVersion: summary.meta.loadctlVersion,
  };
  for (const [k, v] of Object.entries(summary.meta.tags)) props[`tag.${k}`] = v;
  for (const [name, l] of Object.entries(summary.meta.loads ?? {})) {
    props[`load.${name}.model`] = l.model;
    for (const [k, v] of Object.entries(l.tags)) props[`load.${name}.tag.${k}`] = v;
  }
  for (const [k, v] of Object.entries(props)) out += `      <property${attrs({ name: k, value: v })}/>\n`;
  out += '    </properties>\n';
  for (const c of cases) {
    if (!c.failure) {
      out += `    <testcase${attrs({ name: c.name, classname: c.classname, time: 0 })}/>\n`;
      continue;
    }
    out += `    <testcase${attrs({ name: c.name, classname: c.classname, time: 0 })}>\n`;
    out += `      <failure${attrs({ message: c.failure.message, type: c.failure.type })}>${escapeXmlText(c.failure.body)}</failure>\n`;
    out += '    </testcase>\n';
  }
  out += '  </testsuite>\n';
  return out;
}

/** A number as people read it: integers as is, else up to 3 significant decimals. */
export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
  return String(Number(v.toFixed(digits)));
}

function withUnit(v: number, unit: string): string {
  if (!unit || unit === 'ratio') return formatNumber(v);
  return `${formatNumber(v)} ${unit}`;
}

function thresholdCase(t: ThresholdResult): Case {
  const scope = scopeLabel(t);
  const c: Case = { name: `${scope}: ${t.expression}`, classname: `loadctl.thresholds.${t.load !== undefined ? `load:${t.load}` : t.scope}` };
  if (t.passed) return c;
  const measured = t.actual === null ? 'no data' : withUnit(t.actual, t.unit);
  const message = `measured ${measured} vs limit ${withUnit(t.limit, t.unit)}${t.aborted ? ' (aborted the run)' : ''}`;
  c.failure = {
    message,
    type: 'threshold',
    body: `threshold "${t.expression}" on ${scope} failed: ${message}`,
  };
  return c;
}

const END_REASONS: Record<Exclude<Verdict['endReason'], 'completed'>, string> = {
  threshold_abort: 'a threshold with abortOnFail stopped the run early',
  rate_shortfall_abort: 'the achieved arrival rate stayed below the requested rate; the run was aborted',
  interrupted: 'the run was interrupted (SIGINT) before it completed',
  error: 'the run stopped because of an error',
};

function endReasonCase(verdict: Verdict): Case | undefined {
  if (verdict.endReason === 'completed') return undefined;
  const message = END_REASONS[verdict.endReason];
  return {
    name: `run: ${verdict.endReason.replace(/_/g, ' ')}`,
    classname: 'loadctl.run',
    failure: { message, type: verdict.endReason, body: message },
  };
}

function checkCase(name: string, passes: number, fails: number): Case {
  const c: Case = { name, classname: 'loadctl.checks' };
  if (fails === 0) return c;
  const total = passes + fails;
  const pct = total === 0 ? 0 : (fails / total) * 100;
  c.failure = {
    message: `${fails} of ${total} failed (${formatNumber(pct)}%)`,
    type: 'check',
    body: `check "${name}": passes ${passes}, fails ${fails}`,
  };
  return c;
}

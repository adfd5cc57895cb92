import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JUnitReporter, renderJUnit } from '../src/junit/index.js';
import { escapeXml } from '../src/junit/xml.js';
import { makeRun } from './support/synthetic.js';
import { findAll, parseXml, type XmlElement } from './support/xml.js';

// xmllint comes from Debian's libxml2-utils, which scripts/setup.sh installs.
const XMLLINT = ['/usr/bin/xmllint', '/usr/local/bin/xmllint'].find((p) => existsSync(p)) ?? 'xmllint';

function suiteByName(root: XmlElement, name: string): XmlElement {
  const s = findAll(root, 'testsuite').find((e) => e.attrs.name === name);
  if (!s) throw new Error(`no testsuite ${name}`);
  return s;
}

function cases(suite: XmlElement): XmlElement[] {
  return suite.children.filter((c) => c.name === 'testcase');
}

describe('renderJUnit', () => {
  it('has a thresholds suite and a checks suite with one testcase each', () => {
    const { summary } = makeRun({ intervals: 3 });
    const root = parseXml(renderJUnit(summary));
    expect(root.name).toBe('testsuites');
    expect(root.attrs.tests).toBe('4');
    expect(root.attrs.failures).toBe('2');

    const thresholds = suiteByName(root, 'thresholds');
    expect(thresholds.attrs).toMatchObject({ tests: '2', failures: '1', errors: '0', skipped: '0', time: '3.000' });
    const [p95, errRate] = cases(thresholds);
    expect(p95!.attrs.name).toBe('total: p(95) < 200ms');
    expect(p95!.children).toEqual([]);
    expect(errRate!.attrs.name).toBe('POST /orders: error_rate < 0.01');
    const failure = errRate!.children.find((c) => c.name === 'failure')!;
    expect(failure.attrs.message).toBe('measured 0.087 vs limit 0.01');
    expect(failure.attrs.type).toBe('threshold');

    const checks = suiteByName(root, 'checks');
    expect(checks.attrs).toMatchObject({ tests: '2', failures: '1' });
    const [status, body] = cases(checks);
    expect(status!.attrs.name).toBe('status is 200');
    // 3 intervals x (150 passes, 3 fails)
    expect(status!.children[0]!.attrs.message).toBe('9 of 459 failed (1.96%)');
    expect(status!.children[0]!.text).toBe('check "status is 200": passes 450, fails 9');
    expect(body!.attrs.name).toBe('body has id');
    expect(body!.children).toEqual([]);

    const props = Object.fromEntries(findAll(thresholds, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({ runId: summary.meta.runId, scenario: 'synthetic', endReason: 'completed', 'tag.env': 'test' });
  });

  it('formats measured values with units, no data, and aborts', () => {
    const { summary } = makeRun({
      intervals: 1,
      thresholds: [
        { expression: 'p(99) < 250ms', scope: 'GET /a', actual: 312.4567, limit: 250, unit: 'ms', passed: false, aborted: true },
        { expression: 'rps > 100', scope: 'total', actual: null, limit: 100, unit: '1/s', passed: false },
      ],
      checks: {},
    });
    const root = parseXml(renderJUnit(summary));
    const msgs = cases(suiteByName(root, 'thresholds')).map((c) => c.children[0]?.attrs.message);
    expect(msgs).toEqual(['measured 312.5 ms vs limit 250 ms (aborted the run)', 'measured no data vs limit 100 1/s']);
    expect(cases(suiteByName(root, 'checks'))).toEqual([]);
  });

  it('adds a failing testcase when the run ended early', () => {
    for (const endReason of ['rate_shortfall_abort', 'threshold_abort', 'interrupted', 'error'] as const) {
      const { summary } = makeRun({ intervals: 1, endReason, thresholds: [] });
      const root = parseXml(renderJUnit(summary));
      const [c] = cases(suiteByName(root, 'thresholds'));
      expect(c!.attrs.name).toBe(`run: ${endReason.replace(/_/g, ' ')}`);
      expect(c!.attrs.classname).toBe('loadctl.run');
      expect(c!.children[0]!.name).toBe('failure');
      expect(c!.children[0]!.attrs.type).toBe(endReason);
    }
    const rate = parseXml(renderJUnit(makeRun({ intervals: 1, endReason: 'rate_shortfall_abort' }).summary));
    expect(cases(suiteByName(rate, 'thresholds')).at(-1)!.children[0]!.attrs.message).toMatch(/achieved arrival rate stayed below/);
    const completed = parseXml(renderJUnit(makeRun({ intervals: 1, thresholds: [] }).summary));
    expect(cases(suiteByName(completed, 'thresholds'))).toEqual([]);
  });

  it('escapes markup, quotes, ampersands and control characters', () => {
    const evil = `<script>alert("x" & 'y')</script>]]>`;
    const { summary } = makeRun({
      intervals: 1,
      scenario: `scn "quoted" & <b>`,
      tags: { 'team"x': `a'b<c>&d` },
      thresholds: [{ expression: `p(95) < 200ms && "${evil}"`, scope: evil, actual: 300, limit: 200, unit: 'ms', passed: false }],
      checks: { [evil]: { passesPerInterval: 1, failsPerInterval: 1 }, ['bell\u0007and\u0000nul']: { passesPerInterval: 1, failsPerInterval: 0 } },
    });
    const xml = renderJUnit(summary);
    expect(xml).not.toContain('<script>');
    const root = parseXml(xml);
    expect(root.attrs.name).toBe(`loadctl scn "quoted" & <b>`);
    const [t] = cases(suiteByName(root, 'thresholds'));
    expect(t!.attrs.name).toBe(`${evil}: p(95) < 200ms && "${evil}"`);
    expect(t!.attrs.classname).toBe(`loadctl.thresholds.${evil}`);
    expect(t!.children[0]!.text).toContain(evil);
    const [c, bell] = cases(suiteByName(root, 'checks'));
    expect(c!.attrs.name).toBe(evil);
    expect(c!.children[0]!.text).toBe(`check "${evil}": passes 1, fails 1`);
    expect(bell!.attrs.name).toBe('bell\uFFFDand\uFFFDnul');
    const props = Object.fromEntries(findAll(root, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props['tag.team"x']).toBe(`a'b<c>&d`);
  });

  it('escapeXml keeps attribute whitespace and replaces lone surrogates', () => {
    expect(escapeXml('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d');
    expect(escapeXml('x\uD800y')).toBe('x\uFFFDy');
    expect(escapeXml('😀')).toBe('😀');
    const root = parseXml(`<a v="${escapeXml('line1\nline2\t"q"')}"/>`);
    expect(root.attrs.v).toBe('line1\nline2\t"q"');
  });

  it('the strict test parser rejects malformed XML', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/does not match/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow(/unknown entity/);
    expect(() => parseXml('<a>a & b</a>')).toThrow(/unterminated entity/);
    expect(() => parseXml('<a x="<"/>')).toThrow(/raw "<"/);
    expect(() => parseXml('<a x=1/>')).toThrow(/not quoted/);
    expect(() => parseXml('<a/><b/>')).toThrow(/after the root/);
    expect(() => parseXml('<a>\u0001</a>')).toThrow(/invalid character/);
  });

  it('is well-formed according to xmllint', () => {
    const evil = `<script>alert("x" & 'y')</script>`;
    const { summary } = makeRun({
      intervals: 2,
      endReason: 'rate_shortfall_abort',
      thresholds: [{ expression: `"${evil}"`, scope: evil, actual: 1, limit: 0, unit: 'ms', passed: false }],
      checks: { [`${evil}\u0001`]: { passesPerInterval: 1, failsPerInterval: 1 } },
    });
    const out = execFileSync(XMLLINT, ['--noout', '-'], { input: renderJUnit(summary), stdio: ['pipe', 'pipe', 'pipe'] });
    expect(out.toString()).toBe('');
  });
});

describe('JUnitReporter', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes the XML at end() and says so in notes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loadctl-junit-'));
    dirs.push(dir);
    const path = join(dir, 'reports', 'junit.xml');
    const reporter = new JUnitReporter(path);
    expect(reporter.notes()).toEqual([]);
    const { summary } = makeRun({ intervals: 2 });
    await reporter.end(summary);
    const xml = await readFile(path, 'utf8');
    expect(xml).toBe(renderJUnit(summary));
    expect(parseXml(xml).name).toBe('testsuites');
    expect(reporter.notes()).toEqual([`JUnit XML written to ${path}`]);
  });

  it('rejects an empty path', () => {
    expect(() => new JUnitReporter('')).toThrow(/path/);
  });
});

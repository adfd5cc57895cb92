/**
 * Behaviours of the validator's two halves together: parts the schema rejected are not
 * checked again (no knock-on errors), positions through YAML anchors, and the
 * load ceilings at the positions of the figures.
 */
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../src/scenario/errors.js';
import { normalizeScenario, type NormalizeOptions } from '../src/scenario/normalize/scenario.js';
import { parseYaml } from '../src/scenario/parse.js';

function issues(text: string, o: Partial<NormalizeOptions> = {}): string[] {
  const { value, source } = parseYaml(text, 's.yml');
  try {
    normalizeScenario(value, { source, env: {}, baseDir: process.cwd(), ...o });
  } catch (e) {
    return (e as ScenarioError).issues.map((i) => i.message);
  }
  return [];
}

describe('the validator', () => {
  it('reports a step the schema rejected once, and still checks the other steps', () => {
    const text = ['target: http://x', 'load: { users: 1, duration: 1s }', 'steps:', '  - get: /a', '    capture: { json: $.id, as: id }', '    check: { status: 999 }', '  - get: /b/${id}/${nope}', ''].join('\n');
    expect(issues(text)).toEqual([
      's.yml:6:22: steps[0].check.status: got 999, expected a status code (100-599) or a list of them',
      's.yml:7:19: steps[1].get: "nope" is neither a capture of an earlier step nor a variable, expected one of id',
    ]);
  });

  it('points at the alias when a problem comes through a YAML anchor', () => {
    const text = ['target: http://x', 'load: { users: 1, duration: 1s }', 'x-step: &s { get: /a, timeout: 5 }', 'steps: [*s]', ''].join('\n');
    expect(issues(text)).toEqual([
      's.yml:3:1: x-step: unknown key "x-step", expected one of name, description, target, headers, timeout, pipelining, variables, data, load, rateShortfall, flows, scenarios, steps, thresholds, reporters, tags, secrets, hooks',
      's.yml:4:9: steps[0].timeout: 5 has no unit, expected a duration like 500ms, 30s, 5m or 1h30m (e.g. 5s)',
    ]);
  });

  it('checks every load figure against the load ceilings, at its position', () => {
    const ceiling = { workers: 1, ceiling: { users: 4, rate: 4, connections: 4, maxInFlight: 4 } };
    const text = ['target: http://x', 'load:', '  startRate: 5', '  stages: [{ rate: 6, duration: 1m }, { arrivalRate: 7, rampTo: 8, duration: 1m }]', '  maxInFlight: 9', '  connections: 10', 'steps: [GET /]', ''].join('\n');
    const found = issues(text, { ceiling });
    expect(found.map((m) => m.split(': ').slice(0, 2).join(': '))).toEqual([
      's.yml:3:14: load.startRate',
      's.yml:4:20: load.stages[0].rate',
      's.yml:4:54: load.stages[1].arrivalRate',
      's.yml:4:65: load.stages[1].rampTo',
      's.yml:5:16: load.maxInFlight',
      's.yml:6:16: load.connections',
    ]);
    expect(found[0]).toContain('a rate of 5/s is more than one machine can hold (at most 4 per worker thread × 1 worker), expected at most 4');
    expect(issues('target: http://x\nload: { stages: [{ users: 5, duration: 1s }] }\nsteps: [GET /]\n', { ceiling })).toEqual([
      expect.stringMatching(/^s\.yml:2:27: load\.stages\[0\]\.users: 5 users is more than one machine can hold/),
    ]);
    expect(issues(text, { ceiling: { ceiling: false } })).toEqual([]);
  });
});

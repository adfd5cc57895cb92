/**
 * Side-by-side loads in the scenario format and the plan: `loads:` validates with exact
 * positions, `defineScenario` takes either form and never both (the `@ts-expect-error`
 * lines fail `pnpm lint` if they compile), thresholds are scoped to a load, and the plan
 * splits every load exactly across the workers it runs on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plan } from '../src/plan/plan.js';
import { parseSegment } from '../src/plan/segment.js';
import { ArrivalSchedule, stepAt } from '../src/plan/stages.js';
import { owned, unitAt } from '../src/plan/stripe.js';
import type { LoadSharePlan } from '../src/plan/worker-plan.js';
import { ScenarioError } from '../src/scenario/errors.js';
import type { LoadEntryInput, ScenarioInput } from '../src/scenario/index.js';
import { defineScenario, parseScenario } from '../src/scenario/load.js';
import { scenarioLoads } from '../src/scenario/loads.js';
import type { MultiLoadScenario, Scenario } from '../src/scenario/model.js';

const TWO = `target: http://127.0.0.1:1
loads:
  - name: api
    load: { rate: 3000, duration: 10m, maxInFlight: 7 }
    steps:
      - get: /items
    thresholds: ['p(95) < 100ms', { expression: 'error_rate < 1%', scope: 'GET /items' }]
    tags: { kind: read }
  - name: writers
    load: { users: 3, duration: 10m }
    flows:
      - name: write
        steps: [POST /items]
thresholds:
  - { expression: 'error_rate < 5%', scope: 'load:writers' }
  - p(99) < 1s
`;

function issues(text: string): string[] {
  try {
    parseScenario(text, { file: 's.yml', env: {} });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).issues.map((i) => `${i.code} ${i.message}`);
  }
  throw new Error('parsed without error');
}

const multi = (s: Scenario): MultiLoadScenario => (s.loads !== undefined ? s : expect.fail('loads side by side'));

describe('loads: the scenario', () => {
  it('each load keeps its model, flows and tags; thresholds carry their load', () => {
    const s = multi(parseScenario(TWO, { env: {} }));
    expect(s.load).toBeUndefined();
    expect(s.flows).toBeUndefined();
    expect(s.loads.map((l) => [l.name, l.load.model, l.flows.map((f) => f.name), l.tags])).toEqual([
      ['api', 'open', ['default'], { kind: 'read' }],
      ['writers', 'closed', ['write'], {}],
    ]);
    expect(s.thresholds).toEqual([
      { expression: 'error_rate < 5%', scope: 'total', load: 'writers', abortOnFail: false, delayAbortEvalMs: 0 },
      { expression: 'p(99) < 1s', scope: 'total', abortOnFail: false, delayAbortEvalMs: 0 },
      { expression: 'p(95) < 100ms', scope: 'total', load: 'api', abortOnFail: false, delayAbortEvalMs: 0 },
      { expression: 'error_rate < 1%', scope: 'GET /items', load: 'api', abortOnFail: false, delayAbortEvalMs: 0 },
    ]);
    expect(scenarioLoads(s).map((l) => l.name)).toEqual(['api', 'writers']);
  });

  it('a one-load scenario is unchanged: load and flows at the top, no load on its thresholds', () => {
    const s = parseScenario('target: http://127.0.0.1:1\nload: { users: 2, duration: 1s }\nsteps: [GET /]\nthresholds: [p(95) < 1s]\n', { env: {} });
    expect(s.loads).toBeUndefined();
    expect(s.load).toEqual({ model: 'closed', stages: [{ durationMs: 1000, users: 2 }] });
    expect(s.thresholds).toEqual([{ expression: 'p(95) < 1s', scope: 'total', abortOnFail: false, delayAbortEvalMs: 0 }]);
    expect(scenarioLoads(s)).toEqual([{ load: s.load, flows: s.flows, tags: {} }]);
  });

  it('mistakes are reported where they are, all of them, in document order', () => {
    const text = `target: http://127.0.0.1:1
loads:
  - name: a
    load: { users: 1, duration: 1s }
    steps: [GET /a]
    thresholds:
      - { expression: 'p(95) < 1s', scope: 'GET /b' }
      - trend(target.rss) < 1MB/h
    rateShortfall: { maxShortfall: 10% }
  - name: a
    load: { users: 1, rate: 3, duration: 1s }
    flow: [GET /]
  - name: 'bad name'
    load: { rate: 1, duration: 1s }
    steps: [GET /b]
  - load: { users: 1, duration: 1s }
    steps: [GET /c]
thresholds:
  - { expression: 'p(95) < 1s', scope: 'load:b' }
`;
    expect(issues(text)).toEqual([
      'E_UNKNOWN_REFERENCE s.yml:7:44: loads[0].thresholds[0].scope: no request named "GET /b" in load "a", expected "total", "flow:<name>" or a request name ("flow:default", "GET /a"); did you mean "GET /a"?',
      'E_BAD_THRESHOLD s.yml:8:9: loads[0].thresholds[1]: "trend(target.rss) < 1MB/h" in scope "load:a": trend() is measured over the whole run (a threshold of the scenario, scope "total"), expected a metric measured in this scope',
      'E_CONFLICT s.yml:9:5: loads[0].rateShortfall: rateShortfall needs the open model (a requested arrival rate), expected load with rate/arrivalRate, or no rateShortfall',
      'E_BAD_VALUE s.yml:10:11: loads[1].name: load name "a" is used twice, expected unique load names',
      'E_CONFLICT s.yml:11:23: loads[1].load.rate: the closed model (users) and the open model (rate) cannot be mixed, expected users/spawnRate/iterations (closed) or rate/arrivalRate/startRate/maxInFlight/connections (open)',
      // (a typo of flows: reported once, not also as "missing flows")
      'E_UNKNOWN_KEY s.yml:12:5: loads[1].flow: unknown key "flow", expected one of name, description, load, flows, scenarios, steps, thresholds, tags, rateShortfall; did you mean "flows"?',
      'E_BAD_VALUE s.yml:13:11: loads[2].name: "bad name" cannot be a load name, expected a name of letters, digits, _, . and - (it becomes load:<name>, a tag and a label)',
      'E_MISSING s.yml:16:5: loads[3]: missing "name", expected name: <load name> (results and load:<name> thresholds use it)',
      'E_UNKNOWN_REFERENCE s.yml:19:40: thresholds[0].scope: no load named "b", expected "total", "load:<name>", "flow:<name>" or a request name ("load:a", "load:bad name", "flow:default", "GET /a", "GET /b", ...); did you mean "load:a"?',
    ]);
  });

  it('load and loads cannot be mixed, nor loads with top-level flows, steps or rateShortfall', () => {
    const both = 'target: http://127.0.0.1:1\nload: { users: 1, duration: 1s }\nloads:\n  - { name: a, load: { users: 1, duration: 1s }, steps: [GET /] }\n';
    expect(issues(both)).toEqual(['E_CONFLICT s.yml:2:1: load: "load" and "loads" cannot be used together, expected loads, or load without loads']);
    const flows = 'target: http://127.0.0.1:1\nloads:\n  - { name: a, load: { users: 1, duration: 1s }, steps: [GET /] }\nrateShortfall: { maxShortfall: 5% }\nsteps: [GET /]\n';
    expect(issues(flows)).toEqual([
      'E_CONFLICT s.yml:4:1: rateShortfall: "rateShortfall" and "loads" cannot be used together, expected loads, or rateShortfall without loads',
      'E_CONFLICT s.yml:5:1: steps: "steps" and "loads" cannot be used together, expected loads, or steps without loads',
    ]);
    expect(issues('target: http://127.0.0.1:1\nloads: []\n')).toEqual(['E_BAD_VALUE s.yml:2:8: loads: no loads, expected at least one load']);
  });

  it('load:<name> scopes need loads side by side; inside a load, scopes are its own', () => {
    const one = 'target: http://127.0.0.1:1\nload: { users: 1, duration: 1s }\nsteps: [GET /]\nthresholds: [{ expression: count > 1, scope: "load:api" }]\n';
    expect(issues(one)).toEqual([
      'E_UNKNOWN_REFERENCE s.yml:4:46: thresholds[0].scope: "load:api": this scenario has one load (load:<name> scopes need loads side by side), expected "total", "flow:<name>" or a request name ("flow:default", "GET /")',
    ]);
    const inner = 'target: http://127.0.0.1:1\nloads:\n  - name: api\n    load: { users: 1, duration: 1s }\n    steps: [GET /]\n    thresholds: { "load:api": [count > 1] }\n';
    expect(issues(inner)[0]).toBe(
      'E_UNKNOWN_REFERENCE s.yml:6:19: loads[0].thresholds["load:api"]: "load:api": inside a load, scopes are that load\'s own, expected "total", "flow:<name>" or a request name ("flow:default", "GET /")',
    );
  });
});

// defineScenario takes either form, typed; mixing them does not compile.
const api: LoadEntryInput = { name: 'api', load: { rate: 3000, duration: '10m', maxInFlight: 7 }, steps: ['GET /items'], thresholds: ['p(95) < 100ms'] };
const writers: LoadEntryInput = { name: 'writers', load: { users: 3, duration: '10m' }, flows: [{ name: 'write', steps: ['POST /items'] }], tags: { team: 'data' } };
const sideBySide: ScenarioInput = { target: 'http://127.0.0.1:1', loads: [api, writers], thresholds: [{ expression: 'error_rate < 1%', scope: 'load:writers' }] };
// @ts-expect-error: load and loads cannot be mixed
const mixed: ScenarioInput = { target: 'http://127.0.0.1:1', load: { users: 1, duration: '1s' }, loads: [api] };
// @ts-expect-error: loads side by side have no top-level steps (each load has its own)
const topSteps: ScenarioInput = { target: 'http://127.0.0.1:1', loads: [api], steps: ['GET /'] };
// @ts-expect-error: a load entry needs its own load model
const noModel: LoadEntryInput = { name: 'x', steps: ['GET /'] };
// @ts-expect-error: a load's model is one of the two (users and rate cannot be mixed)
const mixedModel: LoadEntryInput = { name: 'x', load: { users: 1, rate: 2, duration: '1s' }, steps: ['GET /'] };

describe('loads: defineScenario', () => {
  it('takes loads side by side, typed, with the same checks as a file', () => {
    const s = multi(defineScenario(sideBySide, { env: {} }));
    expect(s.loads.map((l) => l.name)).toEqual(['api', 'writers']);
    expect(s.thresholds.map((t) => [t.load, t.scope])).toEqual([
      ['writers', 'total'],
      ['api', 'total'],
    ]);
    for (const bad of [mixed, topSteps]) expect(() => defineScenario(bad, { env: {} })).toThrow(ScenarioError);
    for (const entry of [noModel, mixedModel]) expect(() => defineScenario({ target: 'http://127.0.0.1:1', loads: [entry] }, { env: {} })).toThrow(ScenarioError);
  });
});

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const sharesOf = (workers: ReturnType<typeof plan>['workers'], name: string): LoadSharePlan[] => workers.flatMap((w) => w.shares.filter((s) => s.name === name));

describe('loads: the plan', () => {
  it('every load is split exactly across the workers it runs on, whatever the workers and segments', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom('1/1', '1/2', '2/2', '2/3'),
        (W, users, rate, maxInFlight, segment) => {
          const s = multi(
            defineScenario(
              {
                target: 'http://127.0.0.1:1',
                loads: [
                  { name: 'open', load: { rate, duration: '2s', maxInFlight }, steps: ['GET /o'] },
                  { name: 'closed', load: { users, duration: '2s' }, steps: ['GET /c'] },
                ],
              },
              { env: {}, loadCeiling: false },
            ),
          );
          const parts = segment === '1/1' ? ['1/1'] : segment.endsWith('/2') ? ['1/2', '2/2'] : ['1/3', '2/3', '3/3'];
          const workers = parts.flatMap((p) => plan(s, { workers: W, segment: parseSegment(p), seed: 1 }).workers);
          const o = sharesOf(workers, 'open');
          const c = sharesOf(workers, 'closed');
          const schedule = new ArrivalSchedule(rate, [{ durationMs: 2000, rate }]);
          expect(sum(o.map((x) => (x.load.model === 'open' ? x.load.arrivals : 0)))).toBe(schedule.totalArrivals);
          expect(sum(o.map((x) => (x.load.model === 'open' ? x.load.maxInFlight : 0)))).toBe(maxInFlight);
          expect(sum(c.map((x) => (x.load.model === 'closed' ? stepAt(x.load.users, 0) : 0)))).toBe(users);
          // each unit of each load has exactly one owner
          for (const [shares, n] of [
            [o, schedule.totalArrivals],
            [c, users],
          ] as const) {
            expect(sum(shares.map((x) => owned(x.units, n)))).toBe(n);
            const units = shares.flatMap((x) => Array.from({ length: owned(x.units, n) }, (_, j) => unitAt(x.units, j)));
            expect(new Set(units).size).toBe(n);
          }
          // every worker runs something; a worker runs at most one share of each load
          for (const w of workers) {
            expect(w.shares.length).toBeGreaterThan(0);
            expect(new Set(w.shares.map((x) => x.name)).size).toBe(w.shares.length);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('a load with fewer units than workers runs on fewer of them, spread after the others, and says so', () => {
    const s = parseScenario(TWO, { env: {} });
    const p = plan(s, { workers: 4, seed: 1 });
    // api: 7 in-flight slots -> 4 workers (0..3); writers: 3 users -> 3 workers, after api's (0, 1, 2)
    expect(p.workers.map((w) => w.shares.map((x) => x.name))).toEqual([['api', 'writers'], ['api', 'writers'], ['api', 'writers'], ['api']]);
    expect(p.notes).toEqual([{ severity: 'info', message: 'load "writers" runs on 3 workers of 4: the run has only 3 users of it' }]);
    const small = multi(
      defineScenario(
        {
          target: 'http://127.0.0.1:1',
          loads: [
            { name: 'a', load: { users: 2, duration: '1s' }, steps: ['GET /a'] },
            { name: 'b', load: { users: 2, duration: '1s' }, steps: ['GET /b'] },
          ],
        },
        { env: {} },
      ),
    );
    // both loads have 2 users: 2 workers, each running a share of each
    expect(plan(small, { workers: 3 }).workers.map((w) => w.shares.map((x) => [x.name, x.load.model === 'closed' ? stepAt(x.load.users, 0) : 0]))).toEqual([
      [
        ['a', 1],
        ['b', 1],
      ],
      [
        ['a', 1],
        ['b', 1],
      ],
    ]);
    expect(p.loadTotals).toEqual({ api: { connections: 7, arrivals: 1_800_000, maxInFlight: 7 }, writers: { connections: 3, users: 3 } });
    expect(p.totals).toEqual({ connections: 10, arrivals: 1_800_000, maxInFlight: 7, users: 3 });
  });

  it("a one-load scenario's plan is a single share per worker, without a name", () => {
    const s = parseScenario('target: http://127.0.0.1:1\nload: { users: 5, duration: 1s }\nsteps: [GET /]\n', { env: {} });
    const p = plan(s, { workers: 2, seed: 7 });
    expect(p.workers.map((w) => w.shares.map((x) => x.name))).toEqual([[undefined], [undefined]]);
    expect(p.loadTotals).toBeUndefined();
  });
});

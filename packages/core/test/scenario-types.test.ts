/**
 * The TypeScript input type of defineScenario, from the same definition as the JSON
 * Schema and the validator. The `@ts-expect-error` lines are the test: `pnpm lint`
 * (tsc -p tsconfig.test.json) fails if any of them compiles. At run time the same
 * mistakes, forced past the compiler, are rejected by the validator.
 */
import { describe, expect, it } from 'vitest';
import type { LoadInput, ScenarioInput, StepInput, ThresholdInput } from '../src/scenario/index.js';
import { ScenarioError } from '../src/scenario/errors.js';
import { defineScenario } from '../src/scenario/load.js';

const base = { target: 'http://127.0.0.1:1', steps: ['GET /'] } satisfies Partial<ScenarioInput>;

// Closed and open models, constant and staged, env expressions where numbers go.
const closed: LoadInput = { users: 10, spawnRate: 2, duration: '1h30m' };
const closedStages: LoadInput = { spawnRate: 5, stages: [{ users: 20, duration: '1m' }, { users: 0, duration: '30s' }] };
const open: LoadInput = { rate: 200, duration: '30s', maxInFlight: 50 };
const openStages: LoadInput = { startRate: 10, stages: [{ rate: 100, duration: '1m' }, { arrivalRate: 5, rampTo: 50, duration: '2m' }] };
const fromEnv: LoadInput = { rate: '${env.RATE ?? 100}', duration: '${DURATION:-1m}' };
const iterations: LoadInput = { users: 4, iterations: 1000 };
const thresholds: ThresholdInput[] = ['p(95) < 200ms', 'p(99.9)<=1s', 'error_rate < 1%', 'rps >= 450', 'service_time.p(99) < 50ms', { expression: 'failed_rate < 2%', scope: 'flow:default', abortOnFail: true, delayAbortEval: '10s' }];
// Soak trends (thresholds/parse.ts grows `trend(...)`): typed already, validated by the grammar.
const trend: ThresholdInput = 'trend(target.rss) < 50MB/h';
void trend;
const steps: Array<StepInput | `${'GET' | 'get'} ${string}`> = [
  'GET /health',
  { method: 'POST', path: '/users', json: { name: 'x', n: 1 }, capture: { json: '$.id', as: 'userId' } },
  { get: '/users/${userId}', check: [{ status: [200, 404] }, { maxDuration: '500ms' }], think: '500ms..2s' },
  { method: 'patch', path: '/users', form: { a: 'b' }, timeout: '2s' },
];

// @ts-expect-error: the closed (users) and the open (rate) model cannot be mixed
const mixed: LoadInput = { users: 10, rate: 5, duration: '1m' };
// @ts-expect-error: users and stages cannot be mixed
const usersAndStages: LoadInput = { users: 10, stages: [{ users: 5, duration: '1m' }] };
// @ts-expect-error: a duration needs a unit
const unitless: LoadInput = { users: 10, duration: 30 };
// @ts-expect-error: '30' is not a duration either
const unitlessText: LoadInput = { users: 10, duration: '30' };
// @ts-expect-error: users is a count
const wordy: LoadInput = { users: 'lots', duration: '1m' };
// @ts-expect-error: not an HTTP method
const fetchStep: StepInput = { method: 'FETCH', path: '/' };
// @ts-expect-error: not a threshold expression (p(95), not p95)
const p95: ThresholdInput = 'p95 < 200';
// @ts-expect-error: not a threshold operator
const arrow: ThresholdInput = 'p(95) => 200ms';
// @ts-expect-error: status codes are numbers
const statusText: StepInput = { get: '/', check: { status: '200' } };
// @ts-expect-error: a capture needs `as`
const nameless: StepInput = { get: '/', capture: { json: '$.id' } };
// @ts-expect-error: target is required
const noTarget: ScenarioInput = { load: closed, steps: ['GET /'] };
// @ts-expect-error: unknown key
const typo: ScenarioInput = { ...base, load: closed, thresholsd: [] };

describe('ScenarioInput (defineScenario)', () => {
  it('every well-typed load, step and threshold validates', () => {
    for (const load of [closed, closedStages, open, openStages, fromEnv, iterations]) {
      const s = defineScenario({ ...base, load, steps, thresholds }, { env: {} });
      expect(s.flows![0].steps).toHaveLength(4);
    }
  });

  it('the mistakes the compiler rejects are rejected at run time too, forced past it', () => {
    const codes = (input: unknown) => {
      try {
        defineScenario(input as ScenarioInput, { env: {} });
      } catch (e) {
        return (e as ScenarioError).issues.map((i) => `${i.code} ${i.path}`);
      }
      return [];
    };
    expect(codes({ ...base, load: mixed })).toEqual(['E_CONFLICT load.rate']);
    expect(codes({ ...base, load: usersAndStages })).toEqual(['E_CONFLICT load.users']);
    expect(codes({ ...base, load: unitless })).toEqual(['E_BAD_DURATION load.duration']);
    expect(codes({ ...base, load: unitlessText })).toEqual(['E_BAD_DURATION load.duration']);
    expect(codes({ ...base, load: wordy })).toEqual(['E_TYPE load.users']);
    expect(codes({ ...base, load: closed, steps: [fetchStep] })).toEqual(['E_BAD_VALUE steps[0].method']);
    expect(codes({ ...base, load: closed, thresholds: [p95, arrow] })).toEqual(['E_BAD_THRESHOLD thresholds[0]', 'E_BAD_THRESHOLD thresholds[1]']);
    expect(codes({ ...base, load: closed, steps: [statusText] })).toEqual(['E_TYPE steps[0].check.status']);
    expect(codes({ ...base, load: closed, steps: [nameless] })).toEqual(['E_MISSING steps[0].capture']);
    expect(codes(noTarget)).toEqual(['E_MISSING ']);
    expect(codes(typo)).toEqual(['E_UNKNOWN_KEY thresholsd']);
  });
});

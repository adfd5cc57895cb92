import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ResponseView } from '../src/plan/compile.js';
import { cumulativePicker, smoothWeightedRoundRobin } from '../src/plan/picker.js';
import { plan } from '../src/plan/plan.js';
import { compileWorker } from '../src/plan/worker-program.js';
import { defineScenario, loadScenario, type ScenarioInput } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/model.js';

const FULL = fileURLToPath(new URL('./fixtures/scenarios/full.yml', import.meta.url));
const ENV = { SHOP_TOKEN: 'tok', API_KEY: 'k' };
const res = (over: Partial<ResponseView> = {}): ResponseView => ({ status: 200, headers: {}, body: '', durationMs: 10, ...over });
/** Worker `worker` of `workers` compiles its program from its plan. */
const compileScenario = (s: Scenario, o: { worker?: number; workers?: number; seed?: number } = {}) =>
  compileWorker(plan(s, { workers: o.workers ?? 1, seed: o.seed ?? 1 }).workers[o.worker ?? 0].shares[0]);
const one = (input: Omit<ScenarioInput, 'load'> & { load?: ScenarioInput['load'] }) =>
  compileScenario(defineScenario({ load: { users: 1, duration: '1s' }, ...input } as ScenarioInput, { env: {} }));

describe('render', () => {
  it('a constant request is prebuilt once', () => {
    const c = one({ target: 'http://h:1', headers: { Accept: 'text/html', 'X-A': 'a' }, steps: [{ post: '/x', headers: { accept: 'application/json' }, json: { a: 1, b: ['c'] } }] });
    const step = c.flows[0].steps[0];
    expect(step.isStatic).toBe(true);
    const ctx = c.newIteration(0, 1);
    const r = step.render(ctx);
    expect(step.render(ctx)).toBe(r);
    expect(step.staticRequest).toBe(r);
    expect(r).toEqual({ path: '/x', headers: ['accept', 'application/json', 'x-a', 'a', 'content-type', 'application/json'], body: '{"a":1,"b":["c"]}' });
    expect([step.name, step.method, step.origin, step.timeoutMs]).toEqual(['POST /x', 'POST', 'http://h:1', 10_000]);
    expect([step.needsBody, step.needsHeaders]).toEqual([false, false]);
  });

  it('dynamic parts: base path, query encoding, typed JSON, captures', () => {
    const c = one({
      target: 'http://h:1/api',
      variables: { tenant: 'acme' },
      steps: [
        { post: '/users', json: { n: '${randomInt(3, 3)}', t: '${tenant}', s: 'v${randomInt(3, 3)}' }, capture: { json: '$.id', as: 'id' } },
        { get: '/users/${id}?full=1', query: { 'q x': 'a&b ${id}', page: 2 } },
        { put: '/users/${id}', form: { 'first name': 'Ann Lee', id: '${id}' } },
      ],
    });
    const [create, get, put] = c.flows[0].steps;
    const ctx = c.newIteration(0, 1);
    expect(create.isStatic).toBe(false);
    expect(create.render(ctx)).toEqual({ path: '/api/users', headers: ['content-type', 'application/json'], body: '{"n":3,"t":"acme","s":"v3"}' });
    expect(create.evaluate(res({ status: 201, body: '{"id":17}' }), ctx).missingCaptures).toEqual([]);
    expect(ctx.captures.id).toBe(17);
    expect(get.render(ctx).path).toBe('/api/users/17?full=1&q%20x=a%26b%2017&page=2');
    expect(put.render(ctx)).toEqual({ path: '/api/users/17', headers: ['content-type', 'application/x-www-form-urlencoded'], body: 'first+name=Ann+Lee&id=17' });
    expect(get.name).toBe('GET /users/{id}?full=1');
  });

  it('absolute step URLs go to their own origin', () => {
    const c = one({ target: 'http://h:1', steps: ['GET https://other.example:8443/a/b?c=1'] });
    const s = c.flows[0].steps[0];
    expect([s.origin, s.render(c.newIteration(0, 0)).path]).toEqual(['https://other.example:8443', '/a/b?c=1']);
    expect(c.origin).toBe('http://h:1');
  });

  it('raw body default and explicit content-type; per-step timeout and think', () => {
    const c = one({ target: 'http://h', timeout: '3s', steps: [{ post: '/a', body: 'x' }, { post: '/b', body: 'a,b', contentType: 'text/csv', timeout: '1s', think: '1s..2s' }] });
    const [a, b] = c.flows[0].steps;
    expect(a.render(c.newIteration(0, 0)).headers).toEqual(['content-type', 'text/plain; charset=utf-8']);
    expect(b.render(c.newIteration(0, 0)).headers).toEqual(['content-type', 'text/csv']);
    expect([a.timeoutMs, b.timeoutMs]).toEqual([3000, 1000]);
    expect(b.think).toEqual({ minMs: 1000, maxMs: 2000 });
    for (let i = 0; i < 50; i++) {
      const t = c.thinkMs(b.think);
      expect(t).toBeGreaterThanOrEqual(1000);
      expect(t).toBeLessThan(2000);
    }
    expect(c.thinkMs(undefined)).toBe(0);
  });
});

describe('evaluate: captures and checks', () => {
  const c = one({
    target: 'http://h',
    data: { users: { rows: [{ name: 'ann' }] } },
    steps: [
      {
        post: '/x',
        capture: [
          { json: '$.items[0].id', as: 'first' },
          { header: 'Location', as: 'loc' },
          { status: true, as: 'code' },
        ],
        check: [
          { status: [200, 201] },
          { json: '$.items[0].id', equals: 5 },
          { json: '$.owner', equals: '${data.users.name}', name: 'owner is the user' },
          { json: '$.items' },
          { bodyContains: 'items' },
          { maxDuration: '100ms' },
        ],
      },
    ],
  });
  const step = c.flows[0].steps[0];

  it('needs body and headers', () => {
    expect([step.needsBody, step.needsHeaders]).toEqual([true, true]);
  });

  it('all pass', () => {
    const ctx = c.newIteration(0, 0);
    const r = step.evaluate(res({ status: 201, headers: { location: '/x/5' }, body: '{"items":[{"id":5}],"owner":"ann"}', durationMs: 100 }), ctx);
    expect(r).toEqual({
      checks: [
        { name: 'POST /x: status 200|201', passed: true },
        { name: 'POST /x: $.items[0].id == 5', passed: true },
        { name: 'owner is the user', passed: true },
        { name: 'POST /x: $.items exists', passed: true },
        { name: 'POST /x: body contains "items"', passed: true },
        { name: 'POST /x: duration <= 100ms', passed: true },
      ],
      failed: false,
      missingCaptures: [],
    });
    expect(ctx.captures).toEqual({ first: 5, loc: '/x/5', code: 201 });
  });

  it('failures are reported per check and missing captures fail the iteration', () => {
    const ctx = c.newIteration(0, 0);
    const r = step.evaluate(res({ status: 500, body: 'oops', durationMs: 100.5 }), ctx);
    expect(r.checks.map((x) => x.passed)).toEqual([false, false, false, false, false, false]);
    expect(r.failed).toBe(true);
    expect(r.missingCaptures).toEqual(['first', 'loc']);
    expect(ctx.captures).toEqual({ code: 500 });
  });

  it('equals compares scalars across types but not objects', () => {
    const ctx = c.newIteration(0, 0);
    const r = step.evaluate(res({ status: 200, body: '{"items":[{"id":"5"}],"owner":{"n":"ann"}}' }), ctx);
    expect(r.checks[1].passed).toBe(true);
    expect(r.checks[2].passed).toBe(false);
  });

  it('captures do not leak into the next iteration', () => {
    const a = c.newIteration(0, 0);
    step.evaluate(res({ status: 201, headers: { location: 'l' }, body: '{"items":[{"id":1}]}' }), a);
    expect(a.captures.first).toBe(1);
    const b = c.newIteration(0, 0);
    expect(b.captures).toEqual({});
    expect(b.iteration).toBe(a.iteration + 1);
  });
});

describe('flow picking', () => {
  it('smooth weighted round robin matches weights exactly over each cycle', () => {
    const next = smoothWeightedRoundRobin([1, 2]);
    const seq = Array.from({ length: 9 }, next);
    expect(seq).toEqual([1, 0, 1, 1, 0, 1, 1, 0, 1]);
    const next2 = smoothWeightedRoundRobin([5, 3, 2]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 1000; i++) counts[next2()]++;
    expect(counts).toEqual([500, 300, 200]);
  });

  it('compiled scenario: store 1 : query 2 exactly', async () => {
    const c = compileScenario(await loadScenario(FULL, { env: ENV }), { seed: 3 });
    const counts = [0, 0];
    for (let i = 0; i < 300; i++) counts[c.nextFlow()]++;
    expect(counts).toEqual([100, 200]);
  });

  it('cumulative picker boundaries', () => {
    const pick = cumulativePicker([1, 2, 1]);
    expect([0, 0.2499, 0.25, 0.7499, 0.75, 0.9999].map(pick)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe('data rows', () => {
  it('workers read disjoint stripes that cover every row exactly once', () => {
    for (const [n, W] of [
      [10, 3],
      [7, 7],
      [100, 8],
      [5, 1],
    ]) {
      const rows = Array.from({ length: n }, (_, i) => ({ id: String(i) }));
      const s = defineScenario({ target: 'http://h', data: { u: { rows } }, load: { users: W, duration: '1s' }, steps: ['GET /u/${data.u.id}'] }, { env: {} });
      const p = plan(s, { workers: W, seed: 1 });
      const all = p.workers.flatMap((w) => w.shares[0].data.u.rows.map((r) => Number(r.id))).sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    // fewer rows than workers: worker w reads row w mod n
    const s = defineScenario({ target: 'http://h', data: { u: { rows: [{ id: '0' }, { id: '1' }] } }, load: { users: 4, duration: '1s' }, steps: ['GET /u/${data.u.id}'] }, { env: {} });
    expect(plan(s, { workers: 4 }).workers.map((w) => w.shares[0].data.u.rows.map((r) => r.id))).toEqual([['0'], ['1'], ['0'], ['1']]);
  });

  it('sequential rows: workers read disjoint stripes and wrap', () => {
    const s = defineScenario(
      { target: 'http://h', data: { u: { rows: Array.from({ length: 10 }, (_, i) => ({ id: String(i) })) } }, load: { users: 3, duration: '1s' }, steps: ['GET /u/${data.u.id}'] },
      { env: {} },
    );
    const W = 3;
    const seen: string[][] = [];
    for (let w = 0; w < W; w++) {
      const c = compileScenario(s, { worker: w, workers: W, seed: 1 });
      const step = c.flows[0].steps[0];
      seen.push(Array.from({ length: 8 }, () => step.render(c.newIteration(0, 0)).path));
    }
    expect(seen[0]).toEqual(['/u/0', '/u/3', '/u/6', '/u/9', '/u/0', '/u/3', '/u/6', '/u/9']);
    expect(seen[1]).toEqual(['/u/1', '/u/4', '/u/7', '/u/1', '/u/4', '/u/7', '/u/1', '/u/4']);
    expect(seen[2].slice(0, 3)).toEqual(['/u/2', '/u/5', '/u/8']);
  });

  it('random rows come from a seeded PRNG; flows not using a source leave it alone', async () => {
    const s = defineScenario(
      {
        target: 'http://h',
        data: { u: { rows: Array.from({ length: 50 }, (_, i) => ({ id: String(i) })), order: 'random' }, v: { rows: [{ k: 'a' }, { k: 'b' }] } },
        load: { users: 2, duration: '1s' },
        flows: [
          { name: 'a', steps: ['GET /u/${data.u.id}'] },
          { name: 'b', steps: ['GET /v/${data.v.k}'] },
        ],
      },
      { env: {} },
    );
    const run = (seed: number) => {
      const c = compileScenario(s, { worker: 1, workers: 2, seed });
      return Array.from({ length: 20 }, () => c.flows[0].steps[0].render(c.newIteration(0, 0)).path);
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
    expect(new Set(run(5)).size).toBeGreaterThan(5);
    const c = compileScenario(s, { seed: 1 });
    expect(c.flows.map((f) => f.dataSources)).toEqual([['u'], ['v']]);
    expect(Object.keys(c.newIteration(1, 0).rows)).toEqual(['v']);
  });

  it('full scenario renders with data rows, captures and variables', async () => {
    const c = compileScenario(await loadScenario(FULL, { env: ENV }), { seed: 7 });
    const [create, put, del] = c.flows[0].steps;
    const ctx = c.newIteration(0, 9);
    const r = create.render(ctx);
    const body = JSON.parse(r.body!);
    expect(body.name).toBe('alice');
    expect(body.email).toBe('alice@example.com');
    expect(body.age).toBeGreaterThanOrEqual(18);
    expect(body.age).toBeLessThanOrEqual(99);
    expect(['a', 'b']).toContain(body.tags[1]);
    expect(r.headers).toEqual(['accept', 'application/json', 'authorization', 'Bearer tok', 'x-tenant', 'acme', 'x-api-key', 'k', 'content-type', 'application/json']);
    const ev = create.evaluate(res({ status: 201, headers: { location: '/users/u-1' }, body: '{"id":"u-1","name":"alice"}' }), ctx);
    expect(ev.failed).toBe(false);
    expect(put.render(ctx).path).toBe('/users/u-1');
    expect(del.render(ctx)).toMatchObject({ path: '/users/u-1', body: null });
    const q = c.flows[1].steps[0].render(c.newIteration(1, 9)).path;
    expect(q).toMatch(/^\/products\/A1\?q=[0-9a-f-]{36}&page=2$/);
  });

  it('rejects a worker count that is not a positive whole number', () => {
    const s = defineScenario({ target: 'http://h', load: { users: 1, duration: '1s' }, steps: ['GET /'] }, { env: {} });
    expect(() => plan(s, { workers: 0 })).toThrow(/workers must be a positive whole number/);
    expect(() => plan(s, { workers: 1.5 })).toThrow(/workers must be a positive whole number/);
  });
});

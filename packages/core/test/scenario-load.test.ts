import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseJsonRows } from '../src/scenario/data.js';
import { parseDuration, parseDurationRange } from '../src/scenario/duration.js';
import { substituteEnv } from '../src/scenario/env.js';
import { ScenarioError } from '../src/scenario/errors.js';
import { defineScenario, loadScenario, parseScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/model.js';
import { redactScenario, redactText, secretValues } from '../src/scenario/redact.js';

const FULL = fileURLToPath(new URL('./fixtures/scenarios/full.yml', import.meta.url));
const ENV = { SHOP_TOKEN: 'tok-s3cret-9f8e', API_KEY: 'key-abcdef-42' };

describe('full scenario', () => {
  it('normalises every section', async () => {
    const s = await loadScenario(FULL, { env: ENV });
    expect(s.name).toBe('shop-api');
    expect(s.description).toBe('store 1 : query 2 at a ramped arrival rate');
    expect(s.target).toBe('http://127.0.0.1:3000');
    expect(s.timeoutMs).toBe(5000);
    expect(s.pipelining).toBe(2);
    expect(s.file).toBe(FULL);
    expect(s.headers).toEqual({ accept: 'application/json', authorization: 'Bearer tok-s3cret-9f8e', 'x-tenant': '${tenant}' });
    expect(s.variables).toEqual({ tenant: { value: 'acme', secret: false }, apiKey: { value: 'key-abcdef-42', secret: true } });
    expect(s.load).toEqual({
      model: 'open',
      startRate: 10,
      stages: [
        { durationMs: 60_000, rate: 100, name: 'ramp' },
        { durationMs: 300_000, rate: 100, name: 'hold' },
      ],
      maxInFlight: 400,
      connections: 256,
    });
    expect(s.rateShortfall).toEqual({ maxShortfall: 0.1, graceMs: 30_000, abort: true });
    expect(s.flows!.map((f) => [f.name, f.weight, f.steps.map((st) => st.name)])).toEqual([
      ['store', 1, ['create user', 'PUT /users/{userId}', 'DELETE /users/{userId}']],
      ['query', 2, ['GET /products/{sku}', 'GET /health']],
    ]);
    const [create, put] = s.flows![0].steps;
    expect(s.flows![0].pace).toEqual({ minMs: 500, maxMs: 1000 });
    expect(create).toEqual({
      name: 'create user',
      method: 'POST',
      path: '/users',
      query: {},
      headers: { 'x-api-key': '${apiKey}' },
      body: {
        kind: 'json',
        value: { name: '${data.users.name}', email: '${data.users.email}', age: '${randomInt(18, 99)}', tags: ['new', "${pick('a', 'b')}"] },
      },
      captures: [
        { as: 'userId', from: 'json', path: '$.id' },
        { as: 'where', from: 'header', header: 'location' },
      ],
      checks: [
        { name: 'create user: status 201', kind: 'status', in: [201] },
        { name: 'name echoed', kind: 'json_equals', path: '$.name', value: '${data.users.name}' },
      ],
      think: { minMs: 100, maxMs: 100 },
    });
    expect(put.body).toEqual({ kind: 'form', value: { name: 'renamed', note: 'x y' } });
    expect(put.checks).toEqual([
      { name: 'PUT /users/{userId}: status 200|204', kind: 'status', in: [200, 204] },
      { name: 'PUT /users/{userId}: duration <= 1s', kind: 'max_duration', ms: 1000 },
    ]);
    expect(put.timeoutMs).toBe(2000);
    expect(s.flows![1].steps[0].query).toEqual({ q: '${uuid()}', page: '2' });
    expect(s.flows![1].steps[1]).toEqual({ name: 'GET /health', method: 'GET', path: '/health', query: {}, headers: {}, captures: [], checks: [] });
    expect(s.thresholds).toEqual([
      { expression: 'p(95) < 200ms', scope: 'total', abortOnFail: false, delayAbortEvalMs: 0 },
      { expression: 'error_rate < 1%', scope: 'total', abortOnFail: false, delayAbortEvalMs: 0 },
      { expression: 'p(99.9) < 1s', scope: 'GET /products/{sku}', abortOnFail: true, delayAbortEvalMs: 10_000 },
      { expression: 'failed_rate < 5%', scope: 'flow:store', abortOnFail: false, delayAbortEvalMs: 0 },
    ]);
    expect(s.reporters).toEqual([
      { type: 'json', options: { path: 'result.json' } },
      { type: 'influxdb', options: { url: 'http://influx:8086', token: 'none' } },
    ]);
    expect(s.tags).toEqual({ team: 'perf', build: '42' });
  });

  it('reads CSV and JSON data files relative to the scenario', async () => {
    const s = await loadScenario(FULL, { env: ENV });
    expect(s.data.users.file).toBe('users.csv');
    expect(s.data.users.order).toBe('sequential');
    expect(s.data.users.rows).toEqual([
      { name: 'alice', email: 'alice@example.com' },
      { name: 'bob', email: 'bob@example.com' },
      { name: 'carol, jr', email: 'carol@example.com' },
      { name: 'dave', email: 'dave "d" @example.com' },
      { name: 'erin', email: 'erin@example.com' },
    ]);
    expect(s.data.products.rows).toEqual([
      { sku: 'A1', price: '10' },
      { sku: 'B2', price: '12.5' },
      { sku: 'C3', price: '' },
    ]);
  });

  it('is structured-cloneable plain data', async () => {
    const s = await loadScenario(FULL, { env: ENV });
    expect(structuredClone(s)).toEqual(s);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('redactScenario removes every secret', async () => {
    const s = await loadScenario(FULL, { env: ENV });
    const text = JSON.stringify(redactScenario(s));
    expect(text).not.toContain('tok-s3cret-9f8e');
    expect(text).not.toContain('key-abcdef-42');
    expect(text).not.toContain('alice@example.com'); // data rows are not copied
    const r = redactScenario(s) as Scenario & { data: Record<string, { rowCount: number }> };
    expect(r.headers.authorization).toBe('***');
    expect(r.headers.accept).toBe('application/json');
    expect(r.flows![0].steps[0].headers['x-api-key']).toBe('***');
    expect(r.variables.apiKey).toEqual({ value: '***', secret: true });
    expect(r.variables.tenant).toEqual({ value: 'acme', secret: false });
    expect(r.data.users.rowCount).toBe(5);
    expect(r.reporters[1].options.token).toBe('***');
    expect(r.reporters[1].options.url).toBe('http://influx:8086');
    // the original is untouched
    expect(s.headers.authorization).toBe('Bearer tok-s3cret-9f8e');
  });

  it('secretValues lists what to scrub from text', async () => {
    const s = await loadScenario(FULL, { env: ENV });
    const values = secretValues(s);
    expect(values).toEqual(['Bearer tok-s3cret-9f8e', 'tok-s3cret-9f8e', 'key-abcdef-42']);
    expect(redactText('GET failed: authorization=Bearer tok-s3cret-9f8e key=key-abcdef-42', values)).toBe('GET failed: authorization=*** key=***');
  });

  it('a header whose value is a secret literal is redacted, and so is the target password', () => {
    const s = defineScenario({
      target: 'http://user:hunter22@h:1',
      variables: { pw: { value: 'p4ssw0rd!', secret: true } },
      headers: { 'x-custom': 'p4ssw0rd!', 'x-other': 'prefix-${pw}' },
      load: { users: 1, duration: '1s' },
      steps: [{ post: '/login', json: { password: 'p4ssw0rd!' } }],
    });
    const text = JSON.stringify(redactScenario(s));
    expect(text).not.toContain('p4ssw0rd!');
    expect(text).not.toContain('hunter22');
    const r = redactScenario(s) as Scenario;
    expect(r.headers).toEqual({ 'x-custom': '***', 'x-other': '***' });
    expect(r.target).toBe('http://user:***@h:1');
  });
});

describe('env substitution', () => {
  const text = (target: string) => `target: ${target}\nload: { rate: "\${env.RATE ?? 50}", duration: "\${DUR:-30s}" }\nsteps: [GET /]\n`;

  it('uses values and defaults', () => {
    const a = parseScenario(text('${env.URL}'), { env: { URL: 'http://a:1', RATE: '200', DUR: '1m' } });
    expect(a.target).toBe('http://a:1');
    expect(a.load).toMatchObject({ model: 'open', startRate: 200, stages: [{ rate: 200, durationMs: 60_000 }] });
    const b = parseScenario(text("${env.URL ?? 'http://b:2'}"), { env: {} });
    expect(b.target).toBe('http://b:2');
    expect(b.load).toMatchObject({ startRate: 50, stages: [{ rate: 50, durationMs: 30_000 }] });
    // an empty value takes the default
    expect(parseScenario(text('${URL:-http://c:3}'), { env: { URL: '' } }).target).toBe('http://c:3');
  });

  it('keeps other templates and escapes env values in templates', () => {
    expect(substituteEnv('/a/${env.X}/${id}', { X: 'x${y}' }, 'template').value).toBe('/a/x$${y}/${id}');
    expect(substituteEnv('$${env.X} ${env.X}', { X: 'v' }, 'literal').value).toBe('${env.X} v');
    expect(() => substituteEnv('${id}', {}, 'literal')).toThrow(/is not allowed here/);
  });

  it('a non-numeric env value in a number field is E_TYPE', () => {
    expect(() => parseScenario(text('http://a'), { env: { RATE: 'fast' } })).toThrow(ScenarioError);
    try {
      parseScenario(text('http://a'), { env: { RATE: 'fast' }, file: 'x.yml' });
    } catch (e) {
      expect((e as ScenarioError).issues[0].message).toBe('x.yml:2:15: load.rate: got "fast", expected iterations per second >= 0');
    }
  });
});

describe('load models', () => {
  const load = (l: string) => parseScenario(`target: http://x\nload: ${l}\nsteps: [GET /]\n`, { env: {} }).load;

  it('closed model shorthand, Locust style', () => {
    expect(load('{ users: 100, spawnRate: 10, duration: 3h }')).toEqual({ model: 'closed', stages: [{ durationMs: 10_800_000, users: 100, spawnRate: 10 }] });
  });
  it('closed stages inherit spawnRate', () => {
    expect(load('{ spawnRate: 5, stages: [{ users: 10, duration: 1m }, { users: 50, spawnRate: 20, duration: 1h30m, name: soak }, { users: 0, duration: 30s }] }')).toEqual({
      model: 'closed',
      stages: [
        { durationMs: 60_000, users: 10, spawnRate: 5 },
        { durationMs: 5_400_000, users: 50, spawnRate: 20, name: 'soak' },
        { durationMs: 30_000, users: 0, spawnRate: 5 },
      ],
    });
  });
  it('iterations without duration get the 10m cap', () => {
    expect(load('{ users: 4, iterations: 1000 }')).toEqual({ model: 'closed', iterations: 1000, stages: [{ durationMs: 600_000, users: 4 }] });
  });
  it('open model: constant rate and defaults', () => {
    expect(load('{ rate: 2000, duration: 30s }')).toEqual({ model: 'open', startRate: 2000, stages: [{ durationMs: 30_000, rate: 2000 }], maxInFlight: 4000, connections: 256 });
    expect(load('{ rate: 10, duration: 30s }')).toMatchObject({ maxInFlight: 100, connections: 100 });
  });
  it('open model: k6 ramping stages start at startRate (default 0)', () => {
    expect(load('{ stages: [{ rate: 50, duration: 1m }, { rate: 50, duration: 5m }], connections: 32 }')).toEqual({
      model: 'open',
      startRate: 0,
      stages: [
        { durationMs: 60_000, rate: 50 },
        { durationMs: 300_000, rate: 50 },
      ],
      maxInFlight: 100,
      connections: 32,
    });
  });
  it('open model: Artillery phases (arrivalRate, rampTo) step where they start', () => {
    expect(load('{ stages: [{ arrivalRate: 5, rampTo: 50, duration: 1m }, { arrivalRate: 50, duration: 2m }, { arrivalRate: 10, duration: 1m }] }')).toEqual({
      model: 'open',
      startRate: 5,
      stages: [
        { durationMs: 60_000, rate: 50 },
        { durationMs: 120_000, rate: 50 },
        { durationMs: 0, rate: 10 },
        { durationMs: 60_000, rate: 10 },
      ],
      maxInFlight: 100,
      connections: 100,
    });
  });
});

describe('shapes of the format', () => {
  it('flows as a map, step forms, capture and check shorthands', () => {
    const s = parseScenario(
      [
        'target: http://x/api/',
        'load: { users: 1, duration: 1s }',
        'scenarios:',
        '  browse:',
        '    weight: 3',
        '    steps:',
        '      - { method: patch, path: "/a/${vars.v}", body: "raw ${vars.v}", contentType: text/csv }',
        '      - "delete /b"',
        'variables: { v: 7 }',
      ].join('\n'),
      { env: {} },
    );
    expect(s.target).toBe('http://x/api');
    expect(s.flows).toEqual([
      {
        name: 'browse',
        weight: 3,
        steps: [
          { name: 'PATCH /a/{v}', method: 'PATCH', path: '/a/${vars.v}', query: {}, headers: {}, captures: [], checks: [], body: { kind: 'raw', value: 'raw ${vars.v}', contentType: 'text/csv' } },
          { name: 'DELETE /b', method: 'DELETE', path: '/b', query: {}, headers: {}, captures: [], checks: [] },
        ],
      },
    ]);
    expect(s.variables.v).toEqual({ value: '7', secret: false });
  });

  it('thresholds in k6 map form', () => {
    const s = parseScenario(
      'target: http://x\nload: { users: 1, duration: 1s }\nflows:\n  - { name: store, steps: ["GET /x"] }\nthresholds:\n  total: ["p(95) < 200ms", "checks > 99%"]\n  "GET /x": "error_rate < 1%"\n  "flow:store": [{ expression: "p(90) < 2s", abortOnFail: true }]\n',
      { env: {} },
    );
    expect(s.thresholds).toEqual([
      { expression: 'p(95) < 200ms', scope: 'total', abortOnFail: false, delayAbortEvalMs: 0 },
      { expression: 'checks > 99%', scope: 'total', abortOnFail: false, delayAbortEvalMs: 0 },
      { expression: 'error_rate < 1%', scope: 'GET /x', abortOnFail: false, delayAbortEvalMs: 0 },
      { expression: 'p(90) < 2s', scope: 'flow:store', abortOnFail: true, delayAbortEvalMs: 0 },
    ]);
  });

  it('defaults: name from the file, 10s timeout, pipelining 1', () => {
    const s = parseScenario('target: http://x\nload: { users: 1, duration: 1s }\nsteps: [GET /]\n', { file: '/tmp/smoke-test.yml', env: {} });
    expect([s.name, s.timeoutMs, s.pipelining, s.flows![0].name, s.flows![0].weight]).toEqual(['smoke-test', 10_000, 1, 'default', 1]);
  });

  it('defineScenario takes the YAML shape as a typed object', () => {
    const s = defineScenario({
      name: 'lib',
      target: 'http://127.0.0.1:8080',
      data: { ids: { rows: [{ id: 1 }, { id: 2 }], order: 'random' } },
      load: { rate: 100, duration: '10s', maxInFlight: 50 },
      flows: [{ name: 'read', steps: [{ get: '/items/${data.ids.id}', check: { status: 200 } }] }],
      thresholds: ['p(99) < 50ms'],
    });
    expect(s.data.ids).toEqual({ file: '(inline)', order: 'random', rows: [{ id: '1' }, { id: '2' }] });
    expect(s.flows![0].steps[0].checks).toEqual([{ name: 'GET /items/{id}: status 200', kind: 'status', in: [200] }]);
    expect(s.load).toMatchObject({ maxInFlight: 50, connections: 50 });
    expect(() => defineScenario({ target: 'http://x', load: { users: 1, duration: '1s' }, steps: [{ get: '/${nope}' }] })).toThrow(
      '"nope" is neither a capture of an earlier step nor a variable',
    );
    try {
      defineScenario({ target: 'http://x', load: { users: 1, duration: '1 s' }, steps: ['GET /'] });
    } catch (e) {
      expect((e as ScenarioError).message).toBe('load.duration: "1 s" is not a duration, expected a duration like 500ms, 30s, 5m or 1h30m');
      expect((e as ScenarioError).line).toBeUndefined();
    }
  });
});

describe('durations and data parsing', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['3h', 10_800_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['250us', 0.25],
    ['0', 0],
  ])('%s = %d ms', (s, ms) => expect(parseDuration(s)).toBe(ms));
  it.each(['30', '5 min', 's', '-1s', '1x', ''])('%j is not a duration', (s) => expect(parseDuration(s)).toBeUndefined());
  it('ranges', () => {
    expect(parseDurationRange('500ms..2s')).toEqual({ minMs: 500, maxMs: 2000 });
    expect(parseDurationRange('1s')).toEqual({ minMs: 1000, maxMs: 1000 });
    expect(parseDurationRange('2s..1s')).toBeUndefined();
  });
  it('CSV: quotes, CRLF, BOM, semicolons; bad rows rejected', () => {
    expect(parseCsv('\ufeffa;b\r\n1;"x;""y"""\r\n\r\n')).toEqual([{ a: '1', b: 'x;"y"' }]);
    expect(() => parseCsv('a,b\n1\n')).toThrow('row 2 has 1 fields, the header has 2');
    expect(parseJsonRows('[{"a":1,"b":{"c":true}}]')).toEqual([{ a: '1', b: '{"c":true}' }]);
    expect(() => parseJsonRows('{"a":1}')).toThrow('expected an array of objects');
  });
});

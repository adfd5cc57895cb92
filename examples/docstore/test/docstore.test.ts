import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { start, type RunningService } from '../src/index.js';
import { buildPackage, http, spawnEntry } from './helpers.js';

let service: RunningService;
const url = (path: string) => `${service.url}${path}`;
const put = (path: string, json: unknown) => http(url(path), { method: 'PUT', json });

const sample = () => ({
  name: 'Ada',
  age: 36,
  address: { city: 'London', zip: 'N1', geo: { lat: 51.5, lon: -0.1 } },
  tags: ['math', 'engines'],
  stats: { visits: 10, ratio: 1.5 },
  orders: [{ id: 'o1', total: 12.5 }],
});

async function create(doc: unknown = sample()): Promise<string> {
  const res = await http(url('/docs'), { method: 'POST', json: doc });
  expect(res.status).toBe(201);
  return res.body.key as string;
}

beforeAll(async () => {
  service = await start();
});
afterAll(async () => {
  await service.close();
});

describe('docstore: create and read', () => {
  let key: string;
  beforeEach(async () => {
    key = await create();
  });

  it('POST stores the body under a generated key and echoes it', async () => {
    const res = await http(url('/docs'), { method: 'POST', json: { hello: 'world' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ key: expect.stringMatching(/^[0-9a-f-]{36}$/), doc: { hello: 'world' } });
    expect((await http(url(`/docs/${res.body.key}`))).body).toEqual({ hello: 'world' });
    expect(res.body.key).not.toBe(key);
  });

  it('GET the whole document', async () => {
    const res = await http(url(`/docs/${key}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body).toEqual(sample());
  });

  it.each([
    ['/name', 'Ada'],
    ['/age', 36],
    ['/address', sample().address],
    ['/address/city', 'London'],
    ['/address/geo/lat', 51.5],
    ['/tags/0', 'math'],
    ['/tags/1', 'engines'],
    ['/orders/0/total', 12.5],
  ])('GET field %s', async (path, expected) => {
    const res = await http(url(`/docs/${key}${path}`));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expected);
  });

  it('keys: top level and nested', async () => {
    expect((await http(url(`/docs/${key}/keys`))).body).toEqual(['name', 'age', 'address', 'tags', 'stats', 'orders']);
    expect((await http(url(`/docs/${key}/address/keys`))).body).toEqual(['city', 'zip', 'geo']);
    expect((await http(url(`/docs/${key}/orders/0/keys`))).body).toEqual(['id', 'total']);
  });

  it('empty body or ?random=true creates a random nested document with the documented shape', async () => {
    for (const init of [{ method: 'POST' }, { method: 'POST', json: { ignored: true } }] as const) {
      const target = 'json' in init ? url('/docs?random=true') : url('/docs');
      const res = await http(target, init);
      expect(res.status).toBe(201);
      const doc = res.body.doc;
      expect(doc).not.toHaveProperty('ignored');
      expect(doc).toMatchObject({ name: expect.any(String), address: { city: expect.any(String), geo: { lat: expect.any(Number) } }, stats: { visits: expect.any(Number) } });
      expect(Array.isArray(doc.tags) && doc.tags.length >= 1).toBe(true);
      expect((await http(url(`/docs/${res.body.key}/address/city`))).body).toBe(doc.address.city);
    }
  });

  it('GET /docs counts documents; DELETE removes one', async () => {
    const before = (await http(url('/docs'))).body.count as number;
    expect((await http(url(`/docs/${key}`), { method: 'DELETE' })).status).toBe(204);
    expect((await http(url('/docs'))).body.count).toBe(before - 1);
    expect((await http(url(`/docs/${key}`))).status).toBe(404);
    expect((await http(url(`/docs/${key}`), { method: 'DELETE' })).status).toBe(404);
  });
});

describe('docstore: PUT operations', () => {
  let key: string;
  beforeEach(async () => {
    key = await create();
  });

  it('set replaces a value, creates a missing field, and sets nested sub-documents', async () => {
    expect((await put(`/docs/${key}/address/city`, { op: 'set', value: 'Paris' })).body).toEqual({ key, path: 'address/city', value: 'Paris' });
    expect((await put(`/docs/${key}/nickname`, { op: 'set', value: 'Countess' })).status).toBe(200);
    expect((await put(`/docs/${key}/address/geo`, { op: 'set', value: { lat: 0, lon: 0 } })).status).toBe(200);
    expect((await put(`/docs/${key}/tags/1`, { op: 'set', value: 'poetry' })).status).toBe(200);
    expect((await put(`/docs/${key}/tags/2`, { op: 'set', value: 'appended' })).status).toBe(200);
    const doc = (await http(url(`/docs/${key}`))).body;
    expect(doc.address).toEqual({ city: 'Paris', zip: 'N1', geo: { lat: 0, lon: 0 } });
    expect(doc.nickname).toBe('Countess');
    expect(doc.tags).toEqual(['math', 'poetry', 'appended']);
  });

  it('set with null is a value, not a deletion', async () => {
    expect((await put(`/docs/${key}/age`, { op: 'set', value: null })).body.value).toBeNull();
    expect((await http(url(`/docs/${key}/age`))).body).toBeNull();
  });

  it('append adds to an array and returns the new array', async () => {
    const res = await put(`/docs/${key}/tags`, { op: 'append', value: 'analysis' });
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual(['math', 'engines', 'analysis']);
    await put(`/docs/${key}/tags`, { op: 'append', value: { nested: true } });
    expect((await http(url(`/docs/${key}/tags/3/nested`))).body).toBe(true);
  });

  it('increment and multiply change numbers', async () => {
    expect((await put(`/docs/${key}/stats/visits`, { op: 'increment', by: 5 })).body.value).toBe(15);
    expect((await put(`/docs/${key}/stats/visits`, { op: 'increment', by: -1 })).body.value).toBe(14);
    expect((await put(`/docs/${key}/stats/ratio`, { op: 'multiply', by: 3 })).body.value).toBe(4.5);
    expect((await put(`/docs/${key}/orders/0/total`, { op: 'multiply', by: 2 })).body.value).toBe(25);
    expect((await http(url(`/docs/${key}/stats`))).body).toEqual({ visits: 14, ratio: 4.5 });
  });

  it('PUT on the document itself replaces it (or creates it under a chosen key)', async () => {
    expect((await put(`/docs/${key}`, { op: 'set', value: { fresh: 1 } })).status).toBe(200);
    expect((await http(url(`/docs/${key}`))).body).toEqual({ fresh: 1 });
    const created = await put('/docs/my-own-key', { op: 'set', value: { mine: true } });
    expect(created.status).toBe(201);
    expect((await http(url('/docs/my-own-key/mine'))).body).toBe(true);
    expect((await put(`/docs/${key}`, { op: 'set', value: [1] })).body.field).toBe('value');
    expect((await put(`/docs/${key}`, { op: 'increment', by: 1 })).body.field).toBe('op');
  });

  it.each([
    ['append to a non-array', '/name', { op: 'append', value: 'x' }, 'path'],
    ['increment a string', '/name', { op: 'increment', by: 1 }, 'path'],
    ['multiply an object', '/address', { op: 'multiply', by: 2 }, 'path'],
    ['increment by a string', '/age', { op: 'increment', by: '1' }, 'by'],
    ['multiply without by', '/age', { op: 'multiply' }, 'by'],
    ['overflow to Infinity', '/age', { op: 'multiply', by: 1e308 }, 'by'],
    ['unknown op', '/age', { op: 'divide', by: 2 }, 'op'],
    ['missing op', '/age', { value: 1 }, 'op'],
    ['set without value', '/age', { op: 'set' }, 'value'],
    ['body not an object', '/age', [1], 'body'],
    ['non-index on an array', '/tags/first', { op: 'set', value: 1 }, 'path'],
    ['descend into a number', '/age/years', { op: 'set', value: 1 }, 'path'],
    ['empty path segment', '/address//city', { op: 'set', value: 1 }, 'path'],
    ['prototype key', '/__proto__/polluted', { op: 'set', value: 1 }, 'path'],
    ['constructor key', '/constructor', { op: 'set', value: 1 }, 'path'],
  ])('400: %s', async (_name, path, body, field) => {
    const res = await put(`/docs/${key}${path}`, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.any(String), field });
    expect((await http(url(`/docs/${key}`))).body).toEqual(sample());
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['unknown key', 'nope', '/age', { op: 'increment', by: 1 }],
    ['missing field', '', '/missing', { op: 'increment', by: 1 }],
    ['missing parent', '', '/nothere/city', { op: 'set', value: 1 }],
    ['append to a missing field', '', '/list', { op: 'append', value: 1 }],
    ['index beyond the end', '', '/tags/5', { op: 'set', value: 'x' }],
  ])('404: %s', async (_name, keyOverride, path, body) => {
    const res = await put(`/docs/${keyOverride || key}${path}`, body);
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual(expect.any(String));
    expect((await http(url(`/docs/${key}`))).body).toEqual(sample());
  });
});

describe('docstore: GET errors', () => {
  let key: string;
  beforeAll(async () => {
    key = await create();
  });

  it.each([
    ['/docs/unknown-key', 404, 'key'],
    ['/docs/unknown-key/name', 404, 'key'],
    ['/docs/unknown-key/keys', 404, 'key'],
    ['/docs/KEY/missing', 404, 'path'],
    ['/docs/KEY/address/missing', 404, 'path'],
    ['/docs/KEY/tags/2', 404, 'path'],
    ['/docs/KEY/tags/x', 400, 'path'],
    ['/docs/KEY/tags/-1', 400, 'path'],
    ['/docs/KEY/name/first', 400, 'path'],
    ['/docs/KEY/address//city', 400, 'path'],
    ['/docs/KEY/__proto__', 400, 'path'],
    ['/docs/KEY/tags/keys', 400, 'path'],
    ['/docs/KEY/name/keys', 400, 'path'],
  ])('GET %s → %i', async (path, status, field) => {
    const res = await http(url(path.replace('KEY', key)));
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: expect.any(String), field });
  });

  it.each([
    ['a JSON array', 'application/json', '[1,2]'],
    ['a JSON string', 'application/json', '"doc"'],
    ['malformed JSON', 'application/json', '{"a":'],
    ['text', 'text/plain', 'hello'],
  ])('POST /docs with %s → 400 body', async (_name, contentType, body) => {
    const before = (await http(url('/docs'))).body.count;
    const res = await http(url('/docs'), { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('body');
    expect((await http(url('/docs'))).body.count).toBe(before);
  });

  it('POST /docs?random=maybe → 400 random', async () => {
    const res = await http(url('/docs?random=maybe'), { method: 'POST' });
    expect(res).toMatchObject({ status: 400, body: { field: 'random' } });
  });
});

describe('docstore main.js', () => {
  beforeAll(() => buildPackage());

  it('prints its listening line, serves documents and exits 0 on SIGTERM', async () => {
    const proc = await spawnEntry('main.js', { env: { PORT: '0' } });
    expect(proc.line).toMatch(/^docstore listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect((await http(`${proc.url}/health`)).body).toEqual({ status: 'ok' });
    const created = await http(`${proc.url}/docs`, { method: 'POST' });
    expect(created.status).toBe(201);
    expect(await proc.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});

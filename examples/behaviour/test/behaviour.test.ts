import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type RunningService } from '../src/index.js';
import { buildPackage, http, spawnEntry } from './helpers.js';

let service: RunningService;
const post = (json: unknown) => http(`${service.url}/v1/behaviors`, { method: 'POST', json });
const list = (user: string, query = '') => http(`${service.url}/v1/users/${encodeURIComponent(user)}/behaviors${query}`);

beforeAll(async () => {
  service = await start({ port: 0 });
});
afterAll(async () => {
  await service.close();
});

describe('behaviour service', () => {
  it('answers /health', async () => {
    const res = await http(`${service.url}/health`);
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('stores a record and returns it with a generated id; the user can read it back', async () => {
    const created = await post({ user: 'alice', article: 'a-1', status: 'like', time: '2024-03-01T10:00:00Z' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), user: 'alice', article: 'a-1', status: 'like', time: '2024-03-01T10:00:00.000Z' });
    const read = await list('alice');
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ user: 'alice', count: 1, counts: { love: 0, like: 1, angry: 0, cry: 0 }, items: [created.body] });
  });

  it('defaults time to now and accepts epoch milliseconds', async () => {
    const before = Date.now();
    const now = await post({ user: 'tim', article: 'x', status: 'cry' });
    const epoch = await post({ user: 'tim', article: 'y', status: 'love', time: 1_700_000_000_000 });
    expect(now.status).toBe(201);
    expect(Date.parse(now.body.time)).toBeGreaterThanOrEqual(before - 5);
    expect(Date.parse(now.body.time)).toBeLessThanOrEqual(Date.now() + 5);
    expect(epoch.body.time).toBe(new Date(1_700_000_000_000).toISOString());
    expect(now.body.id).not.toBe(epoch.body.id);
  });

  describe('queries by status and time range', () => {
    const user = 'bob';
    const records = [
      { status: 'love', time: '2024-01-01T00:00:00Z' },
      { status: 'like', time: '2024-01-02T00:00:00Z' },
      { status: 'like', time: '2024-01-03T00:00:00Z' },
      { status: 'angry', time: '2024-01-04T00:00:00Z' },
      { status: 'cry', time: '2024-01-05T00:00:00Z' },
      { status: 'like', time: '2024-01-06T00:00:00Z' },
    ];

    beforeAll(async () => {
      // Posted out of order: the store must still answer in time order.
      for (const i of [3, 0, 5, 1, 4, 2]) {
        const r = records[i]!;
        expect((await post({ user, article: `art-${i}`, ...r })).status).toBe(201);
      }
    });

    it('lists everything in time order with per-status counts', async () => {
      const res = await list(user);
      expect(res.body.count).toBe(6);
      expect(res.body.counts).toEqual({ love: 1, like: 3, angry: 1, cry: 1 });
      expect(res.body.items.map((r: { article: string }) => r.article)).toEqual(['art-0', 'art-1', 'art-2', 'art-3', 'art-4', 'art-5']);
    });

    it('filters by status', async () => {
      const res = await list(user, '?status=like');
      expect(res.status).toBe(200);
      expect(res.body.count).toBe(3);
      expect(res.body.items.every((r: { status: string }) => r.status === 'like')).toBe(true);
    });

    it('filters by an inclusive time range (ISO and epoch ms)', async () => {
      const iso = await list(user, '?from=2024-01-02T00:00:00Z&to=2024-01-04T00:00:00Z');
      expect(iso.body.count).toBe(3);
      expect(iso.body.counts).toEqual({ love: 0, like: 2, angry: 1, cry: 0 });
      const from = Date.parse('2024-01-03T00:00:00Z');
      const epoch = await list(user, `?from=${from}&status=like`);
      expect(epoch.body.items.map((r: { article: string }) => r.article)).toEqual(['art-2', 'art-5']);
      const empty = await list(user, '?from=2025-01-01');
      expect(empty.body).toMatchObject({ count: 0, counts: { love: 0, like: 0, angry: 0, cry: 0 }, items: [] });
    });

    it('limit caps the items but count still counts every match', async () => {
      const res = await list(user, '?status=like&limit=2');
      expect(res.body.count).toBe(3);
      expect(res.body.items.map((r: { article: string }) => r.article)).toEqual(['art-1', 'art-2']);
      expect((await list(user, '?limit=0')).body).toMatchObject({ count: 6, items: [] });
    });

    it('an unknown user has an empty list', async () => {
      const res = await list('nobody');
      expect(res.body).toEqual({ user: 'nobody', count: 0, counts: { love: 0, like: 0, angry: 0, cry: 0 }, items: [] });
    });

    it.each([
      ['?status=meh', 'status'],
      ['?from=yesterday', 'from'],
      ['?to=2024-13-45', 'to'],
      ['?from=2024-02-01&to=2024-01-01', 'from'],
      ['?limit=-1', 'limit'],
      ['?limit=20000', 'limit'],
    ])('rejects query %s with 400 naming %s', async (query, field) => {
      const res = await list(user, query);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ field, error: expect.any(String) });
    });
  });

  describe('invalid payloads: 400 naming the field, nothing stored', () => {
    const user = 'mallory';
    const valid = { user, article: 'a', status: 'love' };
    const cases: Array<[string, unknown, string]> = [
      ['missing user', { article: 'a', status: 'love' }, 'user'],
      ['empty user', { ...valid, user: '' }, 'user'],
      ['missing article', { user, status: 'love' }, 'article'],
      ['missing status', { user, article: 'a' }, 'status'],
      ['unknown status', { ...valid, status: 'meh' }, 'status'],
      ['bad time string', { ...valid, time: 'yesterday' }, 'time'],
      ['impossible hour', { ...valid, time: '2024-02-10T25:00:00Z' }, 'time'],
      ['impossible day (no roll-over)', { ...valid, time: '2024-02-30T10:00:00Z' }, 'time'],
      ['time as boolean', { ...valid, time: true }, 'time'],
      ['user as number', { ...valid, user: 42 }, 'user'],
      ['article as object', { ...valid, article: { id: 1 } }, 'article'],
      ['status as array', { ...valid, status: ['love'] }, 'status'],
      ['body is an array', [valid], 'body'],
      ['body is null', null, 'body'],
    ];

    it.each(cases)('%s', async (_name, payload, field) => {
      const res = await post(payload);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: expect.any(String), field });
      expect((await list(user)).body.count).toBe(0);
      expect((await list('42')).body.count).toBe(0);
    });

    it.each([
      ['malformed JSON', 'application/json', '{"user": "mallory",'],
      ['plain text', 'text/plain', 'user=mallory&status=love'],
      ['empty body', 'application/json', ''],
      ['prototype poisoning', 'application/json', '{"user":"mallory","article":"a","status":"love","__proto__":{"x":1}}'],
    ])('non-JSON body: %s', async (_name, contentType, body) => {
      const res = await http(`${service.url}/v1/behaviors`, { method: 'POST', headers: { 'content-type': contentType }, body });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ field: 'body' });
      expect((await list(user)).body.count).toBe(0);
    });

    it('a valid record for the same user is still accepted afterwards', async () => {
      expect((await post(valid)).status).toBe(201);
      expect((await list(user)).body.count).toBe(1);
    });
  });

  it('answers 507 once maxRecords is reached', async () => {
    const small = await start({ maxRecords: 2 });
    try {
      const p = (a: string) => http(`${small.url}/v1/behaviors`, { method: 'POST', json: { user: 'u', article: a, status: 'like' } });
      expect((await p('1')).status).toBe(201);
      expect((await p('2')).status).toBe(201);
      expect((await p('3')).status).toBe(507);
    } finally {
      await small.close();
    }
  });

  it('unknown routes are a JSON 404', async () => {
    const res = await http(`${service.url}/v1/nope`);
    expect(res.status).toBe(404);
    expect(res.body).toHaveProperty('error');
  });
});

describe('behaviour main.js', () => {
  beforeAll(() => buildPackage());

  it('prints its listening line, answers /health and exits 0 on SIGTERM', async () => {
    const proc = await spawnEntry('main.js', { env: { PORT: '0' } });
    expect(proc.line).toMatch(/^behaviour listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect((await http(`${proc.url}/health`)).body).toEqual({ status: 'ok' });
    expect(await proc.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('takes --port over PORT and exits 0 on SIGINT', async () => {
    const probe = await start();
    const port = probe.port;
    await probe.close();
    const proc = await spawnEntry('main.js', { env: { PORT: '1' }, args: ['--port', String(port)] });
    expect(proc.url).toBe(`http://127.0.0.1:${port}`);
    expect((await http(`${proc.url}/health`)).status).toBe(200);
    expect(await proc.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_EVENTS, start, type RunningService } from '../src/index.js';
import { buildPackage, http, spawnEntry } from './helpers.js';

let service: RunningService;
const url = (path: string) => `${service.url}${path}`;
const send = (method: string, path: string, json?: unknown) => http(url(path), json === undefined ? { method } : { method, json });
const ids = (body: { items: Array<{ id: string }> }) => body.items.map((e) => e.id);

const newEvent = { title: 'Test Conf', description: 'A test', topic: 'tech', place: 'Oslo', start: '2031-03-01T09:00:00Z' };

beforeAll(async () => {
  service = await start({ seed: true });
});
afterAll(async () => {
  await service.close();
});

describe('events: seeded browsing', () => {
  it('serves the seeded events from the first request, sorted by start', async () => {
    const res = await send('GET', '/events');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(SEED_EVENTS.length);
    expect(res.body.items[0]).toEqual({ id: 'evt-1', ...SEED_EVENTS[0] });
    const starts = res.body.items.map((e: { start: string }) => Date.parse(e.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('filters by topic, place (case-insensitive) and inclusive time range', async () => {
    expect(ids((await send('GET', '/events?topic=tech')).body)).toEqual(['evt-2', 'evt-5', 'evt-9']);
    expect(ids((await send('GET', '/events?place=PARIS')).body)).toEqual(['evt-1', 'evt-5', 'evt-8']);
    expect(ids((await send('GET', '/events?topic=tech&place=paris')).body)).toEqual(['evt-5']);
    // from/to inclusive: evt-3 starts exactly at 2030-07-01T08:00Z, evt-6 exactly at 2030-07-20T20:00Z
    expect(ids((await send('GET', '/events?from=2030-07-01T08:00:00Z&to=2030-07-20T20:00:00Z')).body)).toEqual(['evt-3', 'evt-4', 'evt-5', 'evt-6']);
    const ms = Date.parse('2030-09-01T00:00:00Z');
    expect(ids((await send('GET', `/events?from=${ms}`)).body)).toEqual(['evt-9', 'evt-10']);
    expect((await send('GET', '/events?topic=knitting')).body).toEqual({ total: 0, count: 0, items: [] });
  });

  it('pages with limit and offset', async () => {
    const page = await send('GET', '/events?limit=3&offset=2');
    expect(page.body.total).toBe(SEED_EVENTS.length);
    expect(page.body.count).toBe(3);
    expect(ids(page.body)).toEqual(['evt-3', 'evt-4', 'evt-5']);
  });

  it.each([
    ['from=soon', 'from'],
    ['to=2030-02-30', 'to'],
    ['limit=-1', 'limit'],
    ['limit=5000', 'limit'],
    ['offset=x', 'offset'],
  ])('bad query %s → 400 naming %s', async (query, field) => {
    const res = await send('GET', `/events?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
  });

  it('has seeded notifications for account "demo"', async () => {
    const res = await send('GET', '/accounts/demo/notifications');
    expect(res.body.count).toBe(3);
    expect(res.body.items[0]).toMatchObject({ eventId: 'evt-1', email: 'demo@example.com', subject: 'Reminder: Jazz by the River' });
  });
});

describe('events: CRUD', () => {
  it('create, read, partial update, full update, delete', async () => {
    const created = await send('POST', '/events', newEvent);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^evt-\d+$/), ...newEvent, start: '2031-03-01T09:00:00.000Z' });
    const id = created.body.id as string;
    expect((await send('GET', `/events/${id}`)).body).toEqual(created.body);
    expect(ids((await send('GET', '/events?place=oslo')).body)).toEqual([id]);

    const partial = await send('PUT', `/events/${id}`, { place: 'Bergen' });
    expect(partial.status).toBe(200);
    expect(partial.body).toEqual({ ...created.body, place: 'Bergen' });

    const full = { title: 'Renamed', description: 'new', topic: 'music', place: 'Rome', start: '2031-04-01T10:00:00+02:00' };
    const replaced = await send('PUT', `/events/${id}`, full);
    expect(replaced.body).toEqual({ id, ...full, start: '2031-04-01T08:00:00.000Z' });
    expect((await send('GET', `/events/${id}`)).body).toEqual(replaced.body);
    expect(ids((await send('GET', '/events?place=oslo')).body)).toEqual([]);
    expect(ids((await send('GET', '/events?from=2031-04-01&to=2031-04-02')).body)).toEqual([id]);

    const deleted = await send('DELETE', `/events/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe('');
    expect((await send('GET', `/events/${id}`)).status).toBe(404);
    expect((await send('DELETE', `/events/${id}`)).status).toBe(404);
  });

  it('optional fields default to empty strings', async () => {
    const res = await send('POST', '/events', { title: 'Minimal', start: '2031-05-01' });
    expect(res.body).toMatchObject({ title: 'Minimal', description: '', topic: '', place: '', start: '2031-05-01T00:00:00.000Z' });
  });

  it.each([
    ['missing title', { start: '2031-01-01T00:00:00Z' }, 'title'],
    ['blank title', { title: '   ', start: '2031-01-01T00:00:00Z' }, 'title'],
    ['title as number', { title: 7, start: '2031-01-01T00:00:00Z' }, 'title'],
    ['missing start', { title: 'x' }, 'start'],
    ['bad start', { title: 'x', start: 'next tuesday' }, 'start'],
    ['impossible start', { title: 'x', start: '2031-02-29T10:00:00Z' }, 'start'],
    ['start as epoch number', { title: 'x', start: 1_900_000_000_000 }, 'start'],
    ['topic as array', { title: 'x', start: '2031-01-01', topic: ['a'] }, 'topic'],
    ['body not an object', [newEvent], 'body'],
  ])('POST /events with %s → 400 naming %s, nothing created', async (_name, body, field) => {
    const before = (await send('GET', '/events')).body.total;
    const res = await send('POST', '/events', body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.any(String), field });
    expect((await send('GET', '/events')).body.total).toBe(before);
  });

  it('PUT validates before changing anything', async () => {
    const id = (await send('POST', '/events', newEvent)).body.id as string;
    const original = (await send('GET', `/events/${id}`)).body;
    for (const [body, field] of [
      [{ title: 'ok', start: 'bad' }, 'start'],
      [{ title: '', place: 'x' }, 'title'],
      [{}, 'body'],
      [{ place: 5 }, 'place'],
    ] as const) {
      const res = await send('PUT', `/events/${id}`, body);
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
    }
    expect((await send('GET', `/events/${id}`)).body).toEqual(original);
    expect((await send('PUT', '/events/evt-9999', { title: 'x' })).status).toBe(404);
  });

  it('unknown event ids are 404', async () => {
    const res = await send('GET', '/events/evt-9999');
    expect(res).toMatchObject({ status: 404, body: { error: expect.any(String), field: 'id' } });
  });
});

describe('notifications', () => {
  let eventId: string;
  beforeAll(async () => {
    eventId = (await send('POST', '/events', newEvent)).body.id as string;
  });

  const valid = () => ({ eventId, email: 'ann@example.com', scheduledAt: '2031-02-28T09:00:00Z', account: 'acme' });

  it('create, list by account, reschedule, change email, delete', async () => {
    const created = await send('POST', '/notifications', valid());
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^ntf-\d+$/), ...valid(), scheduledAt: '2031-02-28T09:00:00.000Z', subject: 'Reminder: Test Conf' });
    const id = created.body.id as string;
    const second = await send('POST', '/notifications', { ...valid(), subject: 'Custom', scheduledAt: '2031-02-01T09:00:00Z' });
    expect(second.body.subject).toBe('Custom');

    let list = await send('GET', '/accounts/acme/notifications');
    expect(list.body.account).toBe('acme');
    expect(list.body.count).toBe(2);
    expect(ids(list.body)).toEqual([second.body.id, id]); // by scheduledAt

    const moved = await send('PATCH', `/notifications/${id}`, { scheduledAt: '2031-01-15T08:00:00Z' });
    expect(moved.status).toBe(200);
    expect(moved.body.scheduledAt).toBe('2031-01-15T08:00:00.000Z');
    list = await send('GET', '/accounts/acme/notifications');
    expect(ids(list.body)).toEqual([id, second.body.id]);

    const emailed = await send('PATCH', `/notifications/${id}`, { email: 'bob@example.org' });
    expect(emailed.body).toMatchObject({ id, email: 'bob@example.org', scheduledAt: '2031-01-15T08:00:00.000Z' });
    expect((await send('GET', `/notifications/${id}`)).body.email).toBe('bob@example.org');

    expect((await send('DELETE', `/notifications/${id}`)).status).toBe(204);
    expect((await send('GET', `/notifications/${id}`)).status).toBe(404);
    expect((await send('DELETE', `/notifications/${id}`)).status).toBe(404);
    expect((await send('PATCH', `/notifications/${id}`, { email: 'x@y.z' })).status).toBe(404);
    expect(ids((await send('GET', '/accounts/acme/notifications')).body)).toEqual([second.body.id]);
  });

  it('an account without notifications has an empty list', async () => {
    expect((await send('GET', '/accounts/nobody/notifications')).body).toEqual({ account: 'nobody', count: 0, items: [] });
  });

  it('deleting an event deletes its notifications', async () => {
    const evt = (await send('POST', '/events', newEvent)).body.id as string;
    const ntf = (await send('POST', '/notifications', { ...valid(), eventId: evt, account: 'cascade' })).body.id as string;
    expect((await send('DELETE', `/events/${evt}`)).status).toBe(204);
    expect((await send('GET', `/notifications/${ntf}`)).status).toBe(404);
    expect((await send('GET', '/accounts/cascade/notifications')).body.count).toBe(0);
  });

  it.each([
    ['unknown eventId', { eventId: 'evt-9999' }, 'eventId'],
    ['bad email', { email: 'not-an-email' }, 'email'],
    ['email without domain dot', { email: 'a@b' }, 'email'],
    ['bad scheduledAt', { scheduledAt: 'later' }, 'scheduledAt'],
    ['missing account', { account: undefined }, 'account'],
    ['missing email', { email: undefined }, 'email'],
    ['eventId as number', { eventId: 1 }, 'eventId'],
  ])('POST /notifications with %s → 400 naming %s, nothing created', async (_name, patch, field) => {
    const before = (await send('GET', '/accounts/acme-invalid/notifications')).body.count;
    const res = await send('POST', '/notifications', { ...valid(), account: 'acme-invalid', ...patch });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.any(String), field });
    expect((await send('GET', '/accounts/acme-invalid/notifications')).body.count).toBe(before);
  });

  it.each([
    [{ scheduledAt: '2031-13-01T00:00:00Z' }, 'scheduledAt'],
    [{ email: 'nope' }, 'email'],
    [{ email: 'ok@example.com', scheduledAt: 'nope' }, 'scheduledAt'],
    [{}, 'body'],
  ])('PATCH %j → 400 naming %s, nothing changed', async (body, field) => {
    const created = (await send('POST', '/notifications', valid())).body;
    const res = await send('PATCH', `/notifications/${created.id}`, body);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect((await send('GET', `/notifications/${created.id}`)).body).toEqual(created);
  });
});

describe('events: options', () => {
  it('starts empty without seed, and enforces maxRecords with 507', async () => {
    const empty = await start({ maxRecords: 2 });
    try {
      expect((await http(`${empty.url}/events`)).body.total).toBe(0);
      const post = () => http(`${empty.url}/events`, { method: 'POST', json: newEvent });
      const first = await post();
      expect(first.status).toBe(201);
      expect(first.body.id).toBe('evt-1');
      expect((await post()).status).toBe(201);
      expect((await post()).status).toBe(507);
    } finally {
      await empty.close();
    }
  });
});

describe('events main.js', () => {
  beforeAll(() => buildPackage());

  it('prints its listening line, serves seeded events and exits 0 on SIGTERM', async () => {
    const proc = await spawnEntry('main.js', { env: { PORT: '0' } });
    expect(proc.line).toMatch(/^events listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect((await http(`${proc.url}/health`)).body).toEqual({ status: 'ok' });
    expect((await http(`${proc.url}/events`)).body.total).toBe(SEED_EVENTS.length);
    expect(await proc.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('SEED=0 starts empty', async () => {
    const proc = await spawnEntry('main.js', { env: { PORT: '0', SEED: '0' } });
    expect((await http(`${proc.url}/events`)).body.total).toBe(0);
    expect(await proc.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });
});

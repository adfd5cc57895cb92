/**
 * events — events and notifications CRUD.
 *
 *   GET    /events?topic=&place=&from=&to=&limit=&offset=   → { total, count, items }
 *   GET    /events/:id              POST /events (201)     PUT /events/:id (partial ok)   DELETE /events/:id (204)
 *   POST   /notifications (201)     GET /notifications/:id
 *   GET    /accounts/:account/notifications                → { account, count, items }
 *   PATCH  /notifications/:id       { scheduledAt?, email? }
 *   DELETE /notifications/:id (204)
 *   GET    /health
 */
import type { FastifyInstance } from 'fastify';
import { badRequest, createBaseApp, errorSchema, HttpError, listen, notFound, parseIsoDate, parseTime, type BaseAppOptions, type ListenOptions, type RunningService } from '@loadctl-example/common';
import { SEED_EVENTS, SEED_NOTIFICATIONS } from './seed.js';

export { HttpError, type BaseAppOptions, type ListenOptions, type RunningService } from '@loadctl-example/common';
export { SEED_EVENTS, SEED_NOTIFICATIONS } from './seed.js';

export interface EventRecord {
  id: string;
  title: string;
  description: string;
  topic: string;
  place: string;
  /** ISO-8601, UTC. */
  start: string;
}

export interface NotificationRecord {
  id: string;
  eventId: string;
  email: string;
  subject: string;
  /** ISO-8601, UTC. */
  scheduledAt: string;
  account: string;
}

export interface EventsAppOptions extends BaseAppOptions {
  /** Load SEED_EVENTS (evt-1 … evt-10) and three notifications for account "demo" (default false). */
  seed?: boolean;
  /** Upper bound on stored events plus notifications; beyond it creation answers 507 (default 1,000,000). */
  maxRecords?: number;
}

export interface EventsStartOptions extends EventsAppOptions, ListenOptions {}

interface StoredEvent {
  record: EventRecord;
  startMs: number;
  notifications: Set<string>;
}

interface StoredNotification {
  record: NotificationRecord;
  scheduledMs: number;
}

const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** Epoch ms of an ISO-8601 date or date-time string; 400 naming `field` otherwise. */
function isoDate(value: string, field: string): number {
  const ms = parseIsoDate(value);
  if (ms === undefined) throw badRequest(`${field} must be an ISO-8601 date-time, e.g. 2030-06-12T19:30:00Z`, field);
  return ms;
}

function nonBlank(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw badRequest(`${field} must not be blank`, field);
  return trimmed;
}

function email(value: string): string {
  const trimmed = value.trim();
  if (!EMAIL.test(trimmed)) throw badRequest(`email "${value}" is not a valid address`, 'email');
  return trimmed;
}

const str = (maxLength: number) => ({ type: 'string', maxLength }) as const;
const eventProperties = {
  title: str(200),
  description: str(5000),
  topic: str(100),
  place: str(200),
  start: str(64),
} as const;
const eventSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' }, topic: { type: 'string' }, place: { type: 'string' }, start: { type: 'string' } },
} as const;
const notificationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    eventId: { type: 'string' },
    email: { type: 'string' },
    subject: { type: 'string' },
    scheduledAt: { type: 'string' },
    account: { type: 'string' },
  },
} as const;
const idParams = { type: 'object', properties: { id: { type: 'string' } } } as const;
const errors = { '4xx': errorSchema, '5xx': errorSchema } as const;

interface EventBody {
  title?: string;
  description?: string;
  topic?: string;
  place?: string;
  start?: string;
}

interface EventQuery {
  topic?: string;
  place?: string;
  from?: string;
  to?: string;
  limit?: string;
  offset?: string;
}

interface NotificationBody {
  eventId: string;
  email: string;
  subject?: string;
  scheduledAt: string;
  account: string;
}

function intParam(raw: string | undefined, field: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw badRequest(`${field} must be an integer between 0 and ${max}`, field);
  return Number(raw);
}

/** Builds the fastify app (not listening). */
export function createApp(options: EventsAppOptions = {}): FastifyInstance {
  const app = createBaseApp(options);
  const events = new Map<string, StoredEvent>();
  const notifications = new Map<string, StoredNotification>();
  const byAccount = new Map<string, Set<string>>();
  const maxRecords = options.maxRecords ?? 1_000_000;
  let nextEvent = 1;
  let nextNotification = 1;

  const ensureRoom = (): void => {
    if (events.size + notifications.size >= maxRecords) throw new HttpError(507, `store is full (${maxRecords} records)`);
  };
  const getEvent = (id: string): StoredEvent => {
    const stored = events.get(id);
    if (stored === undefined) throw notFound(`no event "${id}"`, 'id');
    return stored;
  };
  const getNotification = (id: string): StoredNotification => {
    const stored = notifications.get(id);
    if (stored === undefined) throw notFound(`no notification "${id}"`, 'id');
    return stored;
  };

  const createEvent = (body: EventBody): EventRecord => {
    if (body.title === undefined) throw badRequest('title is required', 'title');
    if (body.start === undefined) throw badRequest('start is required', 'start');
    const title = nonBlank(body.title, 'title');
    const startMs = isoDate(body.start, 'start');
    ensureRoom();
    const record: EventRecord = {
      id: `evt-${nextEvent++}`,
      title,
      description: body.description ?? '',
      topic: (body.topic ?? '').trim(),
      place: (body.place ?? '').trim(),
      start: new Date(startMs).toISOString(),
    };
    events.set(record.id, { record, startMs, notifications: new Set() });
    return record;
  };

  const createNotification = (body: NotificationBody): NotificationRecord => {
    const event = events.get(body.eventId);
    if (event === undefined) throw badRequest(`eventId "${body.eventId}" does not exist`, 'eventId');
    const address = email(body.email);
    const scheduledMs = isoDate(body.scheduledAt, 'scheduledAt');
    const account = nonBlank(body.account, 'account');
    ensureRoom();
    const record: NotificationRecord = {
      id: `ntf-${nextNotification++}`,
      eventId: body.eventId,
      email: address,
      subject: body.subject ?? `Reminder: ${event.record.title}`,
      scheduledAt: new Date(scheduledMs).toISOString(),
      account,
    };
    notifications.set(record.id, { record, scheduledMs });
    event.notifications.add(record.id);
    let ids = byAccount.get(account);
    if (ids === undefined) byAccount.set(account, (ids = new Set()));
    ids.add(record.id);
    return record;
  };

  const removeNotification = (id: string): void => {
    const stored = notifications.get(id);
    if (stored === undefined) return;
    notifications.delete(id);
    events.get(stored.record.eventId)?.notifications.delete(id);
    const ids = byAccount.get(stored.record.account);
    ids?.delete(id);
    if (ids?.size === 0) byAccount.delete(stored.record.account);
  };

  // ---- events ----

  app.get<{ Querystring: EventQuery }>(
    '/events',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { topic: { type: 'string' }, place: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } },
        },
        response: {
          200: { type: 'object', properties: { total: { type: 'integer' }, count: { type: 'integer' }, items: { type: 'array', items: eventSchema } } },
          ...errors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const topic = q.topic?.trim().toLowerCase();
      const place = q.place?.trim().toLowerCase();
      const fromMs = q.from === undefined ? -Infinity : parseTime(q.from);
      if (fromMs === undefined) throw badRequest('from must be an ISO-8601 date-time or epoch milliseconds', 'from');
      const toMs = q.to === undefined ? Infinity : parseTime(q.to);
      if (toMs === undefined) throw badRequest('to must be an ISO-8601 date-time or epoch milliseconds', 'to');
      const limit = intParam(q.limit, 'limit', 100, 1000);
      const offset = intParam(q.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
      const matches: StoredEvent[] = [];
      for (const stored of events.values()) {
        if (stored.startMs < fromMs || stored.startMs > toMs) continue;
        if (topic !== undefined && stored.record.topic.toLowerCase() !== topic) continue;
        if (place !== undefined && stored.record.place.toLowerCase() !== place) continue;
        matches.push(stored);
      }
      matches.sort((a, b) => a.startMs - b.startMs);
      const items = matches.slice(offset, offset + limit).map((s) => s.record);
      return { total: matches.length, count: items.length, items };
    },
  );

  app.get<{ Params: { id: string } }>('/events/:id', { schema: { params: idParams, response: { 200: eventSchema, ...errors } } }, async (request) => getEvent(request.params.id).record);

  app.post<{ Body: EventBody }>(
    '/events',
    { schema: { body: { type: 'object', required: ['title', 'start'], properties: eventProperties }, response: { 201: eventSchema, ...errors } } },
    async (request, reply) => reply.code(201).send(createEvent(request.body)),
  );

  app.put<{ Params: { id: string }; Body: EventBody }>(
    '/events/:id',
    { schema: { params: idParams, body: { type: 'object', properties: eventProperties }, response: { 200: eventSchema, ...errors } } },
    async (request) => {
      const stored = getEvent(request.params.id);
      const body = request.body;
      if (body.title === undefined && body.description === undefined && body.topic === undefined && body.place === undefined && body.start === undefined) {
        throw badRequest('nothing to update: give at least one of title, description, topic, place, start', 'body');
      }
      // Validate everything before changing anything.
      const title = body.title === undefined ? undefined : nonBlank(body.title, 'title');
      const startMs = body.start === undefined ? undefined : isoDate(body.start, 'start');
      const record = stored.record;
      if (title !== undefined) record.title = title;
      if (body.description !== undefined) record.description = body.description;
      if (body.topic !== undefined) record.topic = body.topic.trim();
      if (body.place !== undefined) record.place = body.place.trim();
      if (startMs !== undefined) {
        stored.startMs = startMs;
        record.start = new Date(startMs).toISOString();
      }
      return record;
    },
  );

  app.delete<{ Params: { id: string } }>('/events/:id', { schema: { params: idParams, response: errors } }, async (request, reply) => {
    const stored = getEvent(request.params.id);
    for (const id of [...stored.notifications]) removeNotification(id); // cascade
    events.delete(request.params.id);
    return reply.code(204).send();
  });

  // ---- notifications ----

  app.post<{ Body: NotificationBody }>(
    '/notifications',
    {
      schema: {
        body: {
          type: 'object',
          required: ['eventId', 'email', 'scheduledAt', 'account'],
          properties: { eventId: str(100), email: str(320), subject: str(500), scheduledAt: str(64), account: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: { 201: notificationSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(createNotification(request.body)),
  );

  app.get<{ Params: { id: string } }>('/notifications/:id', { schema: { params: idParams, response: { 200: notificationSchema, ...errors } } }, async (request) => getNotification(request.params.id).record);

  app.get<{ Params: { account: string } }>(
    '/accounts/:account/notifications',
    {
      schema: {
        response: {
          200: { type: 'object', properties: { account: { type: 'string' }, count: { type: 'integer' }, items: { type: 'array', items: notificationSchema } } },
          ...errors,
        },
      },
    },
    async (request) => {
      const ids = byAccount.get(request.params.account);
      const items: StoredNotification[] = [];
      if (ids !== undefined) for (const id of ids) items.push(notifications.get(id)!);
      items.sort((a, b) => a.scheduledMs - b.scheduledMs);
      return { account: request.params.account, count: items.length, items: items.map((s) => s.record) };
    },
  );

  app.patch<{ Params: { id: string }; Body: { scheduledAt?: string; email?: string } }>(
    '/notifications/:id',
    { schema: { params: idParams, body: { type: 'object', properties: { scheduledAt: str(64), email: str(320) } }, response: { 200: notificationSchema, ...errors } } },
    async (request) => {
      const stored = getNotification(request.params.id);
      const { scheduledAt, email: newEmail } = request.body;
      if (scheduledAt === undefined && newEmail === undefined) throw badRequest('nothing to update: give scheduledAt and/or email', 'body');
      const scheduledMs = scheduledAt === undefined ? undefined : isoDate(scheduledAt, 'scheduledAt');
      const address = newEmail === undefined ? undefined : email(newEmail);
      if (scheduledMs !== undefined) {
        stored.scheduledMs = scheduledMs;
        stored.record.scheduledAt = new Date(scheduledMs).toISOString();
      }
      if (address !== undefined) stored.record.email = address;
      return stored.record;
    },
  );

  app.delete<{ Params: { id: string } }>('/notifications/:id', { schema: { params: idParams, response: errors } }, async (request, reply) => {
    getNotification(request.params.id);
    removeNotification(request.params.id);
    return reply.code(204).send();
  });

  if (options.seed === true) {
    const ids = SEED_EVENTS.map((event) => createEvent(event).id);
    for (const n of SEED_NOTIFICATIONS) createNotification({ eventId: ids[n.event]!, email: n.email, account: n.account, scheduledAt: n.scheduledAt });
  }

  return app;
}

/** Builds the app and listens (default 127.0.0.1, port 0 = a free port). */
export async function start(options: EventsStartOptions = {}): Promise<RunningService> {
  return listen(createApp(options), options);
}

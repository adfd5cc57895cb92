/**
 * behaviour — user-behaviour tracking (which user reacted how to which article, when).
 *
 *   POST /v1/behaviors                 { user, article, status: love|like|angry|cry, time? } → 201 record
 *   GET  /v1/users/:user/behaviors     ?status=&from=&to=&limit=  → { user, count, counts, items }
 *   GET  /health
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { badRequest, createBaseApp, errorSchema, HttpError, listen, parseTime, type BaseAppOptions, type ListenOptions, type RunningService } from '@loadctl-example/common';

export { HttpError, type BaseAppOptions, type ListenOptions, type RunningService } from '@loadctl-example/common';

export const STATUSES = ['love', 'like', 'angry', 'cry'] as const;
export type Status = (typeof STATUSES)[number];

export interface BehaviorRecord {
  id: string;
  user: string;
  article: string;
  status: Status;
  /** ISO-8601 (UTC). */
  time: string;
}

export interface BehaviorList {
  user: string;
  count: number;
  counts: Record<Status, number>;
  items: BehaviorRecord[];
}

export interface BehaviourAppOptions extends BaseAppOptions {
  /** Upper bound on stored records; beyond it POST answers 507 (default 1,000,000). */
  maxRecords?: number;
}

export interface BehaviourStartOptions extends BehaviourAppOptions, ListenOptions {}

interface Stored {
  ms: number;
  record: BehaviorRecord;
}

/** Per-user records kept sorted by time, so time ranges are two binary searches. */
export class BehaviorStore {
  private readonly byUser = new Map<string, Stored[]>();
  private total = 0;

  get size(): number {
    return this.total;
  }

  add(record: BehaviorRecord, ms: number): void {
    let list = this.byUser.get(record.user);
    if (list === undefined) {
      list = [];
      this.byUser.set(record.user, list);
    }
    const entry = { ms, record };
    // Usually "now": append; otherwise insert after equal times (stable).
    if (list.length === 0 || list[list.length - 1]!.ms <= ms) list.push(entry);
    else list.splice(upperBound(list, ms), 0, entry);
    this.total++;
  }

  /**
   * Records of `user` with time in [fromMs, toMs], oldest first, optionally of one status.
   * `count` is the number of matches, `items` holds at most `limit` of them; `counts` is the
   * per-status breakdown of the time range (not narrowed by `status`).
   */
  query(user: string, status: Status | undefined, fromMs: number, toMs: number, limit = Infinity): BehaviorList {
    const counts: Record<Status, number> = { love: 0, like: 0, angry: 0, cry: 0 };
    const items: BehaviorRecord[] = [];
    let count = 0;
    const list = this.byUser.get(user);
    if (list !== undefined) {
      const end = upperBound(list, toMs);
      for (let i = lowerBound(list, fromMs); i < end; i++) {
        const record = list[i]!.record;
        counts[record.status]++;
        if (status === undefined || record.status === status) {
          if (count < limit) items.push(record);
          count++;
        }
      }
    }
    return { user, count, counts, items };
  }
}

/** First index whose time is >= ms. */
function lowerBound(list: readonly Stored[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.ms < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose time is > ms. */
function upperBound(list: readonly Stored[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.ms <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Items per list answer unless `?limit=` says otherwise (`count` always counts every match). */
export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;

const recordSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    user: { type: 'string' },
    article: { type: 'string' },
    status: { type: 'string' },
    time: { type: 'string' },
  },
} as const;

const postSchema = {
  body: {
    type: 'object',
    required: ['user', 'article', 'status'],
    properties: {
      user: { type: 'string', minLength: 1, maxLength: 200 },
      article: { type: 'string', minLength: 1, maxLength: 200 },
      status: { type: 'string', enum: [...STATUSES] },
      time: { type: ['string', 'number'] },
    },
  },
  response: { 201: recordSchema, '4xx': errorSchema, '5xx': errorSchema },
};

const listSchema = {
  params: { type: 'object', properties: { user: { type: 'string', minLength: 1 } } },
  querystring: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: [...STATUSES] },
      from: { type: 'string', minLength: 1 },
      to: { type: 'string', minLength: 1 },
      limit: { type: 'string' },
    },
  },
  response: {
    200: {
      type: 'object',
      properties: {
        user: { type: 'string' },
        count: { type: 'integer' },
        counts: {
          type: 'object',
          properties: { love: { type: 'integer' }, like: { type: 'integer' }, angry: { type: 'integer' }, cry: { type: 'integer' } },
        },
        items: { type: 'array', items: recordSchema },
      },
    },
    '4xx': errorSchema,
  },
};

interface PostBody {
  user: string;
  article: string;
  status: Status;
  time?: string | number;
}

interface ListQuery {
  limit?: string;
  status?: Status;
  from?: string;
  to?: string;
}

/** Builds the fastify app (not listening). */
export function createApp(options: BehaviourAppOptions = {}): FastifyInstance {
  const app = createBaseApp(options);
  const store = new BehaviorStore();
  const maxRecords = options.maxRecords ?? 1_000_000;

  app.post<{ Body: PostBody }>('/v1/behaviors', { schema: postSchema }, async (request, reply) => {
    const body = request.body;
    let ms: number;
    if (body.time === undefined) ms = Date.now();
    else {
      const parsed = parseTime(body.time);
      if (parsed === undefined) throw badRequest('time must be an ISO-8601 date-time or epoch milliseconds', 'time');
      ms = parsed;
    }
    if (store.size >= maxRecords) throw new HttpError(507, `store is full (${maxRecords} records)`);
    const record: BehaviorRecord = { id: randomUUID(), user: body.user, article: body.article, status: body.status, time: new Date(ms).toISOString() };
    store.add(record, ms);
    return reply.code(201).send(record);
  });

  app.get<{ Params: { user: string }; Querystring: ListQuery }>('/v1/users/:user/behaviors', { schema: listSchema }, async (request) => {
    const { status, from, to } = request.query;
    const fromMs = from === undefined ? -Infinity : parseTime(from);
    if (fromMs === undefined) throw badRequest('from must be an ISO-8601 date-time or epoch milliseconds', 'from');
    const toMs = to === undefined ? Infinity : parseTime(to);
    if (toMs === undefined) throw badRequest('to must be an ISO-8601 date-time or epoch milliseconds', 'to');
    if (fromMs > toMs) throw badRequest('from must not be after to', 'from');
    const rawLimit = request.query.limit;
    const limit = rawLimit === undefined ? DEFAULT_LIMIT : /^\d{1,6}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit <= MAX_LIMIT)) throw badRequest(`limit must be an integer from 0 to ${MAX_LIMIT}`, 'limit');
    return store.query(request.params.user, status, fromMs, toMs, limit);
  });

  return app;
}

/** Builds the app and listens (default 127.0.0.1, port 0 = a free port). */
export async function start(options: BehaviourStartOptions = {}): Promise<RunningService> {
  return listen(createApp(options), options);
}

/**
 * docstore — a JSON document REST API with path access and in-place updates.
 *
 *   POST   /docs[?random=true]          JSON object body (empty body → random doc) → 201 { key, doc }
 *   GET    /docs                        → { count }
 *   GET    /docs/:key                   the whole document
 *   GET    /docs/:key/a/b/0             a field / nested value (array indices allowed)
 *   GET    /docs/:key[/path]/keys       field names of the object there
 *   PUT    /docs/:key/a/b               { op: set|append, value } | { op: increment|multiply, by } → { key, path, value }
 *   PUT    /docs/:key                   { op: "set", value: {...} } replaces (or creates) the whole document
 *   DELETE /docs/:key                   → 204
 *   GET    /health
 *   GET    /leak                           → what the leak switches have leaked (404 when off; see leak.ts)
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { applyAt, getAt, keysOf, parseOperation, parsePath, randomDoc, type Json, type JsonObject } from './docs.js';
import { installLeaks, type LeakOptions } from './leak.js';
import { badRequest, createBaseApp, errorSchema, HttpError, listen, notFound, type BaseAppOptions, type ListenOptions, type RunningService } from '@loadctl-example/common';

export { HttpError, type BaseAppOptions, type ListenOptions, type RunningService } from '@loadctl-example/common';
export { randomDoc, type Json, type JsonObject, type Operation } from './docs.js';
export { leakOptionsFromProcess, MAX_LEAKED_SOCKETS, type LeakOptions, type LeakState } from './leak.js';

export interface DocstoreAppOptions extends BaseAppOptions {
  /** Upper bound on stored documents; beyond it creation answers 507 (default 1,000,000). */
  maxDocs?: number;
  /** Leak memory or connections per request, on purpose (soak tests; off by default). */
  leak?: LeakOptions;
}

export interface DocstoreStartOptions extends DocstoreAppOptions, ListenOptions {}

const KEYS_SUFFIX = 'keys';

function sendJson(reply: FastifyReply, value: Json, status = 200): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(value));
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const keyParams = { type: 'object', properties: { key: { type: 'string', minLength: 1 } } } as const;
const errors = { '4xx': errorSchema, '5xx': errorSchema } as const;

/** Builds the fastify app (not listening). */
export function createApp(options: DocstoreAppOptions = {}): FastifyInstance {
  const app = createBaseApp(options);
  const docs = new Map<string, JsonObject>();
  const maxDocs = options.maxDocs ?? 1_000_000;
  if (options.leak) {
    const leaked = installLeaks(app, options.leak);
    app.get('/leak', async () => ({ ...leaked }));
  }

  const lookup = (key: string): JsonObject => {
    const doc = docs.get(key);
    if (doc === undefined) throw notFound(`no document "${key}"`, 'key');
    return doc;
  };
  const ensureRoom = (): void => {
    if (docs.size >= maxDocs) throw new HttpError(507, `store is full (${maxDocs} documents)`);
  };

  app.post<{ Querystring: { random?: string } }>(
    '/docs',
    { schema: { querystring: { type: 'object', properties: { random: { type: 'string', enum: ['true', 'false', '1', '0'] } } }, response: errors } },
    async (request, reply) => {
      const random = request.query.random === 'true' || request.query.random === '1';
      let doc: JsonObject;
      if (random || request.body === undefined) doc = randomDoc();
      else if (isPlainObject(request.body)) doc = request.body;
      else throw badRequest('body must be a JSON object (or empty for a random document)', 'body');
      ensureRoom();
      const key = randomUUID();
      docs.set(key, doc);
      return sendJson(reply, { key, doc }, 201);
    },
  );

  app.get('/docs', { schema: { response: { 200: { type: 'object', properties: { count: { type: 'integer' } } } } } }, async () => ({ count: docs.size }));

  app.get<{ Params: { key: string } }>('/docs/:key', { schema: { params: keyParams, response: errors } }, async (request, reply) =>
    sendJson(reply, lookup(request.params.key)),
  );

  app.get<{ Params: { key: string; '*': string } }>('/docs/:key/*', { schema: { response: errors } }, async (request, reply) => {
    const doc = lookup(request.params.key);
    const raw = request.params['*'];
    if (raw === KEYS_SUFFIX) return sendJson(reply, keysOf(doc, ''));
    if (raw.endsWith(`/${KEYS_SUFFIX}`)) {
      const path = raw.slice(0, -KEYS_SUFFIX.length - 1);
      return sendJson(reply, keysOf(getAt(doc, parsePath(path)), path));
    }
    return sendJson(reply, getAt(doc, parsePath(raw)));
  });

  app.put<{ Params: { key: string } }>('/docs/:key', { schema: { params: keyParams, response: errors } }, async (request, reply) => {
    const op = parseOperation(request.body);
    if (op.op !== 'set') throw badRequest(`op "${op.op}" needs a field path (PUT /docs/:key/<path>)`, 'op');
    if (!isPlainObject(op.value)) throw badRequest('a whole document must be a JSON object', 'value');
    const exists = docs.has(request.params.key);
    if (!exists) ensureRoom();
    docs.set(request.params.key, op.value);
    return sendJson(reply, { key: request.params.key, path: '', value: op.value }, exists ? 200 : 201);
  });

  app.put<{ Params: { key: string; '*': string } }>('/docs/:key/*', { schema: { response: errors } }, async (request, reply) => {
    const doc = lookup(request.params.key);
    const raw = request.params['*'];
    const segments = parsePath(raw);
    const op = parseOperation(request.body);
    const value = applyAt(doc, segments, op);
    return sendJson(reply, { key: request.params.key, path: raw, value });
  });

  app.delete<{ Params: { key: string } }>('/docs/:key', { schema: { params: keyParams, response: errors } }, async (request, reply) => {
    if (!docs.delete(request.params.key)) throw notFound(`no document "${request.params.key}"`, 'key');
    return reply.code(204).send();
  });

  return app;
}

/** Builds the app and listens (default 127.0.0.1, port 0 = a free port). */
export async function start(options: DocstoreStartOptions = {}): Promise<RunningService> {
  return listen(createApp(options), options);
}

/**
 * The caching proxy in front of the upstream menu service.
 *
 *   GET /restaurants          list of names       (X-Cache: HIT|MISS)
 *   GET /restaurants/:name    a menu, or 404      (X-Cache: HIT|MISS)
 *   GET /stats                { hits, misses, entries, upstreamRequests, coalesced }
 *   DELETE /cache             empties the cache (counters are kept) → 204
 *   GET /health
 *
 * 200 and 404 answers are cached for `ttlMs` (a 404 is cached like a 200: negative caching).
 * Upstream unreachable or 5xx → 502, upstream slower than `upstreamTimeoutMs` → 504; never cached.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CoalescingTtlCache, type CachedResponse } from './cache.js';
import { normaliseName } from './data.js';
import { createBaseApp, errorSchema, HttpError, type BaseAppOptions } from '@loadctl-example/common';

export interface ProxyAppOptions extends BaseAppOptions {
  /** Base URL of the upstream menu service, e.g. `http://127.0.0.1:4000`. */
  upstreamUrl: string;
  /** Cache time-to-live in ms (default 10,000). */
  ttlMs?: number;
  /** Upstream request timeout in ms (default 5,000). */
  upstreamTimeoutMs?: number;
  /** Bound on cached entries (default 10,000). */
  maxEntries?: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function send(reply: FastifyReply, response: CachedResponse, hit: boolean): FastifyReply {
  return reply.code(response.status).header('x-cache', hit ? 'HIT' : 'MISS').type(JSON_TYPE).send(response.body);
}

/** Builds the proxy app (not listening). */
export function createProxyApp(options: ProxyAppOptions): FastifyInstance {
  if (typeof options.upstreamUrl !== 'string' || !/^https?:\/\//.test(options.upstreamUrl)) {
    throw new TypeError(`upstreamUrl must be an http(s) URL, got ${JSON.stringify(options.upstreamUrl)}`);
  }
  const base = options.upstreamUrl.replace(/\/+$/, '');
  const ttlMs = options.ttlMs ?? 10_000;
  const timeoutMs = options.upstreamTimeoutMs ?? 5_000;
  const cache = new CoalescingTtlCache(ttlMs, options.maxEntries ?? 10_000, (r) => r.status === 200 || r.status === 404);

  const fetchUpstream = async (path: string): Promise<CachedResponse> => {
    let res: Response;
    try {
      res = await fetch(base + path, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'TimeoutError') {
        throw new HttpError(504, `upstream did not answer within ${timeoutMs} ms`);
      }
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new HttpError(502, `upstream unavailable: ${cause?.code ?? cause?.message ?? String(err)}`);
    }
    const body = await res.text().catch(() => {
      throw new HttpError(502, 'upstream closed the connection mid-answer');
    });
    if (res.status >= 500) throw new HttpError(502, `upstream answered ${res.status}`);
    return { status: res.status, body };
  };

  const app = createBaseApp(options);
  const errors = { '4xx': errorSchema, '5xx': errorSchema } as const;

  app.get('/restaurants', { schema: { response: errors } }, async (_request, reply) => {
    const { response, hit } = await cache.get('list', () => fetchUpstream('/restaurants'));
    return send(reply, response, hit);
  });

  app.get<{ Params: { name: string } }>('/restaurants/:name', { schema: { response: errors } }, async (request, reply) => {
    const name = request.params.name;
    const { response, hit } = await cache.get(`menu:${normaliseName(name)}`, () => fetchUpstream(`/restaurants/${encodeURIComponent(name)}`));
    return send(reply, response, hit);
  });

  const count = { type: 'integer' } as const;
  app.get(
    '/stats',
    { schema: { response: { 200: { type: 'object', properties: { hits: count, misses: count, entries: count, upstreamRequests: count, coalesced: count } } } } },
    async () => cache.stats(),
  );

  app.delete('/cache', async (_request, reply) => {
    cache.clear();
    return reply.code(204).send();
  });

  return app;
}

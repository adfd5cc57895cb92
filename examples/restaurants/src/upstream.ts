/**
 * The upstream menu service the caching proxy sits in front of. Slow on purpose:
 * every answer waits `delayMs` (default 50 ms) to make the cache's effect visible.
 *
 *   GET /restaurants          → ["Bella Napoli", ...]
 *   GET /restaurants/:name    → { name, cuisine, dishes: [{ name, price, vegetarian }] } or 404
 *   GET /stats                → { requests }   (restaurant requests served so far)
 *   GET /health
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { MENUS_BY_KEY, normaliseName, RESTAURANT_NAMES } from './data.js';
import { createBaseApp, errorSchema, listen, notFound, type BaseAppOptions, type ListenOptions, type RunningService } from '@loadctl-example/common';

export interface UpstreamAppOptions extends BaseAppOptions {
  /** Artificial delay before each restaurant answer, in ms (default 50). */
  delayMs?: number;
}

export interface UpstreamStartOptions extends UpstreamAppOptions, ListenOptions {}

export interface RunningUpstream extends RunningService {
  /** Number of `/restaurants…` requests the upstream has received. */
  readonly requests: number;
}

const dishSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, price: { type: 'number' }, vegetarian: { type: 'boolean' } },
} as const;

export const menuSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, cuisine: { type: 'string' }, dishes: { type: 'array', items: dishSchema } },
} as const;

/** Builds the upstream app; `counter.requests` counts restaurant requests. */
export function createUpstreamApp(options: UpstreamAppOptions = {}, counter: { requests: number } = { requests: 0 }): FastifyInstance {
  const delayMs = options.delayMs ?? 50;
  const app = createBaseApp(options);
  const wait = async (): Promise<void> => {
    counter.requests++;
    if (delayMs > 0) await sleep(delayMs);
  };

  app.get('/restaurants', { schema: { response: { 200: { type: 'array', items: { type: 'string' } } } } }, async () => {
    await wait();
    return RESTAURANT_NAMES;
  });

  app.get<{ Params: { name: string } }>('/restaurants/:name', { schema: { response: { 200: menuSchema, 404: errorSchema } } }, async (request) => {
    await wait();
    const menu = MENUS_BY_KEY.get(normaliseName(request.params.name));
    if (menu === undefined) throw notFound(`unknown restaurant "${request.params.name}"`, 'name');
    return menu;
  });

  app.get('/stats', async () => ({ requests: counter.requests }));
  return app;
}

/** Starts the upstream (default 127.0.0.1, port 0 = a free port, delay 50 ms). */
export async function startUpstream(options: UpstreamStartOptions = {}): Promise<RunningUpstream> {
  const counter = { requests: 0 };
  const running = await listen(createUpstreamApp(options, counter), options);
  return {
    ...running,
    get requests() {
      return counter.requests;
    },
  };
}

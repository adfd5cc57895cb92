/**
 * restaurants — a caching proxy (this package's `createApp` / `start`) in front of a slow
 * upstream menu service (`createUpstreamApp` / `startUpstream`), plus the `restaurant-menu` CLI.
 */
import type { FastifyInstance } from 'fastify';
import { listen, type ListenOptions, type RunningService } from '@loadctl-example/common';
import { createProxyApp, type ProxyAppOptions } from './proxy.js';

export { HttpError, type BaseAppOptions, type ListenOptions, type RunningService } from '@loadctl-example/common';
export { createProxyApp, type ProxyAppOptions } from './proxy.js';
export { CoalescingTtlCache, type CacheStats, type CachedResponse } from './cache.js';
export { createUpstreamApp, startUpstream, type RunningUpstream, type UpstreamAppOptions, type UpstreamStartOptions } from './upstream.js';
export { RESTAURANTS, RESTAURANT_NAMES, normaliseName, type Dish, type Menu } from './data.js';
export { runMenuCli, MENU_USAGE, type MenuCliIo } from './menu.js';

export type RestaurantsAppOptions = ProxyAppOptions;
export interface RestaurantsStartOptions extends ProxyAppOptions, ListenOptions {}

/** Builds the caching proxy app (not listening). */
export function createApp(options: RestaurantsAppOptions): FastifyInstance {
  return createProxyApp(options);
}

/** Starts the caching proxy (default 127.0.0.1, port 0 = a free port, ttl 10 s). */
export async function start(options: RestaurantsStartOptions): Promise<RunningService> {
  return listen(createProxyApp(options), options);
}

import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RESTAURANT_NAMES, runMenuCli, start, startUpstream, type RunningService, type RunningUpstream } from '../src/index.js';
import { buildPackage, http, packageDir, spawnEntry } from './helpers.js';

let upstream: RunningUpstream;
const running: RunningService[] = [];

async function proxy(options: { ttlMs?: number; upstreamUrl?: string; upstreamTimeoutMs?: number } = {}): Promise<RunningService> {
  const service = await start({ upstreamUrl: upstream.url, ...options });
  running.push(service);
  return service;
}

/** A URL on which nothing listens (a port that was free a moment ago). */
async function deadUrl(): Promise<string> {
  const s = await startUpstream();
  await s.close();
  return s.url;
}

beforeAll(async () => {
  upstream = await startUpstream({ delayMs: 40 });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await upstream.close();
});

describe('upstream menu service', () => {
  it('lists ~20 restaurants and serves menus, 404 for unknown names', async () => {
    const names = await http(`${upstream.url}/restaurants`);
    expect(names.body).toEqual(RESTAURANT_NAMES);
    expect(names.body.length).toBeGreaterThanOrEqual(20);
    const menu = await http(`${upstream.url}/restaurants/${encodeURIComponent('Golden Dragon')}`);
    expect(menu.status).toBe(200);
    expect(menu.body.dishes).toContainEqual({ name: 'Peking Duck', price: 24, vegetarian: false });
    expect((await http(`${upstream.url}/restaurants/nope`)).status).toBe(404);
  });

  it('applies its artificial delay', async () => {
    const t0 = performance.now();
    await http(`${upstream.url}/restaurants/Sakura`);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(35);
  });
});

describe('caching proxy', () => {
  it('miss then hit: X-Cache header, stats and a single upstream request', async () => {
    const p = await proxy();
    const before = upstream.requests;
    const first = await http(`${p.url}/restaurants/Sakura`);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(first.body.name).toBe('Sakura');
    const second = await http(`${p.url}/restaurants/Sakura`);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.body).toEqual(first.body);
    // Lookups are case-insensitive and share the cache entry.
    expect((await http(`${p.url}/restaurants/sakura`)).headers.get('x-cache')).toBe('HIT');
    const list = await http(`${p.url}/restaurants`);
    expect(list.headers.get('x-cache')).toBe('MISS');
    expect(list.body).toEqual(RESTAURANT_NAMES);
    expect((await http(`${p.url}/restaurants`)).headers.get('x-cache')).toBe('HIT');
    expect(upstream.requests - before).toBe(2);
    expect((await http(`${p.url}/stats`)).body).toEqual({ hits: 3, misses: 2, entries: 2, upstreamRequests: 2, coalesced: 0 });
  });

  it('entries expire after the TTL', async () => {
    // A TTL long enough that the request right after the miss is a hit even on a busy machine;
    // the wait after it is a lower bound (timers never fire early).
    const p = await proxy({ ttlMs: 1000 });
    expect((await http(`${p.url}/restaurants/Athena`)).headers.get('x-cache')).toBe('MISS');
    expect((await http(`${p.url}/restaurants/Athena`)).headers.get('x-cache')).toBe('HIT');
    await sleep(1060);
    expect((await http(`${p.url}/stats`)).body.entries).toBe(0);
    expect((await http(`${p.url}/restaurants/Athena`)).headers.get('x-cache')).toBe('MISS');
    expect((await http(`${p.url}/restaurants/Athena`)).headers.get('x-cache')).toBe('HIT');
    expect((await http(`${p.url}/stats`)).body).toMatchObject({ hits: 2, misses: 2, entries: 1, upstreamRequests: 2 });
  });

  it('concurrent misses for the same key share one upstream request', async () => {
    const slow = await startUpstream({ delayMs: 1000 }); // wide window: the 25 requests overlap even on a busy machine
    running.push(slow);
    const p = await proxy({ upstreamUrl: slow.url });
    const responses = await Promise.all(Array.from({ length: 25 }, () => http(`${p.url}/restaurants/${encodeURIComponent('Taj Mahal')}`)));
    expect(responses.every((r) => r.status === 200 && r.body.name === 'Taj Mahal')).toBe(true);
    expect(slow.requests).toBe(1);
    const stats = (await http(`${p.url}/stats`)).body;
    expect(stats).toMatchObject({ upstreamRequests: 1, entries: 1 });
    expect(stats.hits + stats.misses).toBe(25);
    expect(stats.coalesced).toBe(stats.misses - 1);
    expect(stats.misses).toBeGreaterThan(1); // they really were concurrent (upstream takes 40 ms)
    // Different keys are not coalesced with each other.
    await Promise.all(['Athena', 'Smokehouse', 'Athena', 'Smokehouse'].map((n) => http(`${p.url}/restaurants/${n}`)));
    expect(slow.requests).toBe(3);
  });

  it('an unknown restaurant is a 404, cached like any answer (negative caching)', async () => {
    const p = await proxy();
    const before = upstream.requests;
    const first = await http(`${p.url}/restaurants/Nowhere`);
    expect(first.status).toBe(404);
    expect(first.body.error).toMatch(/unknown restaurant/);
    expect(first.headers.get('x-cache')).toBe('MISS');
    const second = await http(`${p.url}/restaurants/Nowhere`);
    expect(second.status).toBe(404);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(upstream.requests - before).toBe(1);
  });

  it('upstream down → 502 JSON error, not cached', async () => {
    const p = await proxy({ upstreamUrl: await deadUrl() });
    for (let i = 0; i < 2; i++) {
      const res = await http(`${p.url}/restaurants/Sakura`);
      expect(res.status).toBe(502);
      expect(res.body.error).toMatch(/upstream unavailable/);
    }
    expect((await http(`${p.url}/restaurants`)).status).toBe(502);
    expect((await http(`${p.url}/stats`)).body).toMatchObject({ entries: 0, upstreamRequests: 3, hits: 0 });
    expect((await http(`${p.url}/health`)).body).toEqual({ status: 'ok' });
  });

  it('a slow upstream → 504 after upstreamTimeoutMs', async () => {
    const slow = await startUpstream({ delayMs: 500 });
    try {
      const p = await proxy({ upstreamUrl: slow.url, upstreamTimeoutMs: 100 });
      const res = await http(`${p.url}/restaurants/Sakura`);
      expect(res.status).toBe(504);
      expect(res.body.error).toMatch(/within 100 ms/);
    } finally {
      await slow.close();
    }
  });

  it('DELETE /cache empties the cache', async () => {
    const p = await proxy();
    await http(`${p.url}/restaurants/Athena`);
    expect((await http(`${p.url}/cache`, { method: 'DELETE' })).status).toBe(204);
    expect((await http(`${p.url}/restaurants/Athena`)).headers.get('x-cache')).toBe('MISS');
  });

  it('rejects a missing or non-http upstreamUrl', async () => {
    await expect(start({ upstreamUrl: 'ftp://x' })).rejects.toThrow(/upstreamUrl/);
  });
});

describe('restaurant-menu CLI', () => {
  const capture = () => {
    const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
    return io;
  };

  it('prints the dishes of a known restaurant (against --url)', async () => {
    const io = capture();
    expect(await runMenuCli(['Bella Napoli', '--url', upstream.url], io)).toBe(0);
    expect(io.stdout).toMatch(/^Bella Napoli \(Italian\)\n/);
    expect(io.stdout).toMatch(/Margherita\s+EUR 9\.50\s+\(v\)/);
    expect(io.stdout).toMatch(/Tiramisu/);
  });

  it('works through the proxy and with an in-process upstream when no --url is given', async () => {
    const p = await proxy();
    const viaProxy = capture();
    expect(await runMenuCli([`--url=${p.url}`, 'sakura'], viaProxy)).toBe(0);
    expect(viaProxy.stdout).toMatch(/Tonkotsu Ramen/);
    const local = capture();
    expect(await runMenuCli(['Golden', 'Dragon'], local)).toBe(0);
    expect(local.stdout).toMatch(/Peking Duck/);
  });

  it('an unknown name prints "unknown restaurant" and the list, exit 1', async () => {
    const io = capture();
    expect(await runMenuCli(['Nowhere', '--url', upstream.url], io)).toBe(1);
    expect(io.stdout).toMatch(/unknown restaurant: "Nowhere"/);
    for (const name of RESTAURANT_NAMES) expect(io.stdout).toContain(`  ${name}\n`);
  });

  it('usage errors exit 2, an unreachable service exits 3', async () => {
    const none = capture();
    expect(await runMenuCli([], none)).toBe(2);
    expect(none.stderr).toMatch(/usage: restaurant-menu/);
    expect(await runMenuCli(['x', '--bogus'], capture())).toBe(2);
    expect(await runMenuCli(['x', '--url'], capture())).toBe(2);
    const dead = capture();
    expect(await runMenuCli(['Sakura', '--url', await deadUrl()], dead)).toBe(3);
    expect(dead.stderr).toMatch(/cannot reach the menu service/);
  });
});

describe('built entries as child processes', () => {
  beforeAll(() => buildPackage());

  const runCli = async (args: string[]) => {
    const child = spawn(process.execPath, [`${packageDir}dist/menu-cli.js`, ...args], { stdio: 'pipe' });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, stdout };
  };

  it('menu-cli.js prints dishes for a known name (exit 0) and the list for an unknown one (exit 1)', async () => {
    const known = await runCli(['Casa Lisboa', '--url', upstream.url]);
    expect(known.code).toBe(0);
    expect(known.stdout).toMatch(/Pastel de Nata/);
    const unknown = await runCli(['Nowhere']); // no --url: in-process upstream
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/unknown restaurant/);
    expect(unknown.stdout).toContain('Bavarian Hall');
  });

  it('main.js starts proxy + upstream, prints its line, caches, exits 0 on SIGTERM', async () => {
    const proc = await spawnEntry('main.js', { env: { PORT: '0', UPSTREAM_DELAY_MS: '0', UPSTREAM_URL: '' } });
    expect(proc.line).toMatch(/^restaurants listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect((await http(`${proc.url}/health`)).body).toEqual({ status: 'ok' });
    expect((await http(`${proc.url}/restaurants/Athena`)).headers.get('x-cache')).toBe('MISS');
    expect((await http(`${proc.url}/restaurants/Athena`)).headers.get('x-cache')).toBe('HIT');
    expect(await proc.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('main.js uses UPSTREAM_URL when given', async () => {
    const before = upstream.requests;
    const proc = await spawnEntry('main.js', { env: { PORT: '0', UPSTREAM_URL: upstream.url } });
    expect((await http(`${proc.url}/restaurants/Sakura`)).status).toBe(200);
    expect(upstream.requests - before).toBe(1);
    expect(await proc.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });
});

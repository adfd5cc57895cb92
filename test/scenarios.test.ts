/**
 * The scenarios in scenarios/: every file validates, and each service's smoke
 * variant passes against the real service started in-process on a free
 * loopback port (no mocks), with a check per service of something the
 * scenario's own checks cannot see. Needs `pnpm build` (engine and examples
 * are imported from dist/, as users run them).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { run, validateScenarioFile, type CumulativeRequestStats, type Summary } from '../packages/core/dist/index.js';
import { scenarioLoads } from '../packages/core/dist/internal.js';
import { start as startBehaviour } from '../examples/behaviour/dist/index.js';
import { start as startDocstore } from '../examples/docstore/dist/index.js';
import { start as startEvents } from '../examples/events/dist/index.js';
import { start as startRestaurants, startUpstream } from '../examples/restaurants/dist/index.js';

const dir = fileURLToPath(new URL('../scenarios/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const SERVICES = ['behaviour', 'docstore', 'restaurants', 'events'] as const;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}

/** Responses with this status for the request name (0 when the name never ran). */
function status(s: Summary, name: string, code: number): number {
  const r: CumulativeRequestStats | undefined = s.requests[name];
  return r?.statuses[String(code)] ?? 0;
}

/** Runs scenarios/<service>-smoke.yml (or `file`) on one worker against `url` and asserts what every smoke run must show. */
async function smoke(service: (typeof SERVICES)[number], url: string, file = `${service}-smoke.yml`): Promise<Summary> {
  // No warm-up: the services' own counts must be the run's.
  const { summary: s } = await run(join(dir, file), { workers: 1, warmupMs: 0, env: { [`${service.toUpperCase()}_URL`]: url } });
  expect(s.meta.target).toBe(url);
  expect(s.verdict.endReason).toBe('completed');
  expect(s.verdict.thresholds.length).toBeGreaterThanOrEqual(3);
  // Checks and error rate must pass; a latency threshold (p(95) < 500ms) is a timing claim
  // that a machine busy with other work may miss, so it alone may fail the verdict.
  const notTiming = s.verdict.thresholds.filter((t) => t.unit !== 'ms');
  expect(notTiming.length).toBeGreaterThanOrEqual(2);
  expect(notTiming.every((t) => t.passed), JSON.stringify(s.verdict.thresholds)).toBe(true);
  expect((s.verdict.reasons ?? []).filter((x) => x.code !== 'THRESHOLDS_FAILED')).toEqual([]);
  expect(s.total.count).toBeGreaterThan(100);
  expect(s.total.errorCount, JSON.stringify(s.total.errors)).toBe(0);
  expect(s.total.failed, JSON.stringify(s.total.statuses)).toBe(0);
  expect(Object.keys(s.checks).length).toBeGreaterThan(0);
  for (const [name, c] of Object.entries(s.checks)) {
    expect(c.fails, `check "${name}"`).toBe(0);
    expect(c.passes, `check "${name}"`).toBeGreaterThan(0);
  }
  for (const [name, f] of Object.entries(s.flows)) {
    expect(f.iterations, `flow ${name}`).toBeGreaterThan(0);
    expect(f.failed, `flow ${name}`).toBe(0);
  }
  return s;
}

describe('scenarios/*.yml', () => {
  it('has a full scenario and a smoke variant for every example service', () => {
    for (const name of SERVICES) {
      expect(files).toContain(`${name}.yml`);
      expect(files).toContain(`${name}-smoke.yml`);
    }
  });

  it.each(files)('%s is valid without any environment (defaults apply)', (file) => {
    const r = validateScenarioFile(join(dir, file), { env: {} });
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
    const s = r.scenario!;
    expect(s.target).toMatch(/^http:\/\/127\.0\.0\.1:300[1-4]$/);
    expect(s.thresholds.length).toBeGreaterThanOrEqual(3);
    // Loads side by side: the longest one's.
    const ms = Math.max(...scenarioLoads(s).map((l) => l.load.stages.reduce((n, st) => n + st.durationMs, 0)));
    if (file.endsWith('-smoke.yml')) expect(ms).toBeLessThanOrEqual(5000);
    else expect(ms).toBeGreaterThanOrEqual(120_000);
  });

  it('takes its target from the environment', () => {
    const r = validateScenarioFile(join(dir, 'events.yml'), { env: { EVENTS_URL: 'http://10.0.0.7:8080' } });
    expect(r.scenario?.target).toBe('http://10.0.0.7:8080');
  });
});

describe('smoke scenarios against the example services', () => {
  it('behaviour: every POST answered 201 is stored, and read back', async () => {
    const svc = await startBehaviour({ port: 0 });
    cleanups.push(() => svc.close());
    const s = await smoke('behaviour', svc.url);

    const posted = status(s, 'POST /v1/behaviors', 201);
    expect(posted).toBeGreaterThan(10);
    expect(posted).toBe(s.requests['POST /v1/behaviors']!.count);
    // store 1 : query 2, applied exactly per worker.
    expect(s.flows['query']!.iterations).toBeGreaterThanOrEqual(2 * s.flows['store']!.iterations - 2);
    let stored = 0;
    for (let u = 1; u <= 5; u++) stored += (await getJson<{ count: number }>(`${svc.url}/v1/users/user-${u}/behaviors?limit=1`)).count;
    expect(stored).toBe(posted);
  });

  it('docstore: the documents left are exactly those created and not deleted', async () => {
    const svc = await startDocstore({ port: 0 });
    cleanups.push(() => svc.close());
    const s = await smoke('docstore', svc.url);

    const created = status(s, 'POST /docs', 201) + status(s, 'POST /docs (simple)', 201) + status(s, 'POST /docs (nested)', 201);
    const deleted = status(s, 'DELETE /docs/{key}', 204);
    expect(created).toBeGreaterThan(20);
    expect(deleted).toBeGreaterThan(0);
    // Every completed "orders" iteration deleted its document.
    expect(deleted).toBe(s.flows['orders']!.iterations);
    expect((await getJson<{ count: number }>(`${svc.url}/docs`)).count).toBe(created - deleted);
    // Increments and appends were checked on every answer.
    expect(s.checks['PUT /docs/{key}/visits: $.value == 6']?.passes).toBe(s.flows['profile']!.iterations);
  });

  it('restaurants: hot names are answered from the cache, cold ones reach the upstream', async () => {
    const upstream = await startUpstream({ delayMs: 50 });
    cleanups.push(() => upstream.close());
    const svc = await startRestaurants({ port: 0, upstreamUrl: upstream.url, ttlMs: 10_000 });
    cleanups.push(() => svc.close());
    const s = await smoke('restaurants', svc.url);

    const stats = await getJson<{ hits: number; misses: number; upstreamRequests: number; coalesced: number }>(`${svc.url}/stats`);
    expect(stats.hits + stats.misses).toBe(s.total.count);
    expect(stats.hits).toBeGreaterThan(0);
    // 3 hot names + the list + at most one miss per cold lookup; everything else is a hit.
    expect(stats.upstreamRequests).toBe(upstream.requests);
    expect(stats.upstreamRequests).toBeLessThanOrEqual(4 + s.requests['GET /restaurants/{cold}']!.count);
    expect(stats.hits).toBeGreaterThan(s.total.count / 2);
    const p50 = (name: string): number => s.requests[name]!.latency.percentiles['50']! / 1000;
    expect(p50('GET /restaurants/{cold}')).toBeGreaterThanOrEqual(50); // each one a miss: the upstream's 50 ms
    // Hits skip the upstream's 50 ms: whatever the machine adds, they are faster than the misses.
    expect(p50('GET /restaurants/{hot}')).toBeLessThan(p50('GET /restaurants/{cold}'));
  });

  it('events: browsing finds the seed, and completed create-update-delete iterations leave nothing behind', async () => {
    const svc = await startEvents({ port: 0, seed: true });
    cleanups.push(() => svc.close());
    const s = await smoke('events', svc.url);

    // Five detail pages per completed browse iteration, all found.
    expect(status(s, 'GET /events/{id}', 200)).toBeGreaterThanOrEqual(5 * s.flows['browse']!.iterations);
    const created = status(s, 'POST /events', 201);
    const deleted = status(s, 'DELETE /events/{id}', 204);
    const completed = s.flows['organise']!.iterations;
    expect(created).toBeGreaterThan(5);
    expect(deleted).toBeGreaterThanOrEqual(completed);
    // What is left over can only come from iterations cut short when the run stopped.
    expect(created - deleted).toBeLessThanOrEqual(created - completed);
    const all = await getJson<{ total: number; items: Array<{ id: string; start: string }> }>(`${svc.url}/events?limit=1000`);
    expect(all.total).toBe(10 + created - deleted);
    // The seed is untouched: 10 events in 2030, still 3 reminders for account demo.
    expect((await getJson<{ total: number }>(`${svc.url}/events?to=2030-12-31`)).total).toBe(10);
    expect((await getJson<{ count: number }>(`${svc.url}/accounts/demo/notifications`)).count).toBe(3);
    expect(status(s, 'DELETE /notifications/{id}', 204)).toBeGreaterThanOrEqual(s.flows['notifications']!.iterations);
  });

  it("events-loads: readers and organisers side by side, each load's figures what it did to the service", async () => {
    const svc = await startEvents({ port: 0, seed: true });
    cleanups.push(() => svc.close());
    const s = await smoke('events', svc.url, 'events-loads-smoke.yml');

    const readers = s.loads!['readers']!;
    const organisers = s.loads!['organisers']!;
    expect(Object.keys(s.meta.loads!)).toEqual(['readers', 'organisers']);
    // Each load sent only its own requests; the run's figures are their sums.
    expect(Object.keys(readers.requests).sort()).toEqual(['GET /events (page)', 'GET /events/{id}']);
    expect(Object.keys(organisers.requests).sort()).toEqual(['DELETE /events/{id}', 'GET /events/{id} (created)', 'POST /events', 'PUT /events/{id}']);
    expect(s.total.count).toBe(readers.total.count + organisers.total.count);
    expect(readers.total.count).toBeGreaterThan(20);
    expect(readers.requests['GET /events/{id}']!.count).toBe(s.requests['GET /events/{id}']!.count);
    // At most 10 readers in flight: arrivals beyond are dropped, never queued.
    expect(readers.flows['read']!.iterations + readers.dropped).toBeLessThanOrEqual(160);
    // The organisers leave the service as they found it, except for iterations cut short at the end.
    const created = organisers.requests['POST /events']!.statuses['201'] ?? 0;
    const deleted = organisers.requests['DELETE /events/{id}']!.statuses['204'] ?? 0;
    expect(created).toBeGreaterThan(5);
    expect(deleted).toBe(organisers.flows['organise']!.iterations);
    const all = await getJson<{ total: number }>(`${svc.url}/events?limit=1000`);
    expect(all.total).toBe(10 + created - deleted);
    // Each load's thresholds were judged on that load.
    expect(s.verdict.thresholds.filter((t) => t.load === 'organisers').map((t) => t.scope)).toEqual(['total', 'flow:organise']);
  });
});

/**
 * Hooks in JavaScript (docs/hooks.md) against real loopback servers: setup once on the main
 * thread, its data in every worker, requests edited and signed, variables carried from a
 * response to the next step, hook errors counted as failed checks with one warning and a
 * stack, teardown once on every way out.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { capacity, LoadctlError, loadScenario, parseScenario, run, ScenarioError } from '@loadctl/core';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/hooks/${name}`, import.meta.url));

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** Issues a token at /login; every other request must carry it and a valid HMAC of "METHOD path body". */
async function signingServer() {
  const state = { logins: 0, badSignatures: 0, unknownIds: 0, unmarked: 0, logouts: [] as Array<{ n: number; reason: string }>, issued: new Set<string>(), last: 0 };
  let next = 1;
  const s = await startServer((n, req, res, body) => {
    state.last = n;
    if (req.url === '/login') {
      state.logins++;
      return json(res, 200, { token: 'tok-1', key: 'k-1' });
    }
    if (req.url?.startsWith('/logout') && req.headers['x-token'] === 'tok-1') {
      state.logouts.push({ n, reason: new URL(req.url, 'http://x').searchParams.get('reason') ?? '' });
      return json(res, 200, {});
    }
    const sig = createHmac('sha256', 'k-1').update(`${req.method} ${req.url} ${body}`).digest('hex');
    if (req.headers['x-token'] !== 'tok-1' || req.headers['x-signature'] !== sig) {
      state.badSignatures++;
      return json(res, 401, { error: 'bad signature' });
    }
    if (req.method === 'POST' && req.url === '/items') {
      if (!/^it-\d+$/.test((JSON.parse(body) as { mark: string }).mark)) state.unmarked++;
      const id = `id-${next++}`;
      state.issued.add(id);
      return json(res, 201, { id });
    }
    const m = /^\/items\/(.*)$/.exec(req.url ?? '');
    if (m && state.issued.has(m[1])) return json(res, 200, { id: m[1] });
    state.unknownIds++;
    return json(res, 404, {});
  });
  return Object.assign(s, { state });
}

describe('hooks', () => {
  it('log in once in setup, sign every request in every worker, carry a response value to the next step, log out once at the end', async () => {
    const s = await signingServer();
    server = s;
    const scenario = parseScenario(
      `
target: ${s.url}
hooks: ${fixture('signing.mjs')}
variables: { mark: none, itemId: missing }
load: { users: 4, iterations: 200 }
flows:
  - name: crud
    steps:
      - name: create
        post: /items
        json: { mark: "\${mark}" }
        check: { status: 201 }
      - name: read
        get: /items/\${itemId}
        check: { status: 200 }
`,
      { env: {} },
    );
    const r = await run(scenario, { workers: 2 });
    expect(r.summary.meta.workers).toBe(2);
    expect(s.state.logins).toBe(1);
    expect(s.state.badSignatures).toBe(0);
    expect(s.state.unmarked).toBe(0);
    expect(s.state.unknownIds).toBe(0);
    expect(r.summary.requests.create.count).toBe(200);
    expect(r.summary.requests.read.statuses).toEqual({ '200': 200 });
    expect(r.summary.checks.answered).toEqual({ passes: 400, fails: 0 });
    // teardown once, after the load: its request is the last the server saw
    expect(s.state.logouts).toEqual([{ n: s.state.last, reason: 'completed' }]);
    expect(r.summary.verdict.passed).toBe(true);
    expect(r.summary.warnings.filter((w) => w.code.startsWith('HOOK'))).toEqual([]);
  });

  it('beforeRequest edits method, URL, headers and body (hooks from a default export object)', async () => {
    server = await startServer((_n, req, res, body) => json(res, req.headers['content-type'] === 'application/json' && JSON.parse(body).n >= 0 ? 200 : 400, {}));
    const scenario = parseScenario(`target: ${server.url}\nhooks: ${fixture('edit.mjs')}\nload: { users: 2, iterations: 50 }\nsteps:\n  - get: /a\n`, { env: {} });
    const r = await run(scenario, { workers: 1 });
    const routes = [...server.byRoute.keys()];
    expect(routes.every((k) => /^POST \/b\?x=\d+$/.test(k))).toBe(true);
    expect(server.byRoute.size).toBe(50); // one per iteration number
    expect(r.summary.total.statuses).toEqual({ '200': 50 });
  });

  it('an error in a hook fails its check and ends that iteration, shown once with its stack, never a crash', async () => {
    server = await startServer((_n, _req, res) => json(res, 200, {}));
    const scenario = parseScenario(`target: ${server.url}\nhooks: ${fixture('failing.mjs')}\nload: { users: 3, iterations: 120 }\nsteps:\n  - get: /x\n    check: { name: ok, status: 200 }\n`, { env: {} });
    const r = await run(scenario, { workers: 1 });
    // iterations 0..119: every 4th throws before its request, which is never sent
    const thrown = 30;
    const rejected = [...Array(120).keys()].filter((i) => i % 4 !== 0 && i % 5 === 0).length;
    expect(server.received).toBe(120 - thrown);
    expect(r.summary.checks['hook:beforeRequest']).toEqual({ passes: 0, fails: thrown });
    expect(r.summary.checks['hook:afterResponse']).toEqual({ passes: 0, fails: rejected });
    // the request that was never sent fails its step's checks, like one that got no response
    expect(r.summary.checks.ok).toEqual({ passes: 120 - thrown, fails: thrown });
    expect(Object.values(r.summary.flows)[0]).toMatchObject({ iterations: 120, failed: thrown + rejected });
    const warnings = r.summary.warnings.filter((w) => w.code === 'HOOK_ERROR');
    expect(warnings).toHaveLength(2);
    const before = warnings.find((w) => w.message.startsWith('hook beforeRequest'))!;
    expect(before.message).toContain('the check "hook:beforeRequest" counts every failure');
    expect(before.message).toMatch(/Error: no signature for iteration \d+/);
    expect(before.message).toMatch(/failing\.mjs:\d+:\d+/); // the hook's own frame
    expect(before.message).not.toMatch(/engine\/runner\.js/); // not ours
    expect(warnings.find((w) => w.message.startsWith('hook afterResponse'))!.message).toContain('RangeError: afterResponse gave up');
  });

  it('teardown runs after an interrupt too, and is told why the load ended', async () => {
    const ac = new AbortController();
    const reasons: string[] = [];
    server = await startServer((n, req, res) => {
      if (req.url?.startsWith('/teardown')) reasons.push(new URL(req.url, 'http://x').searchParams.get('reason') ?? '');
      if (n === 50) ac.abort();
      json(res, 200, {});
    });
    const scenario = parseScenario(`target: ${server.url}\nhooks: ${fixture('counting.mjs')}\nload: { users: 2, duration: 5m }\nsteps:\n  - get: /x\n`, { env: {} });
    const r = await run(scenario, { workers: 1, signal: ac.signal });
    expect(r.summary.verdict.endReason).toBe('interrupted');
    expect(reasons).toEqual(['interrupted']);
  });

  it('setup failing stops the run before any load (exit 3); data that cannot reach a worker is bad input (exit 2)', async () => {
    server = await startServer((_n, _req, res) => json(res, 200, {}));
    const scenario = parseScenario(`target: ${server.url}\nhooks: ${fixture('bad-setup.mjs')}\nload: { users: 1, iterations: 10 }\nsteps:\n  - get: /x\n`, { env: {} });
    const thrown = await run(scenario, { workers: 1, preflight: false }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(LoadctlError);
    expect(thrown).toMatchObject({ code: 'E_HOOK_SETUP', exitCode: 3 });
    expect((thrown as Error).message).toContain('login refused');
    process.env.LOADCTL_TEST_SETUP = 'function';
    try {
      const bad = await run(scenario, { workers: 1, preflight: false }).catch((e: unknown) => e);
      expect(bad).toMatchObject({ code: 'E_HOOK_SETUP', exitCode: 2 });
    } finally {
      delete process.env.LOADCTL_TEST_SETUP;
    }
    expect(server.received).toBe(0);
  });

  it('hooks: in a scenario file is resolved against the file; a missing module is an error with its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-hooks-'));
    writeFileSync(join(dir, 'h.mjs'), 'export function beforeRequest(req) { req.headers["x-from-hook"] = "1"; }\n');
    writeFileSync(join(dir, 'ok.yml'), 'target: http://127.0.0.1:1\nhooks: ./h.mjs\nload: { users: 1, duration: 1s }\nsteps: [ { get: / } ]\n');
    writeFileSync(join(dir, 'missing.yml'), 'target: http://127.0.0.1:1\nload: { users: 1, duration: 1s }\nhooks: ./nope.mjs\nsteps: [ { get: / } ]\n');
    const ok = await loadScenario(join(dir, 'ok.yml'), { env: {} });
    expect(ok.hooks).toBe(join(dir, 'h.mjs'));
    const err = await loadScenario(join(dir, 'missing.yml'), { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).issues[0]).toMatchObject({ line: 3, column: 8 });
    expect((err as ScenarioError).issues[0].message).toContain('nope.mjs');
  });

  it('the hooks option of run() replaces the scenario file\'s', async () => {
    server = await startServer((_n, req, res) => json(res, req.method === 'POST' ? 200 : 418, {}));
    const scenario = parseScenario(`target: ${server.url}\nload: { users: 1, iterations: 5 }\nsteps:\n  - get: /a\n`, { env: {} });
    const r = await run(scenario, { workers: 1, hooks: fixture('edit.mjs') });
    expect(r.summary.total.statuses).toEqual({ '200': 5 });
  });

  it('a .ts hooks module works through the loader given to node (--import), in every worker', async () => {
    let typed = 0;
    server = await startServer((_n, req, res) => {
      if (req.headers['x-token'] === 'from-ts') typed++;
      json(res, 200, {});
    });
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', fixture('ts-loader.mjs'), fixture('run-typed.mjs'), server.url]);
    expect(JSON.parse(stdout)).toEqual({ count: 20, workers: 2 });
    expect(typed).toBe(20);
  });

  it('capacity: setup once for the whole search and teardown once at its end, not per step', async () => {
    const s = await signingServer();
    server = s;
    const scenario = parseScenario(
      `target: ${s.url}\nhooks: ${fixture('signing.mjs')}\nvariables: { mark: none, itemId: missing }\nload: { rate: 10, duration: 1s }\nsteps:\n  - { name: create, post: /items, json: { mark: "\${mark}" } }\nthresholds: [ "error_rate < 50%" ]\n`,
      { env: {} },
    );
    const r = await capacity(scenario, { startRate: 10, maxRate: 20, growth: 2, stepMs: 1000, warmupMs: 0, confirmMs: 0, pauseMs: 0, workers: 1 });
    expect(r.summary.capacity!.steps.length).toBeGreaterThanOrEqual(2);
    expect(s.state.logins).toBe(1);
    expect(s.state.logouts).toHaveLength(1);
    expect(s.state.badSignatures).toBe(0);
  });
});

/**
 * The CLI with loads side by side: `validate` names the loads, `run` prints a table of the
 * loads and exits 1 when a threshold scoped to one load fails (exit 0 when they all hold),
 * `--duration` stretches every load, and `capacity` refuses such a scenario (exit 2).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';
import { loadctl } from './cli.js';

let server: TestServer;
beforeAll(async () => {
  // /write answers 503 when the header says so: the writers' threshold then fails.
  server = await startServer((_n, req, res) => json(res, req.url?.startsWith('/write') && req.headers['x-fail'] === '1' ? 503 : 200, {}));
});
afterAll(async () => {
  await server.close();
});

function scenarioFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'loadctl-loads-cli-')), 'mixed.yml');
  writeFileSync(
    file,
    `name: mixed
target: \${env.URL}
headers: { x-fail: "\${env.FAIL ?? '0'}" }
loads:
  - name: api
    load: { rate: 50, duration: 10s, maxInFlight: 5 }
    steps: [GET /api/items]
  - name: writers
    load: { users: 2, duration: 5s }
    flows:
      - { name: write, pace: 20ms, steps: [POST /write/items] }
thresholds:
  - { expression: 'error_rate < 1%', scope: 'load:writers' }
  - count > 0
`,
  );
  return file;
}

describe('loadctl with loads side by side', () => {
  it('validate names the loads (text and --json)', async () => {
    const file = resolve('scenarios/events-loads.yml');
    const text = await loadctl(['validate', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('2 loads side by side (readers: open, 1 flow(s); organisers: closed, 1 flow(s)), 7 threshold(s)');
    const r = await loadctl(['validate', file, '--json']);
    const out = JSON.parse(r.stdout) as { files: Array<{ scenario: Record<string, unknown> }> };
    expect(out.files[0].scenario).toMatchObject({
      model: 'loads',
      flows: 2,
      loads: [
        { name: 'readers', model: 'open', flows: 1 },
        { name: 'organisers', model: 'closed', flows: 1 },
      ],
    });
  });

  it('run: a table of the loads; exit 1 when a threshold of one load fails, 0 when all hold; --duration stretches every load', async () => {
    const file = scenarioFile();
    const failing = await loadctl(['run', file, '--duration', '1s', '--workers', '2', '-q', '-e', `URL=${server.url}`, '-e', 'FAIL=1']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/\nLoads\n\s+load\s+model\s+requests/);
    expect(failing.stdout).toMatch(/\n\s+api\s+open up to 50\/s, max 5 in flight\s+\d+/);
    expect(failing.stdout).toMatch(/✗ load:writers: error_rate < 1%\s+measured 100%/);
    const passing = await loadctl(['run', file, '--duration', '1s', '--workers', '2', '-q', '--json', '-e', `URL=${server.url}`]);
    expect(passing.code).toBe(0);
    const s = JSON.parse(passing.stdout) as { meta: { loads: Record<string, { plannedDurationMs: number }> }; loads: Record<string, { total: { count: number } }> };
    // 10 s and 5 s stretched by one factor: the longest load to 1 s, the other to half of it
    expect([s.meta.loads.api.plannedDurationMs, s.meta.loads.writers.plannedDurationMs]).toEqual([1000, 500]);
    expect(s.loads.writers.total.count).toBeGreaterThan(0);
  });

  it('capacity refuses a scenario with loads side by side (exit 2)', async () => {
    const r = await loadctl(['capacity', scenarioFile(), '-e', `URL=${server.url}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: capacity searches the rate of one load; this scenario has loads side by side \(api, writers\)/);
  });
});

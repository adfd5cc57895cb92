/**
 * `loadctl init` writes a starter scenario that validates and runs as written: init,
 * validate, and a 2-second run of it against a loopback server, for both load models.
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startServer, type TestServer } from '../../../test/support/servers.js';
import { loadctl } from './cli.js';

const SCHEMA = fileURLToPath(new URL('../../core/schema/scenario.schema.json', import.meta.url));
let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startServer((_n, req, res) => (req.url === '/health?deep=1' ? json(res, 200, { ok: true }) : json(res, 404, { error: 'not found' })));
  dir = mkdtempSync(join(tmpdir(), 'loadctl-init-'));
});
afterAll(async () => {
  await server.close();
});

describe('loadctl init', () => {
  it.each(['closed', 'open'])('the %s-model starter validates and runs 2 s against the URL', async (model) => {
    const file = join(dir, `${model}.yml`);
    const before = server.byRoute.get('GET /health?deep=1') ?? 0;
    const init = await loadctl(['init', `${server.url}/health?deep=1`, '--model', model, '-o', file]);
    expect(init.code, init.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    // The editor line points at the schema of the installed @loadctl/core, relative to the file.
    const schema = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text)?.[1];
    expect(schema).toMatch(/^\.\.?\//);
    expect(realpathSync(resolve(dirname(file), schema!))).toBe(realpathSync(SCHEMA));

    const validate = await loadctl(['validate', file]);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain(`${model} model, 3 threshold(s)`);

    const out = join(dir, `out-${model}`);
    const r = await loadctl(['run', file, '--duration', '2s', '--workers', '1', '--out-dir', out, '--quiet']);
    expect([0, 1], r.stderr).toContain(r.code); // 1 only if the busy machine missed p(95) < 500ms
    const s = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).summary;
    expect(s.verdict.endReason).toBe('completed');
    expect(s.meta.target).toBe(server.url);
    expect(s.total.count).toBeGreaterThan(0);
    expect(s.total.failed).toBe(0);
    expect(Object.keys(s.requests)).toEqual(['GET /health?deep=1']);
    expect(s.verdict.thresholds.map((t: { expression: string }) => t.expression)).toEqual(['p(95) < 500ms', 'error_rate < 1%', 'checks > 99%']);
    expect(s.verdict.thresholds.slice(1).every((t: { passed: boolean }) => t.passed)).toBe(true);
    // The default warm-up (unmeasured) reached the server too, and the result says how much.
    expect(server.byRoute.get('GET /health?deep=1')! - before).toBe(s.total.count + s.generator.warmup.requests);
  });

  it('--schema puts a given path or URL on the editor line', async () => {
    const file = join(dir, 'url.yml');
    const r = await loadctl(['init', server.url, '-o', file, '--schema', 'https://example.com/scenario.schema.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=https://example.com/scenario.schema.json');
  });

  it('refuses to overwrite a file (exit 2) unless --force', async () => {
    const file = join(dir, 'mine.yml');
    writeFileSync(file, 'my work\n');
    const r = await loadctl(['init', server.url, '-o', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('exists');
    expect(readFileSync(file, 'utf8')).toBe('my work\n');
    expect((await loadctl(['init', server.url, '-o', file, '--force'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('target: http://127.0.0.1:');
  });

  it.each([
    [['init', 'ftp://example.com/x'], /unsupported protocol "ftp:"/],
    [['init', 'not a url'], /is not a URL/],
    [['init', '--model', 'sideways'], /Expected --model=sideways to be one of: closed, open/],
  ])('bad input %j -> exit 2, nothing written', async (args, message) => {
    const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.yml`);
    const r = await loadctl([...args, '-o', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(file)).toBe(false);
  });
});

/**
 * The packages as a user gets them: `pnpm pack` of @loadctl/core, @loadctl/reporters and the
 * loadctl CLI, installed with npm into a clean temp directory (third-party dependencies from the
 * registry), then `npx loadctl quick` against a loopback server, a script importing the
 * packages' entries, a TypeScript consumer type-checked against the shipped declarations, and
 * the exports maps keeping internals out of reach.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startServer, type TestServer } from './support/servers.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'loadctl-pack-'));
const app = join(dir, 'app');
let server: TestServer;

beforeAll(async () => {
  server = await startServer((_n, _req, res) => json(res, 200, { ok: true }));
  const tgz = join(dir, 'tgz');
  mkdirSync(tgz);
  mkdirSync(app);
  // The dist global-setup just built (a release packs a clean build: pnpm pack:all).
  const packed = await run(process.execPath, [join(root, 'scripts', 'pack.mjs'), '--out', tgz]);
  const tarballs = packed.stdout.trim().split('\n');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], { cwd: app, maxBuffer: 1 << 24 });
}, 300_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm pack of core, reporters and cli', () => {
  it('npx loadctl quick runs against a loopback server', async () => {
    const { stdout } = await run('npx', ['--no-install', 'loadctl', 'quick', `${server.url}/`, '-n', '200', '-c', '2', '--workers', '1', '--json', '--quiet'], { cwd: app, maxBuffer: 1 << 24 });
    const summary = JSON.parse(stdout) as { total: { count: number }; verdict: { passed: boolean } };
    expect(summary.total.count).toBe(200);
    expect(summary.verdict.passed).toBe(true);
  });

  it('a script imports @loadctl/core (and /testing, @loadctl/reporters) and runs a load; deep imports are refused', async () => {
    writeFileSync(
      join(app, 'script.mjs'),
      `import { startQuick, LoadctlError } from '@loadctl/core';
import { assertPassed } from '@loadctl/core/testing';
import { createReporters } from '@loadctl/reporters';
const test = startQuick({ url: process.argv[2], requests: 100, connections: 2, workers: 1 });
let intervals = 0;
test.on('interval', () => intervals++);
const result = await test.done;
assertPassed(result);
let deep = 'allowed';
try { await import('@loadctl/core/dist/run/execute.js'); } catch (e) { deep = e.code; }
console.log(JSON.stringify({ count: result.summary.total.count, intervals: intervals === result.timeline.length, error: typeof LoadctlError, reporters: typeof createReporters, deep }));
`,
    );
    const { stdout } = await run(process.execPath, ['script.mjs', `${server.url}/`], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({ count: 100, intervals: true, error: 'function', reporters: 'function', deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  });

  it('a TypeScript consumer type-checks against the shipped declarations (NodeNext resolution, exports maps)', async () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { defineScenario, run, start, type RunResult, type Reporter, type Hooks } from '@loadctl/core';
import { createReporters } from '@loadctl/reporters';
const scenario = defineScenario({ target: 'http://127.0.0.1:1', load: { users: 1, duration: '1s' }, steps: [{ get: '/' }] });
const mine: Reporter = { name: 'mine', interval: (i) => void i.total.latency.percentiles['99'] };
const hooks: Hooks<{ token: string }> = { beforeRequest: (req, ctx) => void (req.headers.authorization = ctx.data.token) };
export async function go(): Promise<RunResult> {
  const test = start(scenario, { reporters: [mine, ...createReporters({ config: null })] });
  test.on('stage', (s) => void s.name);
  void hooks;
  await test.stop({ graceful: true });
  return run(scenario);
}
`,
    );
    // A Node project's own @types/node (the repository's); skipLibCheck off, so the shipped declarations are checked too.
    const compilerOptions = { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }).catch((e: { stdout: string }) => e);
    expect(r.stdout).toBe('');
  });
});

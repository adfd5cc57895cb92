/**
 * The published JSON Schema of result.json: it is the TypeBox definition (checked against the
 * model by the compiler), a real run's result.json validates against it with a plain ajv, a
 * broken one is refused with the JSON path of the problem, and added fields are accepted.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quick, readResult, ResultFileError, writeResult, type Reporter, type Result } from '@loadctl/core';
import { ResultSchema } from '../src/metrics/result-schema.js';
import { RESULT_SCHEMA_URL } from '../src/metrics/result-validate.js';
import { startServer, type TestServer } from '../../../test/support/servers.js';

let dir: string;
let server: TestServer;
let published: object;
let realResult: Record<string, unknown>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loadctl-schema-'));
  server = await startServer((n, _req, res) => {
    res.statusCode = n % 10 === 0 ? 503 : 200;
    res.end('ok');
  });
  published = JSON.parse(await readFile(RESULT_SCHEMA_URL, 'utf8')) as object;
  // A real run; the file reporter writes result.json from the run's own Result.
  const path = join(dir, 'result.json');
  const file: Reporter = { name: 'json', kind: 'file', end: (_s, r) => writeResult(path, r as Result) };
  await quick({ url: `${server.url}/x`, requests: 300, connections: 3, workers: 1, outDir: join(dir, 'run'), reporters: [file] });
  realResult = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('result.json schema', () => {
  it('the published file is the TypeBox definition (regenerate with node scripts/result-schema.mjs)', () => {
    expect(published).toEqual(JSON.parse(JSON.stringify(ResultSchema)));
  });

  it("a real run's result.json validates with a plain ajv, and through readResult", async () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(published);
    expect(validate(realResult), JSON.stringify(validate.errors)).toBe(true);
    const timeline = realResult.timeline as Array<{ total: { count: number }; latencyHistogram?: string }>;
    expect(timeline.reduce((n, iv) => n + iv.total.count, 0)).toBe(300);
    expect(timeline.every((iv) => typeof iv.latencyHistogram === 'string')).toBe(true);
    await expect(readResult(join(dir, 'result.json'))).resolves.toMatchObject({ schemaVersion: 1 });
  });

  it('refuses a broken one with the JSON path of each problem', async () => {
    const broken = structuredClone(realResult) as { summary: { total: Record<string, unknown> }; timeline: Array<Record<string, unknown>> };
    broken.summary.total.count = 'many';
    delete broken.timeline[0].generator;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(published);
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/summary/total/count', '/timeline/0']));
    const path = join(dir, 'broken.json');
    await writeResult(path, broken as never);
    const err = await readResult(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResultFileError);
    expect((err as ResultFileError).reason).toContain('summary.total.count: expected a number, got "many"');
    expect((err as ResultFileError).reason).toContain('timeline[0].generator: missing');
    expect((err as ResultFileError).exitCode).toBe(2);
  });

  it('accepts fields it does not know (added optional fields keep the schema version)', async () => {
    const extended = structuredClone(realResult) as { summary: Record<string, unknown>; timeline: Array<Record<string, unknown>> };
    extended.summary.futureSection = [{ metric: 'latency.p99', slopePerHour: 0.1 }];
    extended.timeline[0].futureField = { rss: 1 };
    const path = join(dir, 'extended.json');
    await writeResult(path, extended as never);
    await expect(readResult(path)).resolves.toMatchObject({ summary: { futureSection: [{ metric: 'latency.p99' }] } });
  });
});

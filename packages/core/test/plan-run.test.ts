/**
 * The plan through real runs against a counting loopback server: shards of unequal
 * segments and their workers together send exactly what was asked, and fewer units
 * than workers means fewer workers, said in the result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSegment, parseSequence, quick } from '@loadctl/core';
import { startServer, type TestServer } from '../../../test/support/servers.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer((_n, _req, res) => res.end('ok'));
});
afterAll(() => server.close());

describe('plan: exact shares in real runs', () => {
  it('three shards of unequal segments, two workers each, send exactly the -n requests between them', async () => {
    const before = server.received;
    const sequence = parseSequence('0,0.2,0.7,1');
    const counts: number[] = [];
    const segments: string[] = [];
    for (const text of ['0:0.2', '0.2:0.7', '0.7:1']) {
      const { summary: s } = await quick({ url: `${server.url}/`, connections: 5, requests: 23, workers: 2, segment: parseSegment(text), segmentSequence: sequence, preflight: false });
      counts.push(s.total.count);
      segments.push(s.meta.segment);
    }
    // 23 requests dealt 2 : 5 : 3 in each 10 (two whole cycles), then units 20, 21, 22 one to each part
    expect(counts).toEqual([5, 11, 7]);
    expect(server.received - before).toBe(23);
    expect(segments).toEqual(['1/5', '0.2:0.7', '0.7:1']);
  });

  it('fewer connections than workers: fewer workers, and the result says so', async () => {
    const { summary: s } = await quick({ url: `${server.url}/`, connections: 2, requests: 10, workers: 4, preflight: false });
    expect(s.meta.workers).toBe(2);
    expect(s.total.count).toBe(10);
    expect(s.warnings).toContainEqual({ code: 'PLAN', severity: 'info', message: '2 workers instead of 4: the run has only 2 users' });
  });
});

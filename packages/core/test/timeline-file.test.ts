/** timeline.jsonl: appended line by line, read back in order, a torn last line skipped, bounded reads. */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Interval } from '../src/metrics/model.js';
import { fileTimeline, readTimeline, TimelineWriter } from '../src/metrics/timeline-file.js';

const dir = mkdtempSync(join(tmpdir(), 'loadctl-timeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const iv = (index: number): Interval => ({ index, start: 1000 * index + 0.123456789, end: 1000 * (index + 1), rps: 2999.987654321 }) as unknown as Interval;

async function all(it: AsyncIterable<Interval>): Promise<Interval[]> {
  const out: Interval[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('timeline.jsonl', () => {
  it('reads back exactly what was appended, in order, as often as asked', async () => {
    const path = join(dir, 'a.jsonl');
    const w = new TimelineWriter(path);
    for (let i = 0; i < 5; i++) w.append(iv(i));
    await w.sync();
    w.close();
    expect(w.written).toBe(5);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(5);
    const t = fileTimeline(path, 5);
    const first = await all(t);
    expect(first.map((x) => x.index)).toEqual([0, 1, 2, 3, 4]);
    expect(first).toEqual([0, 1, 2, 3, 4].map(iv));
    expect(await all(t)).toEqual(first);
    expect((await all(fileTimeline(path, 3))).map((x) => x.index)).toEqual([0, 1, 2]);
  });

  it('skips a torn last line (a kill mid-write) and says which', async () => {
    const path = join(dir, 'torn.jsonl');
    const w = new TimelineWriter(path);
    w.append(iv(0));
    w.append(iv(1));
    w.close();
    appendFileSync(path, '{"index":2,"start":20');
    const bad: number[] = [];
    expect((await all(readTimeline(path, { onBadLine: (n) => bad.push(n) }))).map((x) => x.index)).toEqual([0, 1]);
    expect(bad).toEqual([3]);
  });

  it('counts what it could not write and stops there, so the file stays a prefix', () => {
    const w = new TimelineWriter(join(dir, 'closed.jsonl'));
    w.append(iv(0));
    w.close();
    w.append(iv(1));
    w.append(iv(2));
    expect(w.written).toBe(1);
    expect(w.failed).toBe(2);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResult } from '@loadctl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonResultReporter } from '../src/json/index.js';
import { makeRun } from './support/synthetic.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loadctl-json-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('JsonResultReporter', () => {
  it('collects the timeline and writes a RunResult that reads back equal', async () => {
    const { meta, intervals, summary } = makeRun({ intervals: 12 });
    const config = { target: meta.target, headers: { authorization: '***' } };
    const path = join(dir, 'out', 'result.json');
    const reporter = new JsonResultReporter({ path, config });
    expect(reporter.kind).toBe('output');
    reporter.start(meta);
    for (const iv of intervals) reporter.interval(iv);
    // The reporter keeps its own copy: later mutation by the caller does not leak in.
    intervals[0]!.rps = -1;
    await reporter.end(summary);
    const back = await readResult(path);
    expect(back.schemaVersion).toBe(1);
    expect(back.config).toEqual(config);
    expect(back.summary).toEqual(summary);
    expect(back.timeline).toHaveLength(12);
    expect(back.timeline[0]!.rps).not.toBe(-1);
    expect(back.timeline.slice(1)).toEqual(intervals.slice(1));
    expect(reporter.notes()).toEqual([`result written to ${path} (12 intervals)`]);
  });

  it('start() resets the timeline', async () => {
    const { meta, intervals, summary } = makeRun({ intervals: 3 });
    const path = join(dir, 'reset.json');
    const reporter = new JsonResultReporter({ path, config: null });
    reporter.start(meta);
    reporter.interval(intervals[0]!);
    reporter.start(meta);
    reporter.interval(intervals[1]!);
    await reporter.end(summary);
    expect((await readResult(path)).timeline).toEqual([intervals[1]]);
  });

  it('fails end() with a coded error when the path is not writable', async () => {
    const { summary } = makeRun({ intervals: 1 });
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    const reporter = new JsonResultReporter({ path: join(blocker, 'result.json'), config: {} });
    await expect(reporter.end(summary)).rejects.toMatchObject({ code: 'E_RESULT_FILE' });
    expect(reporter.notes()).toEqual([]);
  });

  it('requires a path', () => {
    expect(() => new JsonResultReporter({ path: '', config: {} })).toThrow(/path/);
  });
});

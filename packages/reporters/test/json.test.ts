import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResult, RESULT_SCHEMA_VERSION, type Result } from '@loadctl/core';
import { memoryTimeline } from '@loadctl/core/internal';
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
  it('writes the run\'s Result, streaming its timeline, and it reads back equal', async () => {
    const { intervals, summary } = makeRun({ intervals: 12 });
    const config = { target: summary.meta.target, headers: { authorization: '***' } };
    const path = join(dir, 'out', 'result.json');
    const reporter = new JsonResultReporter({ path });
    expect(reporter.kind).toBe('file');
    expect('interval' in reporter).toBe(false);
    const result: Result = { schemaVersion: RESULT_SCHEMA_VERSION, summary, timeline: memoryTimeline(intervals), config };
    await reporter.end(summary, result);
    const back = await readResult(path);
    expect(back.schemaVersion).toBe(1);
    expect(back.config).toEqual(config);
    expect(back.summary).toEqual(summary);
    expect(back.timeline).toEqual(intervals);
    expect(reporter.notes()).toEqual([`result written to ${path} (12 intervals)`]);
  });

  it('refuses to end without a Result', async () => {
    const { summary } = makeRun({ intervals: 1 });
    const reporter = new JsonResultReporter({ path: join(dir, 'none.json') });
    await expect(reporter.end(summary)).rejects.toThrow(/Result of a run/);
    expect(reporter.notes()).toEqual([]);
  });

  it('fails end() with a coded error when the path is not writable', async () => {
    const { intervals, summary } = makeRun({ intervals: 1 });
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    const reporter = new JsonResultReporter({ path: join(blocker, 'result.json') });
    const result: Result = { schemaVersion: RESULT_SCHEMA_VERSION, summary, timeline: memoryTimeline(intervals), config: {} };
    await expect(reporter.end(summary, result)).rejects.toMatchObject({ code: 'E_RESULT_FILE' });
    expect(reporter.notes()).toEqual([]);
  });

  it('requires a path', () => {
    expect(() => new JsonResultReporter({ path: '' })).toThrow(/path/);
  });
});

// A reporter of your own, and a run followed through its handle (docs/library.md).
//   node examples/library/follow-run.mjs [dir]
// Hammers the behaviour example at 200 requests/s with two reporters: an object written
// here (a one-line progress per interval) and the module reporter of
// examples/reporters/slack-like.mjs, made by its factory (messages into <dir>/slack.jsonl).
// The handle's async iterator reads the intervals; after three it stops the run gently.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startQuick } from '@loadctl/core';
import { start } from '@loadctl-example/behaviour';
import slackLike from '../reporters/slack-like.mjs';

const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'loadctl-follow-'));
const service = await start();
try {
  /** @type {import('@loadctl/core').Reporter} */
  const progress = {
    name: 'progress',
    interval(iv) {
      const p95 = (iv.total.latency.percentiles['95'] ?? 0) / 1000; // µs -> ms
      console.log(`progress: ${(iv.elapsedMs / 1000).toFixed(0)} s ${iv.rps.toFixed(0)} req/s p95 ${p95.toFixed(1)} ms`);
    },
    end(summary) {
      console.log(`progress: ended (${summary.verdict.endReason}), ${summary.total.count} requests`);
    },
  };
  const slack = await slackLike({ options: { path: 'slack.jsonl', everyIntervals: 1 }, outDir: dir, quiet: false, env: process.env });

  const test = startQuick({ url: `${service.url}/health`, rate: 200, durationMs: 60_000, workers: 1, reporters: [progress, slack] });
  test.on('warning', (w) => console.log(`warning ${w.code}: ${w.message}`));
  let seen = 0;
  for await (const iv of test) {
    seen++;
    if (seen === 3) {
      await test.stop({ graceful: true }); // requests in flight complete; resolves with the result
      break;
    }
    void iv;
  }
  const result = await test.done;
  console.log(`stopped after ${seen} intervals: ${result.summary.verdict.endReason}, ${result.summary.total.count} requests, reporters ${JSON.stringify(result.summary.reporters)}`);
  console.log(`slack-like messages in ${join(dir, 'slack.jsonl')}`);
} finally {
  await service.close();
}

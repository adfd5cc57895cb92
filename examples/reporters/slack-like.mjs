// A reporter of your own (docs/reporters.md, "A reporter of your own"): the messages a Slack
// incoming webhook would get, written as JSON lines to a file instead of being posted.
//
//   loadctl run scenario.yml --reporter ./examples/reporters/slack-like.mjs --out-dir results
//   # or in a scenario:  reporters: [ { type: ./slack-like.mjs, path: slack.jsonl, everyIntervals: 10 } ]
//
// Options: `path` (default slack.jsonl, relative to --out-dir or the working directory),
// `everyIntervals` (a progress message every N intervals, default 10; alerts come at once).
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const ms = (us) => `${(us / 1000).toFixed(1)} ms`;
const pct = (x) => `${(x * 100).toFixed(2)} %`;

/** @type {import('@loadctl/reporters').ReporterFactory} */
export default function slackLike({ options, outDir }) {
  const file = resolve(outDir ?? '.', typeof options.path === 'string' ? options.path : 'slack.jsonl');
  const every = Number(options.everyIntervals ?? 10);
  let messages = 0;
  let alerting = false;

  const post = async (text, fields = []) => {
    const message = { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, ...(fields.length ? [{ type: 'section', fields: fields.map((f) => ({ type: 'mrkdwn', text: f })) }] : [])] };
    await appendFile(file, `${JSON.stringify(message)}\n`);
    messages++;
  };

  /** @type {import('@loadctl/core').Reporter} */
  return {
    name: 'slack-like',
    kind: 'output',
    async start(meta) {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, '');
      await post(`:rocket: *${meta.scenario}* started against ${meta.target} (${meta.model})`);
    },
    async interval(iv) {
      const errorRate = iv.total.count > 0 ? iv.total.failed / iv.total.count : 0;
      if (errorRate > 0.05 && !alerting) {
        alerting = true;
        await post(`:warning: error rate ${pct(errorRate)} at ${(iv.elapsedMs / 1000).toFixed(0)} s`);
      } else if (errorRate <= 0.05) alerting = false;
      if ((iv.index + 1) % every === 0) await post(`:hourglass: ${(iv.elapsedMs / 1000).toFixed(0)} s: ${iv.rps.toFixed(0)} req/s, p95 ${ms(iv.total.latency.percentiles['95'] ?? 0)}`);
    },
    async end(summary) {
      const v = summary.verdict;
      const failing = v.thresholds.filter((t) => !t.passed).map((t) => `\`${t.scope}: ${t.expression}\` measured ${t.actual ?? 'no data'}`);
      await post(v.passed ? `:white_check_mark: *${summary.meta.scenario}* passed` : `:x: *${summary.meta.scenario}* failed (${v.endReason})`, [
        `*requests* ${summary.total.count}`,
        `*req/s* ${summary.rps.mean.toFixed(0)}`,
        `*p95* ${ms(summary.total.latency.percentiles['95'] ?? 0)}`,
        `*errors* ${summary.total.failed}`,
        ...failing,
      ]);
    },
    notes() {
      return [`${messages} messages written to ${file}`];
    },
  };
}

// Start a throw-away Prometheus (`/usr/bin/prometheus`) that scrapes the given
// targets every `scrapeIntervalMs`.
//
//   const prom = await startPrometheus({ targets: ['127.0.0.1:9464'], scrapeIntervalMs: 500 });
//   await prom.query('loadctl_requests_total');
//   await prom.stop();
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, logTail, removeDir, spawnLogged, stopChild, tempDir, waitReady } from './common.mjs';

/** @param {{ targets: string[], scrapeIntervalMs?: number, bin?: string, startTimeoutMs?: number }} options */
export async function startPrometheus(options) {
  const bin = options.bin ?? '/usr/bin/prometheus';
  const dir = tempDir('loadctl-prometheus-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(dir, 'prometheus.log');
  const configFile = join(dir, 'prometheus.yml');
  const every = `${options.scrapeIntervalMs ?? 1000}ms`;
  writeFileSync(
    configFile,
    `global:
  scrape_interval: ${every}
  scrape_timeout: ${every}
scrape_configs:
  - job_name: loadctl
    static_configs:
      - targets: ${JSON.stringify(options.targets)}
`,
  );
  const child = spawnLogged(
    bin,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    logFile,
  );
  await waitReady(
    'prometheus',
    child,
    async () => (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok,
    logFile,
    options.startTimeoutMs ?? 20_000,
  );
  return {
    url,
    port,
    logTail: () => logTail(logFile),
    /** Instant PromQL query; returns `data.result`. */
    async query(promql) {
      const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
      const json = await res.json();
      if (json.status !== 'success') throw new Error(`query failed: ${JSON.stringify(json)}`);
      return json.data.result;
    },
    /** Health of the scrape targets: [{ scrapeUrl, health, lastError }]. */
    async targets() {
      const res = await fetch(`${url}/api/v1/targets`);
      return (await res.json()).data.activeTargets;
    },
    async stop() {
      await stopChild(child, 'SIGTERM');
      removeDir(dir);
    },
  };
}

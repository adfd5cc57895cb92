// Start a throw-away VictoriaMetrics (`/usr/bin/victoria-metrics`) on a free
// loopback port. It accepts InfluxDB line protocol on `/write` and `/api/v2/write`
// and answers PromQL on `/api/v1/query` and raw samples on `/api/v1/export`.
//
//   const vm = await startVictoriaMetrics();
//   vm.url                          // http://127.0.0.1:PORT
//   await vm.flush();               // make just-written samples searchable
//   const series = await vm.export('{__name__=~"loadctl_.*"}');
//   await vm.stop();
import { join } from 'node:path';
import { freePort, logTail, removeDir, spawnLogged, stopChild, tempDir, waitReady } from './common.mjs';

/** @param {{ dataDir?: string, bin?: string, startTimeoutMs?: number }} [options] */
export async function startVictoriaMetrics(options = {}) {
  const bin = options.bin ?? '/usr/bin/victoria-metrics';
  const ownDir = options.dataDir === undefined;
  const dir = options.dataDir ?? tempDir('loadctl-vm-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(dir, 'victoria-metrics.log');
  const args = [
    `-httpListenAddr=127.0.0.1:${port}`,
    `-storageDataPath=${join(dir, 'data')}`,
    '-retentionPeriod=100y',
    '-search.latencyOffset=0s',
    '-search.disableCache',
    '-loggerLevel=WARN',
  ];
  let child;
  async function launch() {
    child = spawnLogged(bin, args, logFile);
    await waitReady(
      'victoria-metrics',
      child,
      async () => (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok,
      logFile,
      options.startTimeoutMs ?? 20_000,
    );
  }
  await launch();

  return {
    url,
    port,
    dataDir: dir,
    logFile,
    logTail: () => logTail(logFile),
    /** Force buffered samples to storage so queries see them. */
    async flush() {
      await fetch(`${url}/internal/force_flush`);
    },
    /** Raw samples of every series matching `selector`: [{ metric, values, timestamps }]. */
    async export(selector) {
      const res = await fetch(`${url}/api/v1/export?${new URLSearchParams({ 'match[]': selector })}`);
      if (!res.ok) throw new Error(`export ${res.status}: ${await res.text()}`);
      return (await res.text())
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l));
    },
    /** Instant PromQL query; returns `data.result`. */
    async query(promql, time) {
      const params = new URLSearchParams({ query: promql });
      if (time !== undefined) params.set('time', String(time));
      const res = await fetch(`${url}/api/v1/query?${params}`);
      const json = await res.json();
      if (json.status !== 'success') throw new Error(`query failed: ${JSON.stringify(json)}`);
      return json.data.result;
    },
    async kill() {
      await stopChild(child, 'SIGKILL');
    },
    async restart() {
      await stopChild(child, 'SIGKILL');
      await launch();
    },
    async stop() {
      await stopChild(child, 'SIGTERM');
      if (ownDir) removeDir(dir);
    },
  };
}

// Start a throw-away InfluxDB 1.x (`/usr/bin/influxd`) on free loopback ports.
//
//   const influx = await startInfluxDB1({ db: 'loadctl' });
//   influx.url            // http://127.0.0.1:PORT
//   await influx.query('SELECT count(*) FROM loadctl_requests');
//   await influx.kill(); await influx.restart();   // same port, same data
//   await influx.stop();                           // terminate, remove temp dirs
//
// Both the HTTP API and the RPC bind-address (normally :8088) get random free
// loopback ports; meta/data/wal live in a temp dir; usage reporting is off.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, logTail, removeDir, spawnLogged, stopChild, tempDir, waitReady } from './common.mjs';

function configText({ dir, httpPort, rpcPort, authEnabled }) {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = "${join(dir, 'meta')}"
  retention-autocreate = true
  logging-enabled = false

[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  index-version = "inmem"
  wal-fsync-delay = "0s"
  query-log-enabled = false

[monitor]
  store-enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:${httpPort}"
  auth-enabled = ${authEnabled ? 'true' : 'false'}
  log-enabled = false
  pprof-enabled = false

[logging]
  level = "warn"
  suppress-logo = true

[[graphite]]
  enabled = false
[[collectd]]
  enabled = false
[[opentsdb]]
  enabled = false
[[udp]]
  enabled = false
`;
}

/**
 * @param {{ dataDir?: string, db?: string, auth?: { user: string, password: string }, bin?: string, startTimeoutMs?: number }} [options]
 */
export async function startInfluxDB1(options = {}) {
  const bin = options.bin ?? '/usr/bin/influxd';
  const db = options.db ?? 'loadctl';
  const ownDir = options.dataDir === undefined;
  const dir = options.dataDir ?? tempDir('loadctl-influxdb1-');
  const httpPort = await freePort();
  const rpcPort = await freePort();
  const configFile = join(dir, 'influxdb.conf');
  const logFile = join(dir, 'influxd.log');
  writeFileSync(configFile, configText({ dir, httpPort, rpcPort, authEnabled: options.auth !== undefined }));
  const url = `http://127.0.0.1:${httpPort}`;
  const authHeader = options.auth
    ? { authorization: 'Basic ' + Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64') }
    : {};

  let child;
  async function launch() {
    child = spawnLogged(bin, ['-config', configFile], logFile);
    await waitReady(
      'influxd',
      child,
      async () => (await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) })).status === 204,
      logFile,
      options.startTimeoutMs ?? 20_000,
    );
  }

  /** Run an InfluxQL statement; returns the parsed JSON, throws on HTTP or statement errors. */
  async function query(q, queryDb = db) {
    const params = new URLSearchParams({ q, epoch: 'ms' });
    if (queryDb) params.set('db', queryDb);
    const res = await fetch(`${url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...authHeader },
      body: params.toString(),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`InfluxQL ${res.status}: ${text} (query: ${q})`);
    const json = JSON.parse(text);
    for (const r of json.results ?? []) if (r.error) throw new Error(`InfluxQL error: ${r.error} (query: ${q})`);
    return json;
  }

  await launch();
  try {
    if (options.auth) {
      // The first admin user may be created without credentials.
      const params = new URLSearchParams({
        q: `CREATE USER "${options.auth.user}" WITH PASSWORD '${options.auth.password.replace(/'/g, "\\'")}' WITH ALL PRIVILEGES`,
      });
      const res = await fetch(`${url}/query`, { method: 'POST', body: params });
      if (!res.ok) throw new Error(`CREATE USER failed: ${res.status} ${await res.text()}`);
    }
    await query(`CREATE DATABASE "${db}"`, '');
  } catch (err) {
    await stopChild(child, 'SIGKILL');
    throw err;
  }

  return {
    url,
    port: httpPort,
    db,
    dataDir: dir,
    logFile,
    query,
    logTail: () => logTail(logFile),
    /** SIGKILL: no flush, like a crash. Data already written stays in the WAL. */
    async kill() {
      await stopChild(child, 'SIGKILL');
    },
    /** Start again on the same port with the same data (after `kill`). */
    async restart() {
      await stopChild(child, 'SIGKILL');
      await launch();
    },
    /** Terminate and remove the temp dir (if we created it). */
    async stop() {
      await stopChild(child, 'SIGTERM');
      if (ownDir) removeDir(dir);
    },
  };
}
